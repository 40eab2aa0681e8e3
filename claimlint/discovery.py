"""Which files a run checks: the paths named on the command line, and the files inside the
folders named, filtered by the settings' ``include`` and ``exclude`` globs and by ``.gitignore``.

A checked-out repository is untrusted input, so the walk of a folder:

* never leaves it: a symbolic link (to a file or a folder) whose target lies outside the folder
  named is not followed (a file named on the command line is checked wherever it points);
* ignores what git ignores (``.gitignore`` files from the repository's top down to each folder,
  and ``.git/info/exclude``), unless ``respect-gitignore: false``;
* visits each real folder once (link loops end) and never recurses (any depth is fine);
* leaves devices, FIFOs and sockets to the reader, which refuses them with a clear message.
"""
from __future__ import annotations

import os
import stat
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


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _read_ignore_file(path: str) -> pathspec.GitIgnoreSpec | None:
    """The rules of one ignore file; None when it is absent, unreadable or not usable (a broken
    ignore file ignores nothing rather than stopping the run)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read(1_000_000).splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
    except (OSError, ValueError, Exception):  # pathspec may raise on a malformed pattern
        return None


class GitIgnore:
    """The ``.gitignore`` rules that apply below a repository's top folder, read as the walk
    reaches each folder. A deeper file's rule wins over a shallower one, as in git."""

    def __init__(self, top: str):
        self.top = top
        self._by_dir: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._by_dir["\0info"] = _read_ignore_file(os.path.join(top, ".git", "info", "exclude"))

    @staticmethod
    def find_top(folder: str) -> str | None:
        """The top folder of the git repository holding ``folder`` (None: not in one)."""
        d = os.path.abspath(folder)
        while True:
            if os.path.exists(os.path.join(d, ".git")):
                return d
            parent = os.path.dirname(d)
            if parent == d:
                return None
            d = parent

    def _spec(self, folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._by_dir:
            self._by_dir[folder] = _read_ignore_file(os.path.join(folder, ".gitignore"))
        return self._by_dir[folder]

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Is ``path`` (absolute, below the top) ignored?"""
        rel = os.path.relpath(path, self.top)
        if rel.startswith(".."):
            return False
        parts = rel.split(os.sep)
        verdict = None
        info = self._by_dir["\0info"]
        if info is not None:
            got = info.check_file(rel.replace(os.sep, "/") + ("/" if is_dir else "")).include
            if got is not None:
                verdict = got
        folder = self.top
        for i in range(len(parts)):
            spec = self._spec(folder)
            if spec is not None:
                sub = "/".join(parts[i:]) + ("/" if is_dir else "")
                got = spec.check_file(sub).include
                if got is not None:
                    verdict = got
            folder = os.path.join(folder, parts[i])
        return bool(verdict)


class FileFinder:
    """Finds the files to check under the settings' root, include and exclude globs."""

    def __init__(self, settings: Settings):
        self.root = settings.root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE + settings.exclude)
        self.include = pathspec.GitIgnoreSpec.from_lines(settings.include)
        self.respect_gitignore = settings.respect_gitignore

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
        """Whether ``exclude`` (or the built-in exclusions) keeps this file or folder out."""
        rel = self.relpath(path)
        return self.exclude.match_file(rel + "/" if is_dir else rel)

    def included(self, path: str) -> bool:
        """Whether the ``include`` globs name this file (a folder walk checks only those)."""
        return self.include.match_file(self.relpath(path))

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
        real_top = os.path.realpath(top)
        ignore = None
        if self.respect_gitignore:
            repo = GitIgnore.find_top(real_top)
            ignore = GitIgnore(repo) if repo is not None else None
            if ignore is not None and real_top != repo and ignore.ignored(real_top, True):
                ignore = None  # a folder named on purpose is checked though git ignores it
        visited: set[tuple[int, int]] = set()
        found: list[tuple[str, str | None]] = []
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                st = os.stat(folder)
            except OSError as exc:
                found.append((clean_path(folder), exc.strerror or str(exc)))
                continue
            if (st.st_dev, st.st_ino) in visited:
                continue
            visited.add((st.st_dev, st.st_ino))
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                found.append((clean_path(folder), exc.strerror or str(exc)))
                continue
            subfolders = []
            for entry in entries:
                full = os.path.join(folder, entry.name)
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir()  # follows a link
                except OSError:
                    continue
                real = None
                if is_link:
                    real = os.path.realpath(full)
                    if not _inside(real, real_top):
                        continue  # a link out of the folder being checked is never followed
                if is_dir:
                    if self.excluded(full, True):
                        continue
                    if ignore is not None and ignore.ignored(real or os.path.abspath(full), True):
                        continue
                    subfolders.append(full)
                    continue
                rel = self.relpath(full)
                if not self.include.match_file(rel) or self.exclude.match_file(rel):
                    continue
                if ignore is not None and ignore.ignored(os.path.abspath(full), False):
                    continue
                if is_link and not os.path.exists(full):
                    found.append((clean_path(full), "broken symbolic link"))
                    continue
                real = real or os.path.realpath(full)
                if real in seen:
                    continue
                seen.add(real)
                found.append((clean_path(full), None))
            stack.extend(reversed(subfolders))
        found.sort(key=lambda x: x[0])
        yield from found
