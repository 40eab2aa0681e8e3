"""Markdown (CommonMark and the GitHub extensions writers use) to prose blocks.

A line-oriented block scanner and an inline scanner, both working on offsets into the original
text, so the prose they emit maps back exactly. What is linted: paragraphs, headings, list items,
block quotes, table cells, footnote text, the ``title`` and ``description`` of YAML front matter,
and the visible text of embedded HTML. What is not: fenced and indented code, inline code, HTML
comments, link and image destinations, images, link reference definitions.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass

from ..document import Block, Link, ProseBuilder, make_block
from .html import read_html
from .text import iter_lines

# A view is one line of a container's content: (content start, content end, line end) offsets.
View = tuple[int, int, int]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})([^`]*)$")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_QUOTE = re.compile(r" {0,3}> ?")
_QUOTES = re.compile(r"(?: {0,3}> ?)+")
_BULLET = re.compile(r" {0,3}([-+*]|\d{1,9}[.)])(?=[ \t]|$)")
_REFDEF = re.compile(r" {0,3}\[([^\]\^][^\]]*)\]:[ \t]*(\S+)")
_FOOTDEF = re.compile(r" {0,3}\[\^[^\]]+\]:[ \t]*")
_TABLE_DELIM = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HTML_BLOCK = re.compile(
    r" {0,3}<(?:/?(?:address|article|aside|blockquote|body|center|details|dialog|dd|div|dl|dt|"
    r"fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|html|iframe|legend|li|main|menu|nav|"
    r"ol|p|section|summary|table|tbody|td|tfoot|th|thead|title|tr|ul|script|style|pre|textarea|"
    r"noscript|template|video|audio|picture)(?:[\s/>]|$)|!--)",
    re.IGNORECASE,
)
_INLINE = re.compile(r"[\\`*_~\[!<&]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)")
# An e-mail autolink's domain must hold a dot between two characters; that is checked after the
# match, as "[^@]+\.[^@]+" here backtracks over every dot and takes time quadratic in its length.
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[^\s<>@]+@([^\s<>@]+))>")
_INLINE_TAG = re.compile(
    r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>"
)
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LEAD = re.compile(r"[ \t]*")
_FRONT_KEY = re.compile(r"(title|description)[ \t]*:[ \t]*")
# How many block quotes and list items deep the reader descends (CommonMark lets a parser limit
# nesting). Each level re-reads the lines of the level above, and Python recursion is finite, so a
# file of ten thousand '>' would otherwise be slow or crash. Deeper than this, further quote
# markers are stripped all at once (their content joins the deepest quote: the prose keeps no '>'
# and every view still starts at the real content, so positions stay exact) and further list
# markers are kept as text. Real copy never comes near this depth.
MAX_NESTING = 16


def _indent(text: str, a: int, b: int) -> tuple[int, int]:
    """(columns of leading whitespace, characters of it) for ``text[a:b]``; tabs stop every 4."""
    lead = _LEAD.match(text, a, b).end() - a
    if text.find("\t", a, a + lead) < 0:
        return lead, lead  # a deeply indented line costs one regex step, not a loop per space
    col = 0
    i = a
    while i < b and text[i] in " \t":
        col = col + 4 - col % 4 if text[i] == "\t" else col + 1
        i += 1
    return col, i - a


def _strip_cols(text: str, a: int, b: int, cols: int) -> int:
    """Offset after removing up to ``cols`` columns of indentation from ``text[a:b]``."""
    lead = _LEAD.match(text, a, b).end() - a
    if text.find("\t", a, a + lead) < 0:
        return a + min(lead, cols)
    col = 0
    i = a
    while i < b and col < cols and text[i] in " \t":
        col = col + 4 - col % 4 if text[i] == "\t" else col + 1
        i += 1
    return i


@dataclass
class MarkdownResult:
    blocks: list[Block]
    comments: list[tuple[int, int, str]]


class MarkdownReader:
    def __init__(self, text: str):
        self.text = text
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int, str]] = []
        self.refs: set[str] = set()
        # _starts_block by (line start, lists): a lazy line is asked again at every quote level.
        self._starts: dict[tuple[int, bool], bool] = {}

    # -- entry ----------------------------------------------------------------------------------
    def run(self) -> MarkdownResult:
        text = self.text
        views: list[View] = [(a, b, c) for a, b, c in iter_lines(text)]
        start = self._front_matter(views)
        views = views[start:]
        for a, b, _ in views:
            m = _REFDEF.match(text, a, b)
            if m:
                self.refs.add(_norm_label(m.group(1)))
        self._blocks(views)
        return MarkdownResult(self.blocks, self.comments)

    def _front_matter(self, views: list[View]) -> int:
        text = self.text
        if not views or text[views[0][0]:views[0][1]].rstrip() != "---":
            return 0
        for i in range(1, len(views)):
            line = text[views[i][0]:views[i][1]].rstrip()
            if line in ("---", "..."):
                self._front_values(views[1:i])
                return i + 1
        return 0

    def _front_values(self, views: list[View]) -> None:
        text = self.text
        i = 0
        while i < len(views):
            a, b, _ = views[i]
            i += 1
            m = _FRONT_KEY.match(text, a, b)
            if not m:
                continue
            vs = m.end()
            val = text[vs:b].rstrip()
            ve = vs + len(val)
            builder = ProseBuilder()
            if val[:1] in ("'", '"'):
                q = val[0]
                close = text.rfind(q, vs + 1, ve)
                if close > vs:
                    builder.copy(text, vs + 1, close)
            elif val[:1] in ("|", ">"):
                first = True
                while i < len(views):
                    la, lb, _ = views[i]
                    line = text[la:lb]
                    if line.strip() and not line[:1].isspace():
                        break
                    i += 1
                    if not line.strip():
                        continue
                    lead = len(line) - len(line.lstrip())
                    if not first:
                        builder.space(la, la + lead)
                    builder.copy(text, la + lead, lb)
                    first = False
            else:
                hash_at = re.search(r"\s#", val)
                if hash_at:
                    ve = vs + hash_at.start()
                builder.copy(text, vs, ve)
            blk = make_block(builder, "heading" if m.group(1) == "title" else "front-matter")
            if blk:
                self.blocks.append(blk)

    # -- blocks ---------------------------------------------------------------------------------
    def _line(self, v: View) -> str:
        return self.text[v[0]:v[1]]

    def _starts_block(self, v: View, lists: bool = True) -> bool:
        """Does this line start a block that interrupts a paragraph? (``lists``: may a list start?)"""
        key = (v[0], lists)
        known = self._starts.get(key)
        if known is None:
            known = self._starts[key] = self._starts_block_uncached(v, lists)
        return known

    def _starts_block_uncached(self, v: View, lists: bool) -> bool:
        text = self.text
        a, b, _ = v
        if _ATX.match(text, a, b) or _FENCE.match(text, a, b) or _QUOTE.match(text, a, b):
            return True
        if _THEMATIC.match(text, a, b):
            return True
        bm = _BULLET.match(text, a, b) if lists else None
        if bm and text[bm.end():b].strip():
            marker = bm.group(1)
            return not marker[0].isdigit() or marker[:-1] == "1"
        if _HTML_BLOCK.match(text, a, b):
            return True
        return False

    def _blocks(self, views: list[View], depth: int = 0) -> None:
        text = self.text
        nest = depth < MAX_NESTING
        i, n = 0, len(views)
        while i < n:
            a, b, c = views[i]
            line = text[a:b]
            if not line.strip():
                i += 1
                continue
            cols, _ = _indent(text, a, b)
            if cols >= 4:
                # Indented code: runs until a non-blank line indented less than four columns.
                while i < n and (not self._line(views[i]).strip()
                                 or _indent(text, views[i][0], views[i][1])[0] >= 4):
                    i += 1
                continue
            fm = _FENCE.match(text, a, b)
            if fm and not (fm.group(1)[0] == "`" and "`" in fm.group(2)):
                fence = fm.group(1)
                i += 1
                while i < n:
                    la, lb, _ = views[i]
                    cm = re.match(r" {0,3}(`{3,}|~{3,})[ \t]*$", text[la:lb])
                    i += 1
                    if cm and cm.group(1)[0] == fence[0] and len(cm.group(1)) >= len(fence):
                        break
                continue
            m = _ATX.match(text, a, b)
            if m:
                cs = m.end()
                content = text[cs:b]
                cm = _ATX_CLOSE.search(content)
                ce = cs + cm.start() if cm else b
                self._emit([(cs, ce, c)], "heading")
                i += 1
                continue
            if _THEMATIC.match(text, a, b):
                i += 1
                continue
            if _HTML_BLOCK.match(text, a, b):
                i = self._html_block(views, i)
                continue
            qm = _QUOTE.match(text, a, b)
            if qm:
                marker = _QUOTE if nest else _QUOTES
                inner: list[View] = []
                while i < n:
                    la, lb, lc = views[i]
                    q = marker.match(text, la, lb)
                    if q:
                        inner.append((q.end(), lb, lc))
                    elif self._line(views[i]).strip() and inner \
                            and not self._starts_block(views[i], nest):
                        inner.append(views[i])  # lazy continuation
                    else:
                        break
                    i += 1
                # At the limit, no line of ``inner`` starts with '>' any more: this recursion ends.
                self._blocks(inner, depth + 1 if nest else depth)
                continue
            bm = _BULLET.match(text, a, b) if nest else None
            if bm:
                i = self._list_item(views, i, bm, depth)
                continue
            if "|" in line and i + 1 < n and _TABLE_DELIM.match(text, views[i + 1][0], views[i + 1][1]) \
                    and "-" in self._line(views[i + 1]):
                i = self._table(views, i)
                continue
            if _REFDEF.match(text, a, b):
                i += 1
                continue
            fd = _FOOTDEF.match(text, a, b)
            # Paragraph: until a blank line or a line that starts another block.
            para: list[View] = [(fd.end(), b, c) if fd else (a + _indent(text, a, b)[1], b, c)]
            i += 1
            kind = "paragraph"
            while i < n:
                la, lb, lc = views[i]
                if not text[la:lb].strip():
                    break
                sm = _SETEXT.match(text, la, lb)
                if sm and (sm.group(1)[0] == "=" or len(para) >= 1):
                    kind = "heading"
                    i += 1
                    break
                if self._starts_block(views[i], nest):
                    break
                para.append((la + _indent(text, la, lb)[1], lb, lc))
                i += 1
            self._emit(para, kind)

    def _html_block(self, views: list[View], i: int) -> int:
        """An HTML block runs to the next blank line (a comment to its ``-->``)."""
        text = self.text
        a = views[i][0]
        n = len(views)
        first = text[a:views[i][1]].lstrip()
        if first.startswith("<!--"):
            j = i
            while j < n and "-->" not in self._line(views[j]):
                j += 1
            j = min(j, n - 1)
        else:
            raw = re.match(r"<(script|style|pre|textarea)\b", first, re.I)
            j = i
            if raw:
                close = re.compile(rf"</{raw.group(1)}\s*>", re.I)
                while j < n and not close.search(self._line(views[j])):
                    j += 1
                j = min(j, n - 1)
            else:
                while j + 1 < n and self._line(views[j + 1]).strip():
                    j += 1
        end = views[j][1]
        blocks, comments = read_html(text, a, end)
        self.blocks.extend(blocks)
        self.comments.extend(comments)
        return j + 1

    def _list_item(self, views: list[View], i: int, bm: re.Match, depth: int) -> int:
        text = self.text
        a, b, c = views[i]
        n = len(views)
        marker_end = bm.end()
        # Content starts after 1-4 spaces following the marker (5+ means indented code inside).
        sp_cols, sp_chars = _indent(text, marker_end, b)
        if sp_cols > 4 or marker_end + sp_chars >= b:
            content_start = min(marker_end + 1, b)
        else:
            content_start = marker_end + sp_chars
        content_cols = _indent(text, a, b)[0] + (bm.end() - bm.start() - _indent(text, a, b)[1]) \
            + min(sp_cols, 4) if marker_end + sp_chars < b else bm.end() - a + 1
        content_cols = max(content_cols, 2)
        # Task list checkbox.
        cb = re.match(r"\[[ xX]\][ \t]+", text[content_start:b])
        if cb:
            content_start += cb.end()
        inner: list[View] = [(content_start, b, c)]
        i += 1
        last_blank = False
        while i < n:
            la, lb, lc = views[i]
            line = text[la:lb]
            if not line.strip():
                inner.append((la, lb, lc))
                last_blank = True
                i += 1
                continue
            cols = _indent(text, la, lb)[0]
            if cols >= content_cols:
                inner.append((_strip_cols(text, la, lb, content_cols), lb, lc))
            elif not last_blank and not self._starts_block(views[i]) and not _BULLET.match(text, la, lb):
                inner.append((la + _indent(text, la, lb)[1], lb, lc))  # lazy continuation
            else:
                break
            last_blank = False
            i += 1
        while inner and not self._line(inner[-1]).strip():
            inner.pop()
        before = len(self.blocks)
        self._blocks(inner, depth + 1)
        for blk in self.blocks[before:]:
            if blk.kind == "paragraph":
                blk.kind = "list-item"
                break
        return i

    def _table(self, views: list[View], i: int) -> int:
        text = self.text
        n = len(views)
        rows = [views[i]]
        j = i + 2
        while j < n and self._line(views[j]).strip() and "|" in self._line(views[j]):
            rows.append(views[j])
            j += 1
        for a, b, c in rows:
            for cs, ce in _cells(text, a, b):
                self._emit([(cs, ce, c)], "table-cell")
        return j

    # -- inline ---------------------------------------------------------------------------------
    def _emit(self, views: list[View], kind: str) -> None:
        builder = ProseBuilder()
        InlineScanner(self, views, builder).run()
        blk = make_block(builder, kind)
        if blk:
            self.blocks.append(blk)


def _norm_label(label: str) -> str:
    return " ".join(label.lower().split())


def _cells(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cell content spans of a table row (pipes inside code spans or escaped do not split)."""
    cells = []
    i = a
    while i < b and text[i] in " \t":
        i += 1
    if i < b and text[i] == "|":
        i += 1
    start = i
    in_code = 0
    while i < b:
        ch = text[i]
        if ch == "\\" and i + 1 < b:
            i += 2
            continue
        if ch == "`":
            run = 1
            while i + run < b and text[i + run] == "`":
                run += 1
            in_code = 0 if in_code == run else (run if not in_code else in_code)
            i += run
            continue
        if ch == "|" and not in_code:
            cells.append((start, i))
            start = i + 1
        i += 1
    if text[start:b].strip():
        cells.append((start, b))
    return cells


