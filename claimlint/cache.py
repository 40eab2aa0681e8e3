"""A cache of results, keyed by what decides them: the file's bytes, the rules that apply to it
(with their severities), the rule packs' contents, the spaCy pipeline, the versions of spaCy,
spacy-lookups-data and the ``--model`` pipeline, and claimlint's version and code.

Entries live in ``.claimlint_cache/`` next to the configuration (or in the working directory),
which holds its own ``.gitignore`` and a ``CACHEDIR.TAG`` so that backups and version control skip
it. Each entry is a small JSON file written atomically, so parallel workers can share the cache.
When the packs, the pipeline or claimlint change, the old generation of entries is removed.

The cache folder usually comes with a checked-out repository, which is untrusted input. Nothing in
it is ever followed: a ``.claimlint_cache``, ``v1/``, ``packs/`` or generation folder that is a
symbolic link (or is owned by another user) is not used at all, the marker files are created only
where no name exists (``O_EXCL``), an entry is read only if it is a regular file of sensible size,
and removing an old generation never goes through a link (see :mod:`claimlint.safefs`).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re

from . import __version__, safefs
from .findings import Finding
from .taxonomy import SEVERITIES

CACHE_DIR = ".claimlint_cache"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimlint.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n")
_FIELDS = [f.name for f in dataclasses.fields(Finding) if f.name != "path"]


_code_digest: str | None = None


def code_digest() -> str:
    """A digest of claimlint's own source: results cached by one build are never served by another,
    even when the version number did not change (an install from a branch, a local edit)."""
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        base = os.path.dirname(os.path.abspath(__file__))
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    path = os.path.join(dirpath, name)
                    h.update(os.path.relpath(path, base).encode() + b"\0")
                    with open(path, "rb") as fh:
                        h.update(hashlib.sha256(fh.read()).digest())
        _code_digest = h.hexdigest()[:16]
    return _code_digest


_VERSION_ASSIGN = re.compile(rb"""^__version__\s*=\s*["']([^"']+)["']""", re.M)


def _package_version(module: str, dist: str) -> str:
    """The version of an installed package, read from its ``about.py`` (or ``__init__.py``)
    without importing it; from its distribution metadata when that fails. Cheap: a clean page
    never imports spaCy, nor ``importlib.metadata``, just to compute the cache key."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return "none"
    folder = os.path.dirname(spec.origin) if spec.origin else None
    for name in ("about.py", "__init__.py"):
        if folder is None:
            break
        try:
            m = _VERSION_ASSIGN.search(safefs.read_regular(os.path.join(folder, name), 1 << 20))
        except OSError:
            continue
        if m:
            return m.group(1).decode("ascii", "replace")
    try:
        from importlib import metadata

        return metadata.version(dist)
    except Exception:  # no metadata, or broken metadata
        return "unknown"


def _model_identity(model: str) -> str:
    """A pipeline folder's or an installed pipeline package's ``meta.json`` (name and version)."""
    import importlib.util

    folder = model if os.path.isdir(model) else None
    if folder is None:
        try:
            spec = importlib.util.find_spec(model)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            return "not found"
        folder = os.path.dirname(spec.origin)
    try:
        return hashlib.sha256(safefs.read_regular(os.path.join(folder, "meta.json"), 1 << 22)
                              ).hexdigest()
    except OSError:
        return "no meta.json"


@functools.lru_cache(maxsize=None)
def dependency_versions(model: str | None) -> str:
    """The versions that decide what the NLP layer does: spaCy, its lookup tables (the lemmas) and
    the pipeline given with ``--model``. Looked up once per process."""
    parts = [f"spacy {_package_version('spacy', 'spacy')}",
             f"spacy-lookups-data {_package_version('spacy_lookups_data', 'spacy-lookups-data')}"]
    if model:
        parts.append(f"model {model} {_model_identity(model)}")
    return "\0".join(parts)


