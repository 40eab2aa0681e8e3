"""What runs inside Spark's Python workers: documents in, one row per finding or error out.

Nothing here imports PySpark; it needs only ``pyarrow`` (which ``mapInArrow`` hands it), so it is
tested without a Spark session too.

One warm :class:`~claimlint.linter.Linter` per worker process: :func:`engine` keeps it in a
module-level cache keyed by the job, so every task a reused Python worker runs (Spark reuses them
by default, ``spark.python.worker.reuse``) checks with rules loaded and a pipeline built once.
Custom rule packs do not need to exist on the executors: the :class:`Job` carries their bytes, read
on the driver, and the first task in each worker writes them to a private temporary folder and
points the settings at those copies.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .. import sources
from ..errors import ClaimlintError, InputError
from ..findings import FileError
from ..settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ..linter import Linter

# The JSON contract's fields, then what --format json adds (scope, fingerprint, fix); in the
# order of the output table. ``error`` is last.
FINDING_FIELDS = ("path", "rule", "category", "severity", "message", "line", "column", "end_line",
                  "end_column", "excerpt", "suggestion", "scope", "fingerprint", "fix")
INT_FIELDS = frozenset({"line", "column", "end_line", "end_column"})
FIX_FIELDS = (("start", "int"), ("end", "int"), ("replacement", "string"),
              ("applicability", "string"))
ERROR_FIELD = "error"
OUTPUT_FIELDS = FINDING_FIELDS + (ERROR_FIELD,)

# Names a format column may use, and what they mean.
FORMATS = {"markdown": "markdown", "md": "markdown", "html": "html", "htm": "html",
           "text": "text", "txt": "text", "docx": "docx"}

# Output rows are yielded in batches of at most this many documents' rows, so a worker's memory
# does not grow with Spark's Arrow batch size and rows flow to the writer while the rest is checked.
CHUNK_DOCUMENTS = 256


def normalise_format(value: str | None) -> str | None:
    """``markdown``/``html``/``text`` (or ``docx``) for a format name or alias; None stays None.
    Raises :class:`ValueError` for a name claimlint does not know."""
    if value is None:
        return None
    fmt = FORMATS.get(str(value).strip().lower().lstrip("."))
    if fmt is None:
        raise ValueError(f"unknown format {value!r}: use markdown, html or text")
    return fmt


def is_pack_file(ref: str) -> bool:
    """A pack reference that names a file, not a built-in pack (the rule Settings applies)."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, pickled with the function Spark ships: the settings as the
    driver resolved them, the bytes of every custom pack file they name, and the columns."""

    settings: Settings
    packs: tuple[tuple[str, bytes], ...]  # (path on the driver, the file's bytes)
    text_column: str
    id_column: str
    format_column: str | None = None
    path_column: str | None = None
    default_format: str | None = None

    @property
    def key(self) -> str:
        """What decides the engine: the settings and the packs' contents (not the columns)."""
        h = hashlib.sha256(repr(self.settings).encode("utf-8"))
        for path, data in self.packs:
            h.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0" + data)
        return h.hexdigest()


def make_job(settings: Settings, *, text_column: str, id_column: str,
             format_column: str | None = None, path_column: str | None = None,
             default_format: str | None = None) -> Job:
    """A :class:`Job` for ``settings``, with the custom pack files read now, on the driver.
    Raises :class:`ClaimlintError` for a pack file that cannot be read or a bad format name."""
    refs = list(settings.packs or ()) + list(settings.extend_packs)
    packs = []
    for ref in dict.fromkeys(r for r in refs if is_pack_file(r)):
        try:
            with open(ref, "rb") as fh:
                packs.append((ref, fh.read()))
        except OSError as exc:
            raise ClaimlintError(f"cannot read rule pack {ref}: {exc.strerror or exc}") from None
    try:
        default_format = normalise_format(default_format)
    except ValueError as exc:
        raise ClaimlintError(f"--format: {exc}") from None
    return Job(settings, tuple(packs), text_column, id_column, format_column, path_column,
               default_format)


# -- the engine, once per worker process ---------------------------------------------------------

