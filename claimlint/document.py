"""Documents: the original text, the prose extracted from it, and an exact map between the two.

A source reader (``claimlint.sources``) never hands the NLP layer the raw file. It builds
:class:`Block` objects -- a paragraph, a heading, a list item, a table cell -- each holding the prose
to lint and an :class:`OffsetMap` from every prose character back to the characters of the original
file it came from. Findings are located through that map, never by searching the source for the
matched text afterwards, so a finding's line and column are exact whatever markup surrounded it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# Whitespace the tokenizer would not treat as one plain space, and characters that are invisible.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
_WS_RUN = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Control characters (an escape sequence pasted into copy) separate words like a space does.
_ODD_SPACE = re.compile(f"[{_INVISIBLE_CHARS}]+|[\\s\\x00-\\x08\\x0e-\\x1f\\x7f-\\x9f]{{2,}}|[^\\S ]|[\\x00-\\x08\\x0e-\\x1f\\x7f-\\x9f]")

__all__ = ["OffsetMap", "ProseBuilder", "Block", "Link", "Document", "LineIndex"]


class OffsetMap:
    """Maps prose offsets to original offsets.

    The map is a sorted list of segments ``(prose_start, length, orig_start, orig_end)``. A *copy*
    segment (``orig_end - orig_start == length``) maps character for character; any other segment is
    a *replacement* (a decoded entity ``&amp;`` -> ``&``, a synthetic space standing for removed
    markup): each of its prose characters stands for the whole original range.
    """

    __slots__ = ("_starts", "_segs")

    def __init__(self, segments: list[tuple[int, int, int, int]]):
        self._segs = segments
        self._starts = [s[0] for s in segments]

    def _seg(self, p: int) -> tuple[int, int, int, int]:
        i = bisect.bisect_right(self._starts, p) - 1
        if i < 0:
            i = 0
        return self._segs[i]

    def start(self, p: int) -> int:
        """Original offset where prose character ``p`` starts."""
        ps, n, os_, oe = self._seg(p)
        if oe - os_ == n:
            return os_ + min(max(p - ps, 0), n)
        return os_

    def end(self, p: int) -> int:
        """Original offset just past prose character ``p - 1`` (``p`` is an exclusive end)."""
        if p <= 0:
            return self.start(0)
        ps, n, os_, oe = self._seg(p - 1)
        if oe - os_ == n:
            return os_ + min(max(p - ps, 0), n)
        return oe

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original ``[start, end)`` of prose ``[a, b)``."""
        if b <= a:
            s = self.start(a)
            return s, s
        return self.start(a), self.end(b)

    @property
    def segments(self) -> list[tuple[int, int, int, int]]:
        return self._segs


@dataclass(frozen=True)
class Link:
    """A link in the prose: ``start``/``end`` are prose offsets of its visible text."""

    start: int
    end: int
    href: str


