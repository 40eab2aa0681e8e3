"""HTML: the visible text, entity-decoded, one block per block-level element.

A small scanner rather than a DOM: it walks the original text once, so every character of prose it
keeps has an exact original offset. Text inside ``script``, ``style``, ``template``, ``noscript``,
``pre``/``code`` and elements marked ``hidden`` is not linted; ``<title>`` and the
``<meta name="description">`` content are, each as a block of its own.
"""
from __future__ import annotations

import html
import re

from ..document import Block, Link, ProseBuilder, make_block

# Elements whose whole content is skipped. Raw-text elements are skipped by searching for their end
# tag (their content is not markup); the others are skipped while tracking nesting.
RAW_TEXT = {"script", "style", "textarea", "xmp", "plaintext"}
SKIP = {"template", "noscript", "pre", "code", "kbd", "samp", "svg", "math", "object", "iframe",
        "select", "button", "head-hidden"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
BLOCK_KIND = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "li": "list-item", "dt": "list-item", "dd": "list-item",
    "td": "table-cell", "th": "table-cell", "caption": "table-cell", "title": "title",
    "blockquote": "quote", "figcaption": "paragraph", "p": "paragraph", "div": "paragraph",
    "section": "paragraph", "article": "paragraph", "header": "paragraph", "footer": "paragraph",
    "main": "paragraph", "aside": "paragraph", "nav": "paragraph", "ul": "paragraph",
    "ol": "paragraph", "dl": "paragraph", "table": "paragraph", "tr": "paragraph",
    "thead": "paragraph", "tbody": "paragraph", "tfoot": "paragraph", "form": "paragraph",
    "fieldset": "paragraph", "legend": "paragraph", "details": "paragraph", "summary": "heading",
    "address": "paragraph", "hr": "paragraph", "body": "paragraph", "html": "paragraph",
    "head": "paragraph", "figure": "paragraph", "center": "paragraph", "option": "paragraph",
    "label": "paragraph",
}

_TOKEN = re.compile(
    r"<!--|<!\[CDATA\[|<![A-Za-z]|<\?|</?[A-Za-z][A-Za-z0-9:._-]*"
    r"|&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
)
_ATTRS = re.compile(
    r"""((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?=[^>]))*)\s*(/?)>"""
)
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_WS = re.compile(r"\s+")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)