_engines: dict[tuple[str, bool], Linter] = {}
# What this process has done, for tests and monitoring: engines built, documents checked.
stats = {"engines": 0, "documents": 0}
_pack_dirs: dict[str, dict[str, str]] = {}  # job key -> driver path -> path in this process


def _local_packs(job: Job) -> dict[str, str]:
    """The job's pack files, written once per process to a temporary folder of its own."""
    paths = _pack_dirs.get(job.key)
    if paths is None:
        folder = tempfile.mkdtemp(prefix="claimlint-packs-")
        atexit.register(shutil.rmtree, folder, True)
        paths = {}
        for i, (path, data) in enumerate(job.packs):
            # One sub-folder per pack: two packs may share a file name in different folders.
            sub = os.path.join(folder, str(i))
            os.mkdir(sub)
            local = os.path.join(sub, os.path.basename(path) or "pack.yaml")
            with open(local, "wb") as fh:
                fh.write(data)
            paths[path] = local
        _pack_dirs[job.key] = paths
    return paths


def worker_settings(job: Job, relative_paths: bool = False) -> Settings:
    """The job's settings as this process uses them: pack files pointing at the local copies.

    With ``relative_paths``, the root is this process's working folder, so that a relative
    document path (``blog/post.md``) is matched against ``overrides`` globs as it is written, as
    the command line matches a path relative to the configuration's folder."""
    settings = job.settings
    if job.packs:
        local = _local_packs(job)
        changes: dict[str, Any] = {
            "extend_packs": tuple(local.get(p, p) for p in settings.extend_packs)}
        if settings.packs is not None:
            changes["packs"] = tuple(local.get(p, p) for p in settings.packs)
        settings = replace(settings, **changes)
    if relative_paths:
        settings = replace(settings, root=os.getcwd())
    return settings


def engine(job: Job, relative_paths: bool = False) -> Linter:
    """This process's warm Linter for the job (built on first use, then reused)."""
    key = (job.key, relative_paths)
    linter = _engines.get(key)
    if linter is None:
        from ..linter import Linter

        linter = _engines[key] = Linter(worker_settings(job, relative_paths))
        stats["engines"] += 1
    return linter


# -- one document --------------------------------------------------------------------------------

def _size_error(path: str, size: int, max_bytes: int) -> FileError:
    # The command line's words for a file over the limit, so reports read the same.
    return FileError(path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                           "(raise max-file-size in the configuration to check it)")


def _internal_error(path: str, exc: BaseException) -> FileError:
    return FileError(path, f"internal error while checking the document ({type(exc).__name__}: "
                           f"{str(exc)[:200]}); it was not checked -- please report it")


def check_document(job: Job, text: str | bytes | None, path: str, fmt: str | None
                   ) -> tuple[list[dict], list[FileError]]:
    """The findings (as ``Finding.to_dict()``) and errors of one document. Never raises for a
    bad document: a null text, an unknown format, a text over ``max-file-size``, bytes that do
    not decode and a reader's failure are all errors of the document."""
    if text is None:
        return [], [FileError(path, "no text: the text column is null")]
    try:
        fmt = normalise_format(fmt) or job.default_format
    except ValueError as exc:
        return [], [FileError(path, str(exc))]
    relative = bool(job.settings.overrides) and not os.path.isabs(path)
    linter = engine(job, relative)
    max_bytes = linter.settings.max_bytes
    try:
        if isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
            if len(data) > max_bytes:
                return [], [_size_error(path, len(data), max_bytes)]
            effective = fmt or sources.format_for(path)
            if effective == "docx":
                if sources.format_for(path) != "docx":
                    return [], [FileError(path, "a Word document needs a path ending in .docx")]
                result = linter.check_file(path, data=data, use_cache=False)
                return [f.to_dict() for f in result.findings], list(result.errors)
            text = sources.decode(data, path, effective)[0]
        else:
            # Measured as the UTF-8 file it would be; only long texts need encoding to know.
            if len(text) * 4 > max_bytes:
                size = len(text.encode("utf-8", "surrogatepass"))
                if size > max_bytes:
                    return [], [_size_error(path, size, max_bytes)]
            if fmt == "docx":
                return [], [FileError(path, "a Word document must be given as bytes (a binary "
                                            "text column), not as a string")]
        result = linter.check_text(text, path=path, format=fmt)
    except InputError as exc:
        return [], [FileError(path, exc.message, exc.line, exc.column)]
    except ModuleNotFoundError:
        raise  # the worker's Python lacks a dependency: no document can be checked there
    except ClaimlintError as exc:
        return [], [FileError(path, exc.message, exc.line, exc.column)]
    except Exception as exc:  # a reader or rule bug must not fail the job
        return [], [_internal_error(path, exc)]
    return [f.to_dict() for f in result.findings], list(result.errors)


