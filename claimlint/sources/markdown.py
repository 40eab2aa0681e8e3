"""Markdown (CommonMark and the GitHub extensions writers use) to prose blocks.

A line-oriented block scanner and an inline scanner, both working on offsets into the original
text, so the prose they emit maps back exactly. What is linted: paragraphs, headings, list items,
block quotes, table cells, footnote text, the ``title`` and ``description`` of YAML front matter,
and the visible text of embedded HTML. What is not: fenced and indented code, inline code, HTML
comments, link and image destinations, images, link reference definitions.
"""
from __future__ import annotations

import html
import re
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
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_INLINE_TAG = re.compile(
    r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>"
)
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_FRONT_KEY = re.compile(r"(title|description)[ \t]*:[ \t]*")


def _indent(text: str, a: int, b: int) -> tuple[int, int]:
    """(columns of leading whitespace, characters of it) for ``text[a:b]``; tabs stop every 4."""
    col = 0
    i = a
    while i < b and text[i] in " \t":
        col = col + 4 - col % 4 if text[i] == "\t" else col + 1
        i += 1
    return col, i - a


def _strip_cols(text: str, a: int, b: int, cols: int) -> int:
    """Offset after removing up to ``cols`` columns of indentation from ``text[a:b]``."""
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

    def _starts_block(self, v: View) -> bool:
        """Does this line start a block that interrupts a paragraph?"""
        text = self.text
        a, b, _ = v
        if _ATX.match(text, a, b) or _FENCE.match(text, a, b) or _QUOTE.match(text, a, b):
            return True
        if _THEMATIC.match(text, a, b):
            return True
        bm = _BULLET.match(text, a, b)
        if bm and text[bm.end():b].strip():
            marker = bm.group(1)
            return not marker[0].isdigit() or marker[:-1] == "1"
        if _HTML_BLOCK.match(text, a, b):
            return True
        return False

    def _blocks(self, views: list[View]) -> None:
        text = self.text
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
                inner: list[View] = []
                while i < n:
                    la, lb, lc = views[i]
                    q = _QUOTE.match(text, la, lb)
                    if q:
                        inner.append((q.end(), lb, lc))
                    elif self._line(views[i]).strip() and inner and not self._starts_block(views[i]):
                        inner.append(views[i])  # lazy continuation
                    else:
                        break
                    i += 1
                self._blocks(inner)
                continue
            bm = _BULLET.match(text, a, b)
            if bm:
                i = self._list_item(views, i, bm)
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
                if self._starts_block(views[i]):
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

    def _list_item(self, views: list[View], i: int, bm: re.Match) -> int:
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
        self._blocks(inner)
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