def declared_charset(head: bytes) -> str | None:
    """The encoding an HTML file declares in a ``<meta charset>`` within its first bytes."""
    m = _META_CHARSET.search(head[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _attrs(raw: str, base: int) -> dict[str, tuple[str, int, int]]:
    """Attribute name -> (raw value, value start, value end) in original offsets."""
    out: dict[str, tuple[str, int, int]] = {}
    for m in _ATTR.finditer(raw):
        name = m.group(1).lower()
        val = m.group(2)
        if val is None:
            out.setdefault(name, ("", base + m.end(1), base + m.end(1)))
            continue
        vs = base + m.start(2)
        if val[:1] in "\"'":
            out.setdefault(name, (val[1:-1], vs + 1, vs + len(val) - 1))
        else:
            out.setdefault(name, (val, vs, vs + len(val)))
    return out


def _decode_entity(ent: str) -> str:
    out = html.unescape(ent)
    return out


class HtmlExtractor:
    """Extracts blocks (and comments, for inline suppressions) from ``text[start:end]``."""

    def __init__(self, text: str, start: int = 0, end: int | None = None):
        self.text = text
        self.start = start
        self.end = len(text) if end is None else end
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int, str]] = []
        self._builder = ProseBuilder()
        self._kind = "paragraph"
        self._links: list[tuple[int, str, str]] = []  # (prose start, href, tag) open <a>
        self._sup: list[int] = []

    # -- blocks ---------------------------------------------------------------------------------
    def _flush(self, next_kind: str = "paragraph") -> None:
        b = self._builder
        if len(b):
            for start, href, _ in self._links:
                b.links.append(Link(start, len(b), href))
            blk = make_block(b, self._kind)
            if blk:
                self.blocks.append(blk)
        self._builder = ProseBuilder()
        self._links = [(0, href, tag) for _, href, tag in self._links]
        self._sup = [0 for _ in self._sup]
        self._kind = next_kind

    def _text(self, a: int, b: int) -> None:
        """Copy text, collapsing whitespace runs as a browser does."""
        if a >= b:
            return
        self._builder.copy(self.text, a, b)

    def _attr_block(self, value: tuple[str, int, int], kind: str) -> None:
        raw, vs, ve = value
        b = ProseBuilder()
        pos = vs
        for m in _ENTITY.finditer(self.text, vs, ve):
            b.copy(self.text, pos, m.start())
            dec = _decode_entity(m.group(0))
            b.replace(dec, m.start(), m.end())
            pos = m.end()
        b.copy(self.text, pos, ve)
        blk = make_block(b, kind)
        if blk:
            self.blocks.append(blk)

    # -- scanning -------------------------------------------------------------------------------
    def run(self) -> tuple[list[Block], list[tuple[int, int, str]]]:
        text, pos, end = self.text, self.start, self.end
        skip_stack: list[str] = []  # names of skipped elements we are inside (nesting-aware)
        while pos < end:
            m = _TOKEN.search(text, pos, end)
            if m is None:
                if not skip_stack:
                    self._text(pos, end)
                break
            if m.start() > pos and not skip_stack:
                self._text(pos, m.start())
            tok = m.group(0)
            if tok == "<!--":
                if text.startswith(">", m.end(), end) or text.startswith("->", m.end(), end):
                    # "<!-->" and "<!--->" are whole, empty comments, as browsers read them.
                    stop = text.index(">", m.end()) + 1
                    body = ""
                else:
                    close = text.find("-->", m.end(), end)
                    stop = end if close < 0 else close + 3
                    body = text[m.end():close if close >= 0 else end]
                self.comments.append((m.start(), stop, body))
                if not skip_stack:
                    self._builder.gap(m.start(), stop)
                pos = stop
                continue
            if tok == "<![CDATA[":
                close = text.find("]]>", m.end(), end)
                pos = end if close < 0 else close + 3
                continue
            if tok.startswith("<!") or tok == "<?":
                close = text.find(">", m.end(), end)
                pos = end if close < 0 else close + 1
                continue
            if tok[0] == "&":
                if not skip_stack:
                    dec = _decode_entity(tok)
                    if dec == tok:
                        self._text(m.start(), m.end())
                    else:
                        self._builder.replace(dec, m.start(), m.end())
                pos = m.end()
                continue
            # A tag.
            closing = tok[1] == "/"
            name = tok[2:].lower() if closing else tok[1:].lower()
            am = _ATTRS.match(text, m.end(), end)
            if am is None:
                # Not a well-formed tag: a literal '<'.
                if not skip_stack:
                    self._text(m.start(), m.start() + 1)
                pos = m.start() + 1
                continue
            tag_end = am.end()
            self_closing = am.group(2) == "/"
            pos = tag_end
            if skip_stack:
                if name == skip_stack[-1]:
                    if closing:
                        skip_stack.pop()
                    elif not self_closing:
                        skip_stack.append(name)
                continue
            if closing:
                self._close(name, m.start(), tag_end)
                continue
            attrs = _attrs(am.group(1), am.start(1))
            if name in RAW_TEXT:
                close = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(text, tag_end, end)
                pos = end if close is None else close.end()
                self._builder.gap(m.start(), pos)
                continue
            hidden = "hidden" in attrs or attrs.get("aria-hidden", ("",))[0].strip().lower() == "true" \
                or re.search(r"display\s*:\s*none", attrs.get("style", ("",))[0], re.I) is not None
            if (name in SKIP or hidden) and name not in VOID:
                if not self_closing:
                    skip_stack.append(name)
                self._builder.gap(m.start(), tag_end)
                continue
            self._open(name, attrs, m.start(), tag_end)
        self._flush()
        return self.blocks, self.comments

    def _open(self, name: str, attrs: dict, start: int, end: int) -> None:
        if name == "meta":
            key = (attrs.get("name") or attrs.get("property") or ("",))[0].lower()
            if key in ("description", "og:description") and "content" in attrs:
                self._attr_block(attrs["content"], "front-matter")
            return
        if name == "br" or name == "wbr":
            if name == "br":
                self._builder.space(start, end)
            return
        if name == "img":
            self._builder.gap(start, end)
            return
        if name in BLOCK_KIND:
            self._flush(BLOCK_KIND[name])
            return
        if name == "a":
            href = attrs.get("href", ("", 0, 0))[0]
            self._links.append((len(self._builder), html.unescape(href), name))
            return
        if name == "sup":
            self._sup.append(len(self._builder))

    def _close(self, name: str, start: int, end: int) -> None:
        if name == "br":  # browsers read "</br>" as "<br>"
            self._builder.space(start, end)
            return
        if name in BLOCK_KIND:
            self._flush()
            return
        if name == "a" and self._links:
            s, href, _ = self._links.pop()
            if href and len(self._builder) > s:
                self._builder.links.append(Link(s, len(self._builder), href))
            return
        if name == "sup" and self._sup:
            s = self._sup.pop()
            if len(self._builder) > s:
                self._builder.marks.append((s, len(self._builder), "sup"))


def read_html(text: str, start: int = 0, end: int | None = None):
    """Blocks and comments of an HTML text (or of the HTML in ``text[start:end]``)."""
    return HtmlExtractor(text, start, end).run()
