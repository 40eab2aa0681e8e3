"""The edits behind the editor's quick fixes: a rule's fix, and inline suppressions.

Every edit is ``(start, end, new_text)`` in code-point offsets of the document text; the server
turns them into ranges in the client's position encoding.

Suppressions use the syntax of :mod:`claimlint.suppressions`: ``claimlint-disable-next-line RULE``
in the line before the finding, and ``claimlint-disable-file RULE`` near the top of the file --
inside an HTML comment in Markdown and HTML, on a line of its own (after ``#``) in plain text.
Where the directive goes is chosen so that the page renders as before:

- Markdown: a comment on a line of its own before a block (a paragraph, a heading, a list that
  starts there), but at the end of the previous line when the finding's line continues a
  paragraph, a list, a block quote or a table -- a comment line there would split the paragraph
  or end the list. A directive covers the next line with text, so blank lines in between do not
  matter. No line directive is offered inside front matter or right under a table's delimiter
  row, where no comment can go; the file-wide one always works.
- HTML: a comment on a line of its own, indented like the line (not where the line starts inside
  a tag).
- Plain text: ``# claimlint-disable-next-line RULE`` on a line of its own.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from ..fixes import non_overlapping as _non_overlapping
from .text import LineIndex, line_ending


class TextEdit(NamedTuple):
    start: int
    end: int
    new_text: str


_LIST_ITEM = re.compile(r"[ \t]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"[ \t]{0,3}(?:```|~~~)")
_BREAK = re.compile(r"[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_ATX = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_TABLE_DELIM = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_REFDEF = re.compile(r"[ \t]{0,3}\[[^\]]+\]:")
_DOCTYPE = re.compile(r"\ufeff?\s*<!doctype[^>]*>[^\S\r\n]*(?:\r\n|\r|\n)?", re.IGNORECASE)


def fix_edit(fix) -> TextEdit:
    """A rule's :class:`~claimlint.fixes.Edit` as a text edit."""
    return TextEdit(fix.start, fix.end, fix.replacement)


def non_overlapping(edits: Iterable[TextEdit]) -> list[TextEdit]:
    """The edits that can be applied together: in order, the first of overlapping ones wins (the
    same choice as ``claimlint check --fix``)."""
    return _non_overlapping(edits)


def apply(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (for tests and the fix-all action)."""
    out = text
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:e.start] + e.new_text + out[e.end:]
    return out


def _front_matter_lines(index: LineIndex) -> int:
    """How many lines of YAML front matter a Markdown text starts with (0 if none)."""
    if index.line_text(0).rstrip() != "---":
        return 0
    for i in range(1, index.line_count):
        if index.line_text(i).rstrip() in ("---", "..."):
            return i + 1
    return 0


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _append_at(index: LineIndex, line: int, comment: str) -> TextEdit:
    """Put `` comment`` at the end of ``line``'s text, before trailing spaces or a backslash
    (a Markdown hard line break stays one)."""
    start = index.line_start(line)
    text = index.line_text(line)
    body = text.rstrip(" \t")
    if body.endswith("\\"):
        body = body[:-1].rstrip(" \t")
    return TextEdit(start + len(body), start + len(body), " " + comment)


def _table_row(text: str) -> bool:
    return "|" in text


def suppress_line(text: str, fmt: str, offset: int, rule: str) -> TextEdit | None:
    """The edit that adds ``claimlint-disable-next-line RULE`` for the line holding ``offset``,
    or None where no directive can go without changing the page."""
    index = LineIndex(text)
    line = index.line_of(offset)
    eol = line_ending(text)
    current = index.line_text(line)
    indent = _indent(current)
    start = index.line_start(line)
    if fmt == "text":
        return TextEdit(start, start, f"{indent}# claimlint-disable-next-line {rule}{eol}")
    comment = f"<!-- claimlint-disable-next-line {rule} -->"
    standalone = TextEdit(start, start, f"{indent}{comment}{eol}")
    if fmt == "html":
        before = text[:start]
        if before.rfind("<") > before.rfind(">"):
            return None  # the line starts inside a tag's attributes
        return standalone
    # Markdown.
    first = _front_matter_lines(index)
    if line < first:
        return None
    prev = line - 1
    while prev >= first and not index.line_text(prev).strip():
        prev -= 1
    if prev < first:
        return standalone
    prev_text = index.line_text(prev)
    if _FENCE.match(prev_text) or _ATX.match(prev_text) or _REFDEF.match(prev_text):
        return standalone
    if prev == line - 1:
        if _TABLE_DELIM.match(prev_text) and _table_row(prev_text) and _table_row(current):
            return None  # the first row of a table: nothing can go between it and the header
        if _BREAK.match(prev_text):
            return standalone
        if _table_row(prev_text) and _table_row(current):
            body = prev_text.rstrip(" \t")
            at = index.line_start(prev) + (len(body) - 1 if body.endswith("|") else len(body))
            return TextEdit(at, at, f" {comment} ")
        # The line continues a paragraph, a list or a block quote.
        return _append_at(index, prev, comment)
    # A blank line before the finding's line: a new block starts there, unless it is the next
    # item (or an indented paragraph) of a loose list, which a comment line would end.
    if (_LIST_ITEM.match(current) or indent) and not _BREAK.match(prev_text) \
            and not _table_row(prev_text):
        return _append_at(index, prev, comment)
    return standalone


def suppress_file(text: str, fmt: str, rule: str) -> TextEdit:
    """The edit that adds ``claimlint-disable-file RULE``: at the top of the file, after
    Markdown front matter or an HTML doctype."""
    index = LineIndex(text)
    eol = line_ending(text)
    at = 1 if text.startswith("\ufeff") else 0
    if fmt == "text":
        return TextEdit(at, at, f"# claimlint-disable-file {rule}{eol}")
    comment = f"<!-- claimlint-disable-file {rule} -->"
    if fmt == "markdown":
        first = _front_matter_lines(index)
        if first:
            if first < index.line_count:
                at = index.line_start(first)
            else:
                return TextEdit(len(text), len(text), f"{eol}{comment}{eol}")
    elif fmt == "html":
        m = _DOCTYPE.match(text)
        if m:
            if not m.group(0).endswith(("\n", "\r")):
                return TextEdit(m.end(), m.end(), f"{eol}{comment}"
                                + ("" if m.end() == len(text) else eol))
            at = m.end()
    return TextEdit(at, at, f"{comment}{eol}")
