"""A cache of results, keyed by what decides them: the file's bytes, the rules that apply to it
(with their severities), the rule packs' contents, the spaCy pipeline and claimlint's version.

Entries live in ``.claimlint_cache/`` next to the configuration (or in the working directory),
which holds its own ``.gitignore`` and a ``CACHEDIR.TAG`` so that backups and version control skip
it. Each entry is a small JSON file written atomically, so parallel workers can share the cache.
When the packs, the pipeline or claimlint change, the old generation of entries is removed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile

from . import __version__
from .findings import Finding

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


def engine_signature(pack_paths: list[str], model: str | None, extra: str = "") -> str:
    h = hashlib.sha256()
    h.update(f"claimlint {__version__} {code_digest()}\0model {model or 'blank'}\0{extra}\0".encode())
    for p in sorted(pack_paths):
        h.update(p.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()[:24]


def load_prefilter(root: str, signature: str) -> dict | None:
    """The pre-filter triggers saved for these packs (:meth:`claimlint.prefilter.Prefilter.to_json`),
    or None when there are none or they cannot be read.

    Deriving triggers expands every word of every rule into its inflections, which costs more than
    checking a short page; they depend only on the packs, so they are kept next to the results.
    The file is JSON (never pickle): a cache directory must not be a way to run code.
    """
    path = os.path.join(root, CACHE_DIR, "packs", signature + ".json")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save_prefilter(root: str, signature: str, data: dict) -> None:
    """Keep ``data`` (the packs' pre-filter triggers) for the next run; one generation at a time."""
    base = os.path.join(root, CACHE_DIR)
    folder = os.path.join(base, "packs")
    try:
        os.makedirs(folder, exist_ok=True)
        _mark(base)
        for name in os.listdir(folder):  # one generation of packs at a time
            if name != signature + ".json":
                os.unlink(os.path.join(folder, name))
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, os.path.join(folder, signature + ".json"))
    except OSError:
        pass


def _mark(base: str) -> None:
    """Create the cache folder's .gitignore and CACHEDIR.TAG."""
    ignore = os.path.join(base, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w", encoding="utf-8") as fh:
            fh.write("# Created by claimlint: the cache is local to this machine.\n*\n")
        with open(os.path.join(base, "CACHEDIR.TAG"), "w", encoding="utf-8") as fh:
            fh.write(_TAG)


class ResultCache:
    def __init__(self, root: str, signature: str):
        self.base = os.path.join(root, CACHE_DIR)
        self.dir = os.path.join(self.base, "v1", signature)
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _prepare(self) -> bool:
        if self._ready:
            return True
        try:
            os.makedirs(self.dir, exist_ok=True)
            _mark(self.base)
            # Drop the entries of other generations (other packs, pipeline or version).
            gens = os.path.join(self.base, "v1")
            for name in os.listdir(gens):
                if name != os.path.basename(self.dir):
                    shutil.rmtree(os.path.join(gens, name), ignore_errors=True)
        except OSError:
            return False
        self._ready = True
        return True

    @staticmethod
    def key(data: bytes, rules_signature: str, fmt: str) -> str:
        h = hashlib.sha256(data)
        h.update(b"\0" + rules_signature.encode() + b"\0" + fmt.encode())
        return h.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.dir, key[:2], key[2:] + ".json")

    def get(self, key: str, path: str) -> list[Finding] | None:
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                rows = json.load(fh)
        except (OSError, ValueError):
            self.misses += 1
            return None
        try:
            from .fixes import Edit

            found = [Finding(path=path, **{k: row[k] for k in _FIELDS if k in row}) for row in rows]
            for f in found:
                if isinstance(f.fix, dict):
                    f.fix = Edit.from_dict(f.fix)
        except TypeError:
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        if not self._prepare():
            return
        target = self._path(key)
        rows = [{k: getattr(f, k) for k in _FIELDS} for f in findings]
        for row in rows:
            if row.get("fix") is not None and hasattr(row["fix"], "to_dict"):
                row["fix"] = row["fix"].to_dict()
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        except (OSError, TypeError, ValueError):
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, NameError):
                pass
