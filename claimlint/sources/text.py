"""Plain text: paragraphs separated by blank lines; a line break ends a sentence unless the next
line clearly continues it (a hard-wrapped paragraph)."""
from __future__ import annotations

import re

from ..document import Block, ProseBuilder, make_block

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_END_PUNCT = ".!?:;\u2026\"'\u201d\u2019)]"
_FUNCTION_WORDS = {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "by",
                   "from", "as", "at", "than", "that", "which", "who", "our", "your", "their", "its",
                   "nor", "into"}
_BULLET = re.compile(r"\s*(?:[-*+\u2022\u2023\u25e6\u2043\u2219\u25aa\u25cf]|\d{1,3}[.)])\s")


def _continues(prev: str, line: str) -> bool:
    """True when ``line`` continues the sentence on ``prev`` (a soft, hard-wrapped line break)."""
    p = prev.rstrip()
    s = line.lstrip()
    if not p or not s or _BULLET.match(line):
        return False
    if p[-1] in _END_PUNCT:
        return False
    if p[-1] in ",-\u2013\u2014(/&":
        return True
    if s[0].islower():
        return True
    # A long line ending in a function word was wrapped mid-sentence; a short one is a heading
    # such as "What hormone therapy is" or "Who it's for".
    return len(p) >= 50 and p.rsplit(None, 1)[-1].lower() in _FUNCTION_WORDS


def iter_lines(text: str, start: int = 0, end: int | None = None):
    """Yield ``(line_start, content_end, line_end)`` for each line of ``text[start:end]``."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        m = _LINE.match(text, pos, end)
        stop = m.end()
        content_end = stop
        while content_end > pos and text[content_end - 1] in "\r\n":
            content_end -= 1
        yield pos, content_end, stop
        if stop == pos:
            break
        pos = stop


def lines_to_blocks(text: str, spans: list[tuple[int, int]], kind: str = "paragraph") -> list[Block]:
    """Group line spans (``(start, content_end)``; empty ones are blank lines) into blocks."""
    blocks: list[Block] = []
    builder: ProseBuilder | None = None
    prev_line = ""
    prev_end = 0
    for a, b in spans:
        line = text[a:b]
        if not line.strip():
            if builder is not None:
                blk = make_block(builder, kind)
                if blk:
                    blocks.append(blk)
                builder = None
            continue
        if builder is not None and _continues(prev_line, line):
            lead = len(line) - len(line.lstrip())
            builder.space(prev_end, a + lead)
            builder.copy(text, a + lead, b)
        else:
            if builder is not None:
                blk = make_block(builder, kind)
                if blk:
                    blocks.append(blk)
            builder = ProseBuilder()
            builder.copy(text, a, b)
        prev_line, prev_end = line, b
    if builder is not None:
        blk = make_block(builder, kind)
        if blk:
            blocks.append(blk)
    return blocks


# A suppression directive on a line of its own: "# claimlint-disable-next-line claims/cure-claim".
# Any form (claimlint-disable-lines too): the suppressions module reports the ones it cannot read.
DIRECTIVE_LINE = re.compile(
    r"[ \t]*(?:#|//|--|%|;|\*)?[ \t]*(claimlint-[A-Za-z][\w-]*[^\r\n]*)$"
)


def read_text(text: str) -> tuple[list[Block], list[tuple[int, int, str]]]:
    """Blocks of a plain-text file, and its suppression directives as (start, end, body)."""
    spans: list[tuple[int, int]] = []
    directives: list[tuple[int, int, str]] = []
    for a, b, _ in iter_lines(text):
        m = DIRECTIVE_LINE.match(text, a, b) if "claimlint-" in text[a:b] else None
        if m:
            directives.append((a, b, m.group(1)))
            spans.append((a, a))  # a blank line: a directive ends the paragraph above it
        else:
            spans.append((a, b))
    return lines_to_blocks(text, spans, "line"), directives
