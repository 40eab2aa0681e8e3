"""Word documents (.docx, through python-docx): body paragraphs and table cells, in order.

The document's text is its paragraphs joined by line breaks -- one paragraph per line, the
paragraphs of table cells in reading order -- so a finding's line and column are the paragraph's
number (counting from 1) and the character within it: ``report.docx:12:30``. Headings (paragraph
styles named "Heading ..." or "Title") and list paragraphs are blocks of their own kinds.

python-docx opens the package and resolves paragraph styles; the body is walked here, directly on
the XML, so that the text read is the text Word displays and odd markup cannot break the walk:

* tables are read row by row (``w:tr``) and cell by cell (``w:tc``) as they appear in the XML; cell
  properties (``w:gridSpan``, ``w:vMerge``) are never interpreted as numbers, and a cell that
  continues a vertical merge (``<w:vMerge/>`` or ``w:val="continue"``) is skipped -- its content
  is the merged cell's, read once where the merge starts;
* content controls (``w:sdt``) and custom XML (``w:customXml``) are transparent wherever they wrap
  paragraphs, tables, rows, cells or runs;
* tracked changes read as the document now stands: inserted runs (``w:ins``, ``w:moveTo``) are
  read, deleted ones (``w:del``, ``w:moveFrom``, their ``w:delText``) are not.
"""
from __future__ import annotations

import io

from ..document import Block, ProseBuilder, make_block
from ..errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _TC, _SDT, _SDT_CONTENT = (_W + t for t in ("p", "r", "tc", "sdt", "sdtContent"))
_V_MERGE, _TC_PR, _VAL, _TYPE = _W + "vMerge", _W + "tcPr", _W + "val", _W + "type"

# Elements whose children are block content (paragraphs, tables, rows, cells), walked into. A cell
# (w:tc) is walked into unless it continues a vertical merge; a content control (w:sdt) only through
# its w:sdtContent (its w:sdtPr holds placeholder and list-item settings, not displayed text).
_BLOCK_CONTAINERS = frozenset(_W + t for t in ("tbl", "tr", "sdtContent", "customXml"))
# Elements inside a paragraph whose children are runs shown in the document.
_INLINE_CONTAINERS = frozenset(_W + t for t in (
    "hyperlink", "ins", "moveTo", "sdtContent", "smartTag", "customXml", "fldSimple", "dir", "bdo"))
# Run content, as python-docx's Run.text reads it; w:br is a line break unless a page or column one.
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _continues_vertical_merge(tc) -> bool:
    """A ``w:tc`` continuing the vertical merge of a cell above it: no content of its own."""
    tc_pr = tc.find(_TC_PR)
    if tc_pr is None:
        return False
    v_merge = tc_pr.find(_V_MERGE)
    return v_merge is not None and v_merge.get(_VAL, "continue") == "continue"


def _walk(root, visit):
    """The descendants of ``root`` that ``visit`` accepts, in document order.

    ``visit(child)`` returns True to yield the child, an iterable of elements to go into instead,
    or None to skip it. Iterative (a stack of child iterators), so deeply nested tables cannot
    exhaust Python's stack.
    """
    stack = [iter(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        got = visit(child)
        if got is True:
            yield child
        elif got is not None:
            stack.append(iter(got))


def _block_child(child):
    tag = child.tag
    if tag == _P:
        return True
    if tag in _BLOCK_CONTAINERS or (tag == _TC and not _continues_vertical_merge(child)):
        return child
    if tag == _SDT:
        return child.findall(_SDT_CONTENT)
    return None


def _inline_child(child):
    tag = child.tag
    if tag == _R:
        return True
    if tag in _INLINE_CONTAINERS:
        return child
    if tag == _SDT:
        return child.findall(_SDT_CONTENT)
    return None


def _paragraph_elements(body):
    """Every ``w:p`` of ``body``, its tables and content controls, in document order."""
    return _walk(body, _block_child)


def _run_text(run) -> str:
    parts = []
    for child in run:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "br":
            parts.append("" if child.get(_TYPE) in ("page", "column") else "\n")
        else:
            parts.append(_RUN_TEXT.get(tag, ""))
    return "".join(parts)


def _paragraph_text(p) -> str:
    """A paragraph's text as displayed: its runs, through hyperlinks, insertions, controls..."""
    return "".join(_run_text(r) for r in _walk(p, _inline_child))


def _paragraphs(document):
    """(text, kind) of every paragraph of the body and its tables, in document order."""
    from docx.text.paragraph import Paragraph

    for p in _paragraph_elements(document.element.body):
        style = ""
        try:
            para_style = Paragraph(p, document).style
            style = (para_style.name or "") if para_style is not None else ""
        except Exception:  # python-docx raises several unrelated error classes for bad styles
            pass  # (KeyError, ValueError, InvalidXmlError for <w:pStyle/>...): a plain paragraph
        kind = "heading" if style.startswith(("Heading", "Title")) else \
            "list-item" if "List" in style else "paragraph"
        yield _paragraph_text(p).replace("\r", " ").replace("\n", " "), kind


def read_docx(data: bytes, path: str) -> tuple[str, list[Block]]:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError(path, "reading .docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors...
        raise InputError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    kinds: list[str] = []
    try:
        for text, kind in _paragraphs(document):
            lines.append(text)
            kinds.append(kind)
    except Exception as exc:  # a safety net: the walk above is meant to read any body it is given
        raise InputError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    text = "\n".join(lines)
    blocks: list[Block] = []
    pos = 0
    for line, kind in zip(lines, kinds):
        builder = ProseBuilder()
        builder.copy(text, pos, pos + len(line))
        blk = make_block(builder, kind)
        if blk is not None:
            blocks.append(blk)
        pos += len(line) + 1
    return text, blocks