# A link label (of a reference link) is at most 999 characters, as in CommonMark; a longer bracket
# is never looked up, so that nested brackets do not cost a normalised copy of the block each.
_MAX_LABEL = 999
_SPECIAL = re.compile(r"[\\`\[\]]")  # what the bracket walk of _link_end looks at
_PAREN = re.compile(r"[\\()]")
_TICKS = re.compile(r"`+")
_RUN = {"*": re.compile(r"\*+"), "_": re.compile(r"_+"), "~": re.compile(r"~+")}
_DEST_ANGLE = re.compile(r"\s*<([^>]*)>")
_DEST = re.compile(r"\s*(\S*)")


def _punct(ch: str) -> bool:
    """CommonMark's Unicode punctuation: the P and S general categories."""
    return unicodedata.category(ch)[0] in "PS"


class _Run:
    """A run of ``*``, ``_`` or ``~~`` that may open or close emphasis (CommonMark's delimiter run).

    ``closed``/``opened`` count its characters used as markup: a closer uses the characters at the
    start of the run, an opener those at its end; the rest stay as text.
    """

    __slots__ = ("ch", "start", "length", "count", "can_open", "can_close", "closed", "opened")

    def __init__(self, ch: str, start: int, length: int, can_open: bool, can_close: bool):
        self.ch, self.start, self.length = ch, start, length
        self.count = length
        self.can_open, self.can_close = can_open, can_close
        self.closed = self.opened = 0