# -- Arrow batches -------------------------------------------------------------------------------

def output_arrow_schema(id_field: pa.Field) -> pa.Schema:
    """The Arrow schema of the output batches, given the input's id field."""
    import pyarrow as pa

    fix = pa.struct([(name, pa.int32() if kind == "int" else pa.string())
                     for name, kind in FIX_FIELDS])
    fields = [pa.field(id_field.name, id_field.type)]
    for name in FINDING_FIELDS:
        typ = pa.int32() if name in INT_FIELDS else fix if name == "fix" else pa.string()
        fields.append(pa.field(name, typ))
    fields.append(pa.field(ERROR_FIELD, pa.string()))
    return pa.schema(fields)


def _column(batch: pa.RecordBatch, name: str | None) -> list | None:
    if name is None:
        return None
    return batch.column(batch.schema.get_field_index(name)).to_pylist()


def _path_of(path: Any, id_value: Any) -> str:
    if path is not None and str(path) != "":
        return str(path)
    if id_value is not None:
        return str(id_value)
    return "<text>"


def check_rows(job: Job, texts: list, paths: list, formats: list, ids: list
               ) -> Iterator[tuple[int, dict | None, FileError | None]]:
    """(document index, finding or None, error or None) for every finding and error of the
    documents, in document order, each document's findings in position order."""
    for i, text in enumerate(texts):
        path = _path_of(paths[i], ids[i])
        stats["documents"] += 1
        findings, errors = check_document(job, text, path, formats[i])
        for f in findings:
            yield i, f, None
        for e in errors:
            yield i, None, e


def check_batches(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The function ``mapInArrow`` runs: input batches (id, text and optional format and path
    columns) in, batches of finding and error rows out. A partition without documents, or whose
    documents are all clean, yields no batch."""
    schema = None
    for batch in batches:
        if schema is None:
            schema = output_arrow_schema(batch.schema.field(job.id_column))
        n = batch.num_rows
        id_array = batch.column(batch.schema.get_field_index(job.id_column))
        ids = id_array.to_pylist()
        texts = _column(batch, job.text_column)
        paths = _column(batch, job.path_column) or [None] * n
        formats = _column(batch, job.format_column) or [None] * n
        for a in range(0, n, CHUNK_DOCUMENTS):
            b = min(a + CHUNK_DOCUMENTS, n)
            rows = check_rows(job, texts[a:b], paths[a:b], formats[a:b], ids[a:b])
            out = to_record_batch(rows, id_array.slice(a, b - a), schema)
            if out.num_rows:
                yield out


def to_record_batch(rows: Iterable[tuple[int, dict | None, FileError | None]],
                    id_array: pa.Array, schema: pa.Schema) -> pa.RecordBatch:
    """Finding and error rows as one Arrow batch of the output schema."""
    import pyarrow as pa

    index: list[int] = []
    cols: dict[str, list] = {name: [] for name in OUTPUT_FIELDS}
    for i, finding, error in rows:
        index.append(i)
        if finding is not None:
            for name in FINDING_FIELDS:
                cols[name].append(finding.get(name))
            cols[ERROR_FIELD].append(None)
        else:
            assert error is not None
            for name in FINDING_FIELDS:
                cols[name].append(None)
            # An error row is the command line's diagnostic: path, line and column where the
            # problem is (when known), and its message.
            cols["path"][-1] = error.path
            cols["line"][-1] = error.line
            cols["column"][-1] = error.column
            cols[ERROR_FIELD].append(error.message)
    arrays = [id_array.take(pa.array(index, type=pa.int64()))]
    for field in schema:
        if field.name in cols:
            arrays.append(pa.array(cols[field.name], type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