class InlineScanner:
    """Emits the prose of a block's inline content into a builder.

    The scanner works on the block's *logical* text -- its views joined by ``\n`` -- so that links,
    code spans and comments may run over a line break; every emitted range is mapped back to the
    original through the views, and a line break between two views becomes one space.
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

    def run(self) -> None:
        self._inline(0, len(self.text))

    # -- logical -> original ----------------------------------------------------------------------
    def _view(self, lp: int) -> int:
        import bisect

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

    # -- scanning ---------------------------------------------------------------------------------
    def _inline(self, a: int, b: int, depth: int = 0) -> None:
        text, bld = self.text, self.b
        pos = a
        while pos < b:
            m = _INLINE.search(text, pos, b)
            if m is None:
                self.copy(pos, b)
                return
            i = m.start()
            if i > pos:
                self.copy(pos, i)
            ch = text[i]
            pos = i + 1
            if ch == "\\":
                if i + 1 < b and text[i + 1] in _ESCAPABLE:
                    self.replace(text[i + 1], i, i + 2)
                    pos = i + 2
                elif i + 1 < b and text[i + 1] == "\n":
                    pass  # hard line break: the separator that follows becomes a space
                else:
                    self.copy(i, i + 1)
            elif ch == "`":
                run = 1
                while i + run < b and text[i + run] == "`":
                    run += 1
                close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(text, i + run, b)
                if close:
                    self.gap(i, close.end())
                    pos = close.end()
                else:
                    self.copy(i, i + run)
                    pos = i + run
            elif ch in "*_~":
                run = 1
                while i + run < b and text[i + run] == ch:
                    run += 1
                before = text[i - 1] if i > a else " "
                after = text[i + run] if i + run < b else " "
                literal = (before.isspace() and after.isspace()) \
                    or (ch == "_" and before.isalnum() and after.isalnum()) \
                    or (ch == "~" and run == 1)
                if literal:
                    self.copy(i, i + run)
                pos = i + run
            elif ch == "!" and i + 1 < b and text[i + 1] == "[":
                end = self._link_end(i + 1, b)
                if end is not None:
                    self.gap(i, end[2])
                    pos = end[2]
                else:
                    self.copy(i, i + 1)
            elif ch == "[":
                if text.startswith("[^", i):
                    close = text.find("]", i, b)
                    if close > i:
                        self.copy(i, close + 1)  # a footnote reference: kept, it cites
                        pos = close + 1
                        continue
                end = self._link_end(i, b)
                if end is None or depth > 4:
                    self.copy(i, i + 1)
                    continue
                label_end, href, stop = end
                start = len(bld)
                self._inline(i + 1, label_end, depth + 1)
                if len(bld) > start:
                    bld.links.append(Link(start, len(bld), href))
                pos = stop
            elif ch == "<":
                pos = self._angle(i, b)
            elif ch == "&":
                em = _ENTITY.match(text, i, b)
                if em and html.unescape(em.group(0)) != em.group(0):
                    self.replace(html.unescape(em.group(0)), i, em.end())
                    pos = em.end()
                else:
                    self.copy(i, i + 1)
            else:
                self.copy(i, i + 1)

    def _angle(self, i: int, b: int) -> int:
        text, bld = self.text, self.b
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4, b)
            stop = b if close < 0 else close + 3
            self.reader.comments.append((self.orig(i), self.orig_end(stop),
                                         text[i + 4:close if close >= 0 else b]))
            self.gap(i, stop)
            return stop
        am = _AUTOLINK.match(text, i, b)
        if am:
            start = len(bld)
            self.copy(am.start(1), am.end(1))
            href = am.group(1)
            bld.links.append(Link(start, len(bld), href if ":" in href else "mailto:" + href))
            return am.end()
        tm = _INLINE_TAG.match(text, i, b)
        if tm:
            name = tm.group(1).lower()
            closing = text[i + 1] == "/"
            if name == "br":
                bld.space(self.orig(i), self.orig_end(tm.end()))
            elif name == "sup":
                if not closing:
                    self._sup_start = len(bld)
                elif self._sup_start is not None:
                    if len(bld) > self._sup_start:
                        bld.marks.append((self._sup_start, len(bld), "sup"))
                    self._sup_start = None
            elif name in ("p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
                self.gap(i, tm.end())
            return tm.end()
        self.copy(i, i + 1)
        return i + 1

    def _link_end(self, i: int, b: int):
        """For ``[`` at ``i``: (label end, href, end of the link), or None if it is no link."""
        text = self.text
        depth = 0
        j = i
        while j < b:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "`":
                run = 1
                while j + run < b and text[j + run] == "`":
                    run += 1
                close = text.find("`" * run, j + run, b)
                j = close + run if close >= 0 else j + run
                continue
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        else:
            return None
        label_end = j
        k = j + 1
        if k < b and text[k] == "(":
            d = 1
            m = k + 1
            while m < b and d:
                if text[m] == "\\":
                    m += 2
                    continue
                if text[m] == "(":
                    d += 1
                elif text[m] == ")":
                    d -= 1
                m += 1
            if d:
                return None
            inner = text[k + 1:m - 1].strip()
            if inner.startswith("<") and ">" in inner:
                href = inner[1:inner.index(">")]
            else:
                href = inner.split()[0] if inner else ""
            return label_end, href, m
        if k < b and text[k] == "[":
            close = text.find("]", k + 1, b)
            if close < 0:
                return None
            ref = text[k + 1:close] or text[i + 1:label_end]
            if _norm_label(ref) in self.reader.refs:
                return label_end, "#" + _norm_label(ref), close + 1
            return None
        if _norm_label(text[i + 1:label_end]) in self.reader.refs:
            return label_end, "#" + _norm_label(text[i + 1:label_end]), label_end + 1
        return None


def read_markdown(text: str) -> MarkdownResult:
    return MarkdownReader(text).run()