def _delimiter_run(text: str, ch: str, i: int, run: int) -> _Run | None:
    """The run at ``i`` if it can open or close emphasis by CommonMark's flanking rules, else None."""
    if ch == "~" and run != 2:
        return None  # GFM strikes through with "~~" only; a single "~" is "approximately"
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + run] if i + run < len(text) else "\n"
    ws_before, ws_after = before.isspace(), after.isspace()
    p_before, p_after = _punct(before), _punct(after)
    left = not ws_after and (not p_after or ws_before or p_before)
    right = not ws_before and (not p_before or ws_after or p_after)
    if ch == "_":  # no emphasis inside a word: snake_case, file_name_here
        can_open, can_close = left and (not right or p_before), right and (not left or p_after)
    else:
        can_open, can_close = left, right
    return _Run(ch, i, run, can_open, can_close) if can_open or can_close else None


def _pair_runs(runs: list[_Run]) -> None:
    """CommonMark's "process emphasis": pair closers with the nearest matching opener.

    Runs that pair lose the characters used as markup; a run that pairs with nothing (``2*3``)
    stays text. ``floor`` remembers, per kind of closer, how far back a search already failed, so
    the whole pass is linear.
    """
    n = len(runs)
    prev = list(range(-1, n - 1))
    nxt = list(range(1, n + 1))
    nxt[-1] = -1

    def unlink(k: int) -> None:
        p, q = prev[k], nxt[k]
        if p >= 0:
            nxt[p] = q
        if q >= 0:
            prev[q] = p

    floor: dict[tuple[str, bool, int], int] = {}
    cur = 0
    while cur >= 0:
        closer = runs[cur]
        if not closer.can_close:
            cur = nxt[cur]
            continue
        key = (closer.ch, closer.can_open, closer.length % 3)
        bottom = floor.get(key, -1)
        k = prev[cur]
        while k > bottom:
            opener = runs[k]
            if opener.ch == closer.ch and opener.can_open:
                if closer.ch == "~":
                    if opener.length == closer.length:
                        break
                # The "rule of 3": in "*foo**bar*", the "**" cannot close the first "*".
                elif not ((opener.can_close or closer.can_open)
                          and (opener.length + closer.length) % 3 == 0
                          and (opener.length % 3 or closer.length % 3)):
                    break
            k = prev[k]
        else:  # no opener: later closers of this kind need not look back past here
            floor[key] = prev[cur]
            following = nxt[cur]
            if not closer.can_open:
                unlink(cur)
            cur = following
            continue
        opener = runs[k]
        use = 2 if closer.ch == "~" or (opener.count >= 2 and closer.count >= 2) else 1
        opener.count -= use
        opener.opened += use
        closer.count -= use
        closer.closed += use
        nxt[k], prev[cur] = cur, k  # runs between the pair can no longer pair
        if not opener.count:
            unlink(k)
        if not closer.count:
            following = nxt[cur]
            unlink(cur)
            cur = following


