"""Fixes: rewrites a rule can offer for its matches, applied only when asked (``--fix``).

A rule declares ``fix: {replace: "...", safe: true|false}``; the replacement may use the rule's
placeholders and a regex rule's named groups. ``claimlint check --fix`` applies the safe fixes,
``--unsafe-fixes`` adds the others, ``--diff`` prints what would change without writing anything.

Writing is atomic -- a temporary file in the same folder, renamed over the original -- and keeps
the file's encoding, byte-order mark, line endings and permissions. A file whose bytes changed
since claimlint read it is not written.
"""
from __future__ import annotations

import codecs
import difflib
import hashlib
import os
import tempfile
from dataclasses import dataclass

from .errors import InputError

_BOM = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE}


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (original offsets) with ``replacement``."""

    start: int
    end: int
    replacement: str
    safe: bool

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement,
                "applicability": "safe" if self.safe else "unsafe"}

    @staticmethod
    def from_dict(d: dict) -> Edit:
        return Edit(d["start"], d["end"], d["replacement"], d["applicability"] == "safe")


def match_case(replacement: str, original: str) -> str:
    """'Clinically proven' -> 'Clinically studied': follow the original's first letter."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if replacement and original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """The text with the non-overlapping edits applied (the first of overlapping ones wins)."""
    chosen: list[Edit] = []
    last_end = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start >= last_end:
            chosen.append(e)
            last_end = max(e.end, e.start + 1)
    out = text
    for e in reversed(chosen):
        out = out[:e.start] + e.replacement + out[e.end:]
    return out, chosen


def _diff_lines(text: str) -> list[str]:
    """Lines as patch and git see them: ended by "\n" only (``str.splitlines`` would also split
    at U+2028, NEL or a form feed inside a line, and the diff would not apply)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(_diff_lines(old), _diff_lines(new),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_fixed(path: str, text: str, encoding: str, bom: bool, expected_digest: str) -> None:
    """Write ``text`` over ``path`` atomically, as the original was stored.

    Raises :class:`InputError` when the file changed since it was read, or cannot be written.
    """
    try:
        with open(path, "rb") as fh:
            current = fh.read()
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(path, f"cannot re-read before fixing: {exc.strerror or exc}") from None
    if digest(current) != expected_digest:
        raise InputError(path, "changed since claimlint read it; not fixed (run again)")
    data = text.encode(encoding)
    if bom:
        data = _BOM.get(encoding, b"") + data
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".claimlint-fix-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(path, f"cannot write the fixed file: {exc.strerror or exc}") from None