class ProseBuilder:
    """Accumulates prose and its offset map while a source reader walks the original text."""

    __slots__ = ("_parts", "_segs", "_len", "links", "marks", "_pending_gap")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segs: list[tuple[int, int, int, int]] = []
        self._len = 0
        self.links: list[Link] = []
        self.marks: list[tuple[int, int, str]] = []  # (prose start, end, kind) e.g. superscripts
        self._pending_gap: tuple[int, int] | None = None

    def __len__(self) -> int:
        return self._len

    @property
    def last_char(self) -> str:
        return self._parts[-1][-1] if self._parts else ""

    def _append(self, text: str, orig_start: int, orig_end: int) -> None:
        if not text:
            return
        n = len(text)
        segs = self._segs
        if segs and orig_end - orig_start == n:
            ps, pn, os_, oe = segs[-1]
            if oe - os_ == pn and oe == orig_start and ps + pn == self._len:
                segs[-1] = (ps, pn + n, os_, orig_end)
                self._parts.append(text)
                self._len += n
                return
        segs.append((self._len, n, orig_start, orig_end))
        self._parts.append(text)
        self._len += n

    def _flush_gap(self, next_char: str) -> None:
        """Emit a pending gap as one space, unless whitespace already keeps the words apart."""
        gap = self._pending_gap
        self._pending_gap = None
        last = self.last_char
        if gap is not None and last and not last.isspace() and not next_char.isspace():
            self._append(" ", gap[0], gap[1])

    def copy(self, source: str, start: int, end: int) -> None:
        """Append ``source[start:end]``, normalising whitespace for the tokenizer.

        Runs of whitespace become one space, other Unicode spaces (no-break, tab, thin...) become a
        plain space and invisible characters (zero-width space, soft hyphen, joiners) are dropped, so
        that a phrase matches whatever spacing the writer typed. The map stays exact.
        """
        if end <= start:
            return
        if self._pending_gap is not None:
            self._flush_gap(source[start])
        last = self.last_char
        if not last or last.isspace():
            while start < end and source[start].isspace():
                start += 1
            if start >= end:
                return
        m = _ODD_SPACE.search(source, start, end)
        if m is None:
            self._append(source[start:end], start, end)
            return
        pos = start
        while m is not None:
            a, b = m.span()
            if a > pos:
                self._append(source[pos:a], pos, a)
            if not _INVISIBLE.match(source, a):
                last = self.last_char
                if last and not last.isspace():
                    self._append(" ", a, b)
            pos = b
            m = _ODD_SPACE.search(source, pos, end)
        if pos < end:
            self._append(source[pos:end], pos, end)

    def replace(self, text: str, orig_start: int, orig_end: int) -> None:
        """Append ``text`` standing for ``original[orig_start:orig_end]`` (an entity, an escape)."""
        if _ODD_SPACE.search(text) or text == " ":
            text = _INVISIBLE.sub("", text)
            text = _WS_RUN.sub(" ", text)
            text = _CONTROL.sub(" ", text)
            if text == " ":
                last = self.last_char
                self._pending_gap = None
                if last and not last.isspace():
                    self._append(" ", orig_start, orig_end)
                return
        if not text:
            return
        if self._pending_gap is not None:
            self._flush_gap(text[0])
        self._append(text, orig_start, orig_end)

    def gap(self, orig_start: int, orig_end: int) -> None:
        """Removed markup between two words: becomes one space if needed to keep words apart."""
        if self._pending_gap is None:
            self._pending_gap = (orig_start, orig_end)

    def space(self, orig_start: int, orig_end: int) -> None:
        """A line break inside a block (soft wrap, ``<br>``): one space unless one is there."""
        self._pending_gap = None
        last = self.last_char
        if last and not last.isspace():
            self._append(" ", orig_start, orig_end)

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap(self._segs)