class _Index:
    """Where brackets, parentheses and code spans of a block's logical text end, found once.

    Looking for the ``]`` of every ``[`` by scanning ahead took time quadratic in the length of a
    block full of ``[`` that never close (``[a](`` repeated, ``![``, ``<![CDATA[``). Here each
    answer is computed at most once and reused by every ``[`` whose scan would pass the same place.
    """

    def __init__(self, text: str):
        self.text = text
        # Code spans: starts of the backtick runs of each exact length (a closer must match).
        self.ticks: dict[int, list[int]] = {}
        for m in _TICKS.finditer(text):
            self.ticks.setdefault(m.end() - m.start(), []).append(m.start())
        # Parentheses: the ")" that closes each "(" (a backslash escapes the next character).
        self.parens: dict[int, int] = {}
        opened: list[int] = []
        skip = -1
        for m in _PAREN.finditer(text):
            p = m.start()
            if p < skip:
                continue
            ch = text[p]
            if ch == "\\":
                skip = p + 2
            elif ch == "(":
                opened.append(p)
            elif opened:
                self.parens[opened.pop()] = p
        # Brackets: the places the bracket walk stops at, and the answers found so far.
        self.special = [m.start() for m in _SPECIAL.finditer(text)]
        self.closes: list[int | None] = [None] * len(self.special) + [-1]
        self.rbrackets = [p for p in self.special if text[p] == "]"]

    def code_close(self, i: int, run: int, b: int) -> int:
        """Start of the run of exactly ``run`` backticks closing the one at ``i``, or -1."""
        starts = self.ticks.get(run)
        if starts:
            k = bisect.bisect_left(starts, i + run)
            if k < len(starts) and starts[k] + run <= b:
                return starts[k]
        return -1

    def next_rbracket(self, i: int, b: int) -> int:
        k = bisect.bisect_left(self.rbrackets, i)
        return self.rbrackets[k] if k < len(self.rbrackets) and self.rbrackets[k] < b else -1

    def _step(self, k: int) -> int:
        """Index of the special place the walk reaches after the one at index ``k``."""
        text, p = self.text, self.special[k]
        ch = text[p]
        if ch == "\\":
            q = p + 2
        elif ch == "`":
            run = _TICKS.match(text, p).end() - p
            close = self.code_close(p, run, len(text))
            q = close + run if close >= 0 else p + run
        else:
            q = p + 1
        return bisect.bisect_left(self.special, q)

    def bracket_close(self, i: int) -> int:
        """The ``]`` that closes the ``[`` at ``i`` (code spans and escapes skipped), or -1.

        ``closes[k]`` is the first ``]`` that takes the walk from special place ``k`` below its
        starting depth; a ``[`` defers to the answer after its own ``]``. Evaluated with an explicit
        stack, as a run of ``[`` is as deep as it is long.
        """
        closes, special, text = self.closes, self.special, self.text
        start = self._step(bisect.bisect_left(special, i))
        stack = [start]
        while stack:
            k = stack[-1]
            if closes[k] is not None:
                stack.pop()
                continue
            p = special[k]
            if text[p] == "]":
                closes[k] = p
                stack.pop()
                continue
            s = self._step(k)
            found = closes[s]
            if found is None:
                stack.append(s)
                continue
            if text[p] == "[" and found >= 0:
                s = bisect.bisect_left(special, found + 1)
                found = closes[s]
                if found is None:
                    stack.append(s)
                    continue
            closes[k] = found
            stack.pop()
        return closes[start]