def engine_signature(pack_paths: list[str], model: str | None, extra: str = "") -> str:
    h = hashlib.sha256()
    h.update(f"claimlint {__version__} {code_digest()}\0model {model or 'blank'}\0{extra}\0".encode())
    h.update(dependency_versions(model).encode("utf-8", "surrogateescape") + b"\0")
    for p in sorted(pack_paths):
        h.update(p.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()[:24]


MAX_PREFILTER_BYTES = 64 * 1024 * 1024  # the built-in packs' triggers are about a megabyte


def load_prefilter(root: str, signature: str) -> dict | None:
    """The pre-filter triggers saved for these packs (:meth:`claimlint.prefilter.Prefilter.to_json`),
    or None when there are none or they cannot be read.

    Deriving triggers expands every word of every rule into its inflections, which costs more than
    checking a short page; they depend only on the packs, so they are kept next to the results.
    The file is JSON (never pickle): a cache directory must not be a way to run code; it is read
    as a bounded regular file, never through a link (see :mod:`claimlint.safefs`).
    """
    try:
        fd = safefs.safe_cache_dir(os.path.join(root, CACHE_DIR), "packs")
    except OSError:
        return None
    try:
        data = json.loads(safefs.read_in(fd, signature + ".json", MAX_PREFILTER_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)
    return data if isinstance(data, dict) else None


def save_prefilter(root: str, signature: str, data: dict) -> None:
    """Keep ``data`` (the packs' pre-filter triggers) for the next run; one generation at a time.
    Nothing is written if the cache folder, or ``packs/`` in it, is a link or another user's."""
    try:
        base = safefs.safe_cache_dir(os.path.join(root, CACHE_DIR), create=True)
    except OSError:
        return
    try:
        _mark(base)
        folder = safefs.open_subdir(base, "packs", create=True)
        try:
            for name in safefs.list_in(folder):  # one generation of packs at a time
                if name != signature + ".json":
                    try:
                        safefs.unlink_in(folder, name)
                    except OSError:
                        pass
            safefs.atomic_write_in(folder, signature + ".json", json.dumps(data).encode("utf-8"))
        finally:
            os.close(folder)
    except OSError:
        pass
    finally:
        os.close(base)


_SUBFOLDERS = ("v1", "packs")


def _mark(base) -> None:
    """Check the cache folder and give it a .gitignore and a CACHEDIR.TAG.

    ``base`` is the cache folder's path or an open descriptor of it (see
    :func:`claimlint.safefs.safe_cache_dir`). Raises :class:`OSError` when the folder is not one
    claimlint may use -- itself, ``v1/`` or ``packs/`` a symbolic link, or owned by another user --
    so that a caller stops before writing or deleting anything in it. The two files are created
    only where nothing (not even a dangling link) has the name, never written through a link.
    """
    fd = safefs.safe_cache_dir(base) if isinstance(base, str) else os.dup(base)
    try:
        for sub in _SUBFOLDERS:
            try:
                os.close(safefs.open_subdir(fd, sub))
            except FileNotFoundError:
                pass
        safefs.create_new_in(fd, ".gitignore",
                             b"# Created by claimlint: the cache is local to this machine.\n*\n")
        safefs.create_new_in(fd, "CACHEDIR.TAG", _TAG.encode("utf-8"))
    finally:
        os.close(fd)


MAX_ENTRY_BYTES = 64 * 1024 * 1024  # an entry is a few kilobytes; anything this big is not ours
_FIELD_TYPES = {
    "rule": str, "category": str, "severity": str, "message": str, "line": int, "column": int,
    "end_line": int, "end_column": int, "excerpt": str, "suggestion": (str, type(None)),
    "start": int, "end": int, "scope": str, "context": str, "context_start": int,
    "context_end": int, "fingerprint": str, "fix": (dict, type(None)),
}
_REQUIRED = ("rule", "category", "severity", "message", "line", "column", "end_line",
             "end_column", "excerpt", "suggestion")


def _valid_row(row) -> bool:
    """True when ``row`` is a finding as :meth:`ResultCache.put` writes it."""
    if not isinstance(row, dict) or any(k not in row for k in _REQUIRED):
        return False
    for k, v in row.items():
        want = _FIELD_TYPES.get(k)
        if want is None or isinstance(v, bool) or not isinstance(v, want):
            return False
    if row["severity"] not in SEVERITIES:
        return False
    fix = row.get("fix")
    if fix is not None:
        if not (isinstance(fix.get("start"), int) and isinstance(fix.get("end"), int)
                and not isinstance(fix["start"], bool) and not isinstance(fix["end"], bool)
                and 0 <= fix["start"] <= fix["end"] and isinstance(fix.get("replacement"), str)
                and fix.get("applicability") in ("safe", "unsafe")):
            return False
    return True


class ResultCache:
    """Results by file content, in ``root/.claimlint_cache/v1/SIGNATURE/``.

    Nothing is ever read or written through a symbolic link: a cache folder (or ``v1/``, or a
    generation, or an entry's folder) that is a link or is owned by another user is not used --
    every file is then a miss and nothing is written -- and an entry that is a link, a FIFO or a
    device, or is corrupt in any way, is a miss.
    """

    def __init__(self, root: str, signature: str):
        self.base = os.path.join(root, CACHE_DIR)
        self.dir = os.path.join(self.base, "v1", signature)
        self.signature = signature
        self.hits = 0
        self.misses = 0
        self._ready = False
        self._fd: int | None = None

    def _prepare(self) -> bool:
        """Make the generation's folder (removing the other generations); False when the cache
        folder cannot be used."""
        if self._ready:
            return self._fd is not None
        self._ready = True
        try:
            base = safefs.safe_cache_dir(self.base, create=True)
        except OSError:
            return False
        try:
            _mark(base)
            gens = safefs.open_subdir(base, "v1", create=True)
            try:
                # Drop the entries of other generations (other packs, pipeline or version).
                for name in safefs.list_in(gens):
                    if name != self.signature:
                        try:
                            safefs.remove_tree_in(gens, name)
                        except OSError:
                            pass
                fd = safefs.open_subdir(gens, self.signature, create=True)
            finally:
                os.close(gens)
        except OSError:
            return False
        finally:
            os.close(base)
        self._close()
        self._fd = fd
        return True

    def _generation(self) -> int | None:
        """The generation's folder, when it exists and may be used (never created here)."""
        if self._fd is None and not self._ready:
            try:
                self._fd = safefs.safe_cache_dir(self.base, "v1", self.signature)
            except OSError:
                return None
        return self._fd

    def _close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def __del__(self):
        self._close()

    @staticmethod
    def key(data: bytes, rules_signature: str, fmt: str) -> str:
        h = hashlib.sha256(data)
        h.update(b"\0" + rules_signature.encode() + b"\0" + fmt.encode())
        return h.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key[2:] + ".json")

    def get(self, key: str, path: str) -> list[Finding] | None:
        """The cached findings for ``key``, shown at ``path``; None (a miss) when there is no
        entry or it is not one claimlint wrote."""
        found = self._load(key, path)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def _load(self, key: str, path: str) -> list[Finding] | None:
        gen = self._generation()
        if gen is None:
            return None
        try:
            sub = safefs.open_subdir(gen, key[:2])
        except OSError:
            return None
        try:
            raw = safefs.read_in(sub, key[2:] + ".json", MAX_ENTRY_BYTES)
            rows = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        finally:
            os.close(sub)
        if not isinstance(rows, list) or not all(_valid_row(r) for r in rows):
            return None
        from .fixes import Edit

        try:
            found = [Finding(path=path, **{k: row[k] for k in _FIELDS if k in row}) for row in rows]
            for f in found:
                if isinstance(f.fix, dict):
                    f.fix = Edit.from_dict(f.fix)
        except (TypeError, KeyError, ValueError):
            return None
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        if not self._prepare():
            return
        rows = [{k: getattr(f, k) for k in _FIELDS} for f in findings]
        for row in rows:
            if row.get("fix") is not None and hasattr(row["fix"], "to_dict"):
                row["fix"] = row["fix"].to_dict()
        try:
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            sub = safefs.open_subdir(self._fd, key[:2], create=True)
            try:
                safefs.atomic_write_in(sub, key[2:] + ".json", data)
            finally:
                os.close(sub)
        except (OSError, TypeError, ValueError):
            pass
