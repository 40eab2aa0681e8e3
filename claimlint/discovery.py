"""Which files a run checks: the paths named on the command line, and the files inside the
folders named, filtered by the settings' ``include`` and ``exclude`` globs."""
from __future__ import annotations

import os
from typing import Iterator

import pathspec

from .settings import DEFAULT_EXCLUDE, Settings

STDIN = "-"
# Names that stand for text that is not a file on disk.
VIRTUAL_PATHS = ("<stdin>", "<text>")


def display_path(path: str) -> str:
    """A path that can be printed: bytes that were not UTF-8 in a file name appear as \\xNN."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def clean_path(path: str) -> str:
    """Normalise a displayed path without making it absolute (``./a//b`` -> ``a/b``)."""
    if path in ("", "."):
        return path or "."
    p = os.path.normpath(path)
    return p.replace(os.sep, "/") if os.sep != "/" else p


class FileFinder:
    """Finds the files to check under the settings' root, include and exclude globs."""

    def __init__(self, settings: Settings):
        self.root = settings.root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE + settings.exclude)
        self.include = pathspec.GitIgnoreSpec.from_lines(settings.include)

    def relpath(self, path: str) -> str:
        """A path relative to the settings' root, for include, exclude and override globs."""
        ap = os.path.abspath(path)
        try:
            rel = os.path.relpath(ap, self.root)
        except ValueError:
            rel = ap
        if rel.startswith(".."):
            rel = os.path.relpath(ap) if not os.path.relpath(ap).startswith("..") else ap.lstrip("/")
        return display_path(rel.replace(os.sep, "/"))

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        rel = self.relpath(path)
        return self.exclude.match_file(rel + "/" if is_dir else rel)

    def find(self, paths: list[str]) -> Iterator[tuple[str, str | None]]:
        """Yield (path, error) for every file to check, in a stable order.

        Explicit files are checked whatever their extension, unless the configuration excludes
        them; directories are walked for files matching ``include``.
        """
        seen: set[str] = set()
        for p in paths:
            if p == STDIN:
                yield p, None
                continue
            display = clean_path(p)
            if not os.path.lexists(p):
                yield display, "no such file or directory"
                continue
            if os.path.isdir(p):
                if self.excluded(p, True) and clean_path(p) not in (".", ""):
                    continue
                yield from self._walk(p, seen)
                continue
            if not os.path.exists(p):
                yield display, "broken symbolic link"
                continue
            if self.excluded(p):
                continue
            key = os.path.realpath(p)
            if key in seen:
                continue
            seen.add(key)
            yield display, None

    def _walk(self, top: str, seen: set[str]) -> Iterator[tuple[str, str | None]]:
        errors: list[tuple[str, str]] = []
        visited: set[tuple[int, int]] = set()

        def onerror(exc: OSError) -> None:
            errors.append((clean_path(exc.filename or top), exc.strerror or str(exc)))

        found: list[tuple[str, str | None]] = []
        for dirpath, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=True):
            try:
                st = os.stat(dirpath)
                key = (st.st_dev, st.st_ino)
            except OSError:
                key = None
            if key is not None:
                if key in visited:
                    dirnames[:] = []
                    continue
                visited.add(key)
            dirnames[:] = sorted(d for d in dirnames
                                 if not self.excluded(os.path.join(dirpath, d), True))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = self.relpath(full)
                if not self.include.match_file(rel) or self.exclude.match_file(rel):
                    continue
                if not os.path.exists(full):
                    found.append((clean_path(full), "broken symbolic link"))
                    continue
                real = os.path.realpath(full)
                if real in seen:
                    continue
                seen.add(real)
                found.append((clean_path(full), None))
        for path, msg in errors:
            found.append((path, msg))
        found.sort(key=lambda x: x[0])
        yield from found