class InlineScanner:
    """Emits the prose of a block's inline content into a builder.

    The scanner works on the block's *logical* text -- its views joined by ``\n`` -- so that links,
    code spans and comments may run over a line break; every emitted range is mapped back to the
    original through the views, and a line break between two views becomes one space.

    Each range is read in two passes: the first finds its constructs and lists what to emit, the
    second emits it, once emphasis has been paired (whether a ``*`` is markup or text depends on
    the rest of the range).
    """

    def __init__(self, reader: MarkdownReader, views: list[View], builder: ProseBuilder):
        self.reader = reader
        self.src = reader.text
        self.views = views
        self.b = builder
        self.text = "\n".join(self.src[a:b] for a, b, _ in views)
        self._lstarts = []
        pos = 0
        for a, b, _ in views:
            self._lstarts.append(pos)
            pos += (b - a) + 1
        self._sup_start: int | None = None
        self._index: _Index | None = None

    def run(self) -> None:
        self._inline(0, len(self.text))

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index(self.text)
        return self._index

    # -- logical -> original ----------------------------------------------------------------------
    def _view(self, lp: int) -> int:
        return max(bisect.bisect_right(self._lstarts, lp) - 1, 0)

    def orig(self, lp: int) -> int:
        """Original offset of logical position ``lp`` (a separator maps to its line's end)."""
        k = self._view(lp)
        a, b, _ = self.views[k]
        return min(a + (lp - self._lstarts[k]), b)

    def orig_end(self, lp: int) -> int:
        """Original offset for an exclusive logical end ``lp``."""
        if lp <= 0:
            return self.views[0][0]
        return self.orig(lp - 1) + 1

    def copy(self, la: int, lb: int) -> None:
        """Emit logical ``[la, lb)``: text copied from each view, separators as one space."""
        if lb <= la:
            return
        k = self._view(la)
        while la < lb and k < len(self.views):
            a, b, _ = self.views[k]
            ls = self._lstarts[k]
            le = ls + (b - a)
            if la < le:
                stop = min(lb, le)
                self.b.copy(self.src, a + (la - ls), a + (stop - ls))
                la = stop
            if la >= lb:
                break
            if la == le:  # the separator after view k
                nxt = self.views[k + 1][0] if k + 1 < len(self.views) else b
                self.b.space(b, nxt)
                la += 1
            k += 1

    def gap(self, la: int, lb: int) -> None:
        self.b.gap(self.orig(la), self.orig_end(lb))

    def replace(self, s: str, la: int, lb: int) -> None:
        self.b.replace(s, self.orig(la), self.orig_end(lb))

    def space(self, la: int, lb: int) -> None:
        self.b.space(self.orig(la), self.orig_end(lb))

    # -- emitting (second pass) -------------------------------------------------------------------
    def _emit_run(self, r: _Run) -> None:
        self.copy(r.start + r.closed, r.start + r.length - r.opened)

    def _emit_link(self, la: int, lb: int, href: str, depth: int) -> None:
        bld = self.b
        start = len(bld)
        self._inline(la, lb, depth)
        if len(bld) > start:
            bld.links.append(Link(start, len(bld), href))

    def _emit_autolink(self, la: int, lb: int, href: str) -> None:
        start = len(self.b)
        self.copy(la, lb)
        self.b.links.append(Link(start, len(self.b), href))

    def _emit_comment(self, la: int, lb: int, body: str) -> None:
        self.reader.comments.append((self.orig(la), self.orig_end(lb), body))
        self.gap(la, lb)

    def _emit_sup(self, closing: bool) -> None:
        bld = self.b
        if not closing:
            self._sup_start = len(bld)
        elif self._sup_start is not None:
            if len(bld) > self._sup_start:
                bld.marks.append((self._sup_start, len(bld), "sup"))
            self._sup_start = None

    # -- scanning (first pass) --------------------------------------------------------------------
    def _inline(self, a: int, b: int, depth: int = 0) -> None:
        ops: list[tuple] = []
        runs: list[_Run] = []
        self._scan(a, b, depth, ops, runs)
        if runs:
            _pair_runs(runs)
        for fn, *args in ops:
            fn(*args)

    def _scan(self, a: int, b: int, depth: int, ops: list[tuple], runs: list[_Run]) -> None:
        text = self.text
        pos = a
        while pos < b:
            m = _INLINE.search(text, pos, b)
            if m is None:
                ops.append((self.copy, pos, b))
                return
            i = m.start()
            if i > pos:
                ops.append((self.copy, pos, i))
            ch = text[i]
            pos = i + 1
            if ch == "\\":
                if i + 1 < b and text[i + 1] in _ESCAPABLE:
                    ops.append((self.replace, text[i + 1], i, i + 2))
                    pos = i + 2
                elif i + 1 < b and text[i + 1] == "\n":
                    pass  # hard line break: the separator that follows becomes a space
                else:
                    ops.append((self.copy, i, i + 1))
            elif ch == "`":
                run = _TICKS.match(text, i, b).end() - i
                close = self.index.code_close(i, run, b)
                if close >= 0:
                    ops.append((self.gap, i, close + run))
                    pos = close + run
                else:
                    ops.append((self.copy, i, i + run))
                    pos = i + run
            elif ch in "*_~":
                run = _RUN[ch].match(text, i, b).end() - i
                r = _delimiter_run(text, ch, i, run)
                if r is None:
                    ops.append((self.copy, i, i + run))
                else:
                    runs.append(r)
                    ops.append((self._emit_run, r))
                pos = i + run
            elif ch == "!" and i + 1 < b and text[i + 1] == "[":
                end = self._link_end(i + 1, b)
                if end is not None:
                    ops.append((self.gap, i, end[2]))
                    pos = end[2]
                else:
                    ops.append((self.copy, i, i + 1))
            elif ch == "[":
                if text.startswith("[^", i):
                    close = self.index.next_rbracket(i, b)
                    if close > i:
                        ops.append((self.copy, i, close + 1))  # a footnote reference: kept, it cites
                        pos = close + 1
                        continue
                end = self._link_end(i, b)
                if end is None or depth > 4:
                    ops.append((self.copy, i, i + 1))
                    continue
                label_end, href, stop = end
                ops.append((self._emit_link, i + 1, label_end, href, depth + 1))
                pos = stop
            elif ch == "<":
                pos = self._angle(i, b, ops)
            elif ch == "&":
                em = _ENTITY.match(text, i, b)
                if em and html.unescape(em.group(0)) != em.group(0):
                    ops.append((self.replace, html.unescape(em.group(0)), i, em.end()))
                    pos = em.end()
                else:
                    ops.append((self.copy, i, i + 1))
            else:
                ops.append((self.copy, i, i + 1))

    def _angle(self, i: int, b: int, ops: list[tuple]) -> int:
        text = self.text
        if text.startswith("<!--", i):
            if text.startswith(">", i + 4, b) or text.startswith("->", i + 4, b):
                # "<!-->" and "<!--->" are whole, empty comments (CommonMark, and browsers).
                stop = text.index(">", i + 4) + 1
                body = ""
            else:
                close = text.find("-->", i + 4, b)
                stop = b if close < 0 else close + 3
                body = text[i + 4:close if close >= 0 else b]
            ops.append((self._emit_comment, i, stop, body))
            return stop
        am = _AUTOLINK.match(text, i, b)
        if am and (am.group(2) is None or "." in am.group(2)[1:-1]):
            href = am.group(1)
            ops.append((self._emit_autolink, am.start(1), am.end(1),
                        href if ":" in href else "mailto:" + href))
            return am.end()
        tm = _INLINE_TAG.match(text, i, b)
        if tm:
            name = tm.group(1).lower()
            if name == "br":
                ops.append((self.space, i, tm.end()))
            elif name == "sup":
                ops.append((self._emit_sup, text[i + 1] == "/"))
            elif name in ("p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
                ops.append((self.gap, i, tm.end()))
            return tm.end()
        ops.append((self.copy, i, i + 1))
        return i + 1

    def _link_end(self, i: int, b: int):
        """For ``[`` at ``i``: (label end, href, end of the link), or None if it is no link."""
        text, index, refs = self.text, self.index, self.reader.refs
        label_end = index.bracket_close(i)
        if label_end < 0 or label_end >= b:
            return None
        k = label_end + 1
        if k < b and text[k] == "(":
            close = index.parens.get(k, -1)
            if close < 0 or close >= b:
                return None
            m = _DEST_ANGLE.match(text, k + 1, close) or _DEST.match(text, k + 1, close)
            return label_end, m.group(1), close + 1
        if k < b and text[k] == "[":
            close = text.find("]", k + 1, b)
            if close < 0:
                return None
            ra, rb = (k + 1, close) if close > k + 1 else (i + 1, label_end)
            if rb - ra <= _MAX_LABEL:
                label = _norm_label(text[ra:rb])
                if label in refs:
                    return label_end, "#" + label, close + 1
            return None
        if label_end - i - 1 <= _MAX_LABEL:
            label = _norm_label(text[i + 1:label_end])
            if label in refs:
                return label_end, "#" + label, label_end + 1
        return None


def read_markdown(text: str) -> MarkdownResult:
    return MarkdownReader(text).run()