@dataclass
class Block:
    """One unit of prose that can never share a sentence with another block.

    ``kind`` is one of ``paragraph``, ``heading``, ``list-item``, ``table-cell``, ``front-matter``,
    ``title``, ``quote``, ``line``.
    """

    text: str
    map: OffsetMap
    kind: str = "paragraph"
    links: list[Link] = field(default_factory=list)
    marks: list[tuple[int, int, str]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # offsets where a joined block starts


BLOCK_SEPARATOR = " "  # a plain space: no whitespace token, and sentences are split at breaks


def join_blocks(blocks: list[Block]) -> Block:
    """One block holding several, so that a document is analysed as one spaCy Doc.

    The blocks are separated by one space, their maps, links and marks are shifted, and the
    offset where each starts is kept in ``breaks`` so that no sentence runs from one into the next.
    """
    if len(blocks) == 1:
        return blocks[0]
    parts: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    links: list[Link] = []
    marks: list[tuple[int, int, str]] = []
    breaks: list[int] = []
    pos = 0
    for blk in blocks:
        if parts:
            parts.append(BLOCK_SEPARATOR)
            # The separator stands for the gap after the previous block (never reported).
            last = segs[-1] if segs else (0, 0, 0, 0)
            segs.append((pos, len(BLOCK_SEPARATOR), last[3], last[3]))
            pos += len(BLOCK_SEPARATOR)
        breaks.append(pos)
        parts.append(blk.text)
        segs.extend((ps + pos, n, os_, oe) for ps, n, os_, oe in blk.map.segments)
        links.extend(Link(l.start + pos, l.end + pos, l.href) for l in blk.links)
        marks.extend((a + pos, b + pos, k) for a, b, k in blk.marks)
        pos += len(blk.text)
    return Block("".join(parts), OffsetMap(segs), "document", links, marks, breaks)


# A run of more than this many punctuation characters with no space in it gets a space inserted
# after every PUNCT_RUN of them. spaCy's tokenizer splits a word's prefixes and suffixes one at a
# time, copying the rest of the word each time: 20 KB of ")" after a word took 53 s. No finding
# depends on such a run, and the inserted spaces stand for no original text.
PUNCT_RUN = 32
_LONG_PUNCT = re.compile(r"(?:[^\w\s]|_){%d,}" % (PUNCT_RUN + 1))


def _shift(x: int, points: list[int], inclusive: bool) -> int:
    return x + (bisect.bisect_right(points, x) if inclusive else bisect.bisect_left(points, x))


def break_punctuation_runs(text: str, omap: OffsetMap, links: list[Link],
                           marks: list[tuple[int, int, str]]):
    """``text`` with a space inside every long punctuation run (see :data:`PUNCT_RUN`), and its
    map, links and marks moved to match. Each space maps to an empty range of the original text
    where it was inserted (between two characters), so positions stay exact. Returns None when
    nothing needs breaking."""
    runs = list(_LONG_PUNCT.finditer(text))
    if not runs:
        return None
    wanted = [p for m in runs for p in range(m.start() + PUNCT_RUN, m.end(), PUNCT_RUN)]
    segs_in = omap.segments
    starts = [sg[0] for sg in segs_in]
    points: list[int] = []
    for p in wanted:  # a space never goes inside a replacement (an entity): after it instead
        ps, n, os_, oe = segs_in[bisect.bisect_right(starts, p) - 1]
        if oe - os_ != n and p != ps:
            p = ps + n
        if 0 < p < len(text) and (not points or points[-1] < p):
            points.append(p)
    if not points:
        return None
    segs: list[tuple[int, int, int, int]] = []
    pi = 0
    shift = 0
    for ps, n, os_, oe in segs_in:
        copy = oe - os_ == n
        a = ps
        while pi < len(points) and points[pi] < ps + n:
            p = points[pi]
            if p > a:
                if copy:
                    segs.append((a + shift, p - a, os_ + (a - ps), os_ + (p - ps)))
                else:
                    segs.append((a + shift, p - a, os_, oe))
            at = os_ + (p - ps) if copy else os_
            segs.append((p + shift, 1, at, at))
            shift += 1
            a = p
            pi += 1
        if a < ps + n:
            segs.append((a + shift, ps + n - a, os_ + (a - ps) if copy else os_, oe))
    parts = []
    last = 0
    for p in points:
        parts += [text[last:p], " "]
        last = p
    parts.append(text[last:])
    new_links = [Link(_shift(l.start, points, True), _shift(l.end, points, False), l.href)
                 for l in links]
    new_marks = [(_shift(a, points, True), _shift(b, points, False), k) for a, b, k in marks]
    return "".join(parts), OffsetMap(segs), new_links, new_marks


def make_block(builder: ProseBuilder, kind: str) -> Block | None:
    """Turn a builder into a block, trimming surrounding whitespace; None when empty."""
    text, omap = builder.build()
    if not text.strip():
        return None
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    if lead or trail != len(text):
        segs = []
        for ps, n, os_, oe in omap.segments:
            a, b = max(ps, lead), min(ps + n, trail)
            if a >= b:
                continue
            if oe - os_ == n:
                segs.append((a - lead, b - a, os_ + (a - ps), os_ + (b - ps)))
            else:
                segs.append((a - lead, b - a, os_, oe))
        omap = OffsetMap(segs)
        links = [Link(max(l.start - lead, 0), min(l.end - lead, trail - lead), l.href)
                 for l in builder.links if l.end > lead and l.start < trail]
        marks = [(max(s - lead, 0), min(e - lead, trail - lead), k)
                 for s, e, k in builder.marks if e > lead and s < trail]
        text = text[lead:trail]
    else:
        links, marks = list(builder.links), list(builder.marks)
    broken = break_punctuation_runs(text, omap, links, marks)
    if broken is not None:
        text, omap, links, marks = broken
    return Block(text=text, map=omap, kind=kind, links=links, marks=marks)


_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """1-based line/column positions (Unicode code points) in an original text.

    ``\\n``, ``\\r\\n`` and a lone ``\\r`` each end a line.
    """

    __slots__ = ("_starts", "_len")

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._len = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._len))
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_count(self) -> int:
        return len(self._starts)


@dataclass
class Document:
    """A source file after extraction.

    ``text`` is the original (decoded) text that positions refer to, ``blocks`` the prose to lint.
    ``path`` is the path as it should be displayed. ``bom`` and ``encoding`` record how the file
    was stored, so a fix can write it back the same way.
    """

    path: str
    text: str
    blocks: list[Block]
    format: str = "text"
    encoding: str = "utf-8"
    bom: bool = False
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, body)
    digest: str = ""  # sha256 of the bytes read, so a fix can refuse a file that changed since
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    def line_text(self, line: int) -> str:
        """The original line (without its line ending)."""
        start = self.lines.line_start(line)
        m = _NEWLINE.search(self.text, start)
        return self.text[start: m.start() if m else len(self.text)]
