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
_P_PR, _P_STYLE = _W + "pPr", _W + "pStyle"
_NO_VAL = object()  # <w:pStyle/> without w:val (python-docx refuses it: a plain paragraph)

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

    # A paragraph's style depends only on its w:pStyle value, but python-docx takes about 3 ms to
    # resolve one (it scans every style of the document): 80,000 paragraphs took two minutes. The
    # kind is resolved by python-docx once per distinct value, then reused.
    kinds: dict = {}
    for p in _paragraph_elements(document.element.body):
        ppr = p.find(_P_PR)
        pstyle = ppr.find(_P_STYLE) if ppr is not None else None
        key = None if pstyle is None else pstyle.get(_VAL, _NO_VAL)
        kind = kinds.get(key)
        if kind is None:
            style = ""
            try:
                para_style = Paragraph(p, document).style
                style = (para_style.name or "") if para_style is not None else ""
            except Exception:  # python-docx raises several unrelated error classes for bad styles
                pass  # (KeyError, ValueError, InvalidXmlError for <w:pStyle/>...): a plain paragraph
            kind = kinds[key] = "heading" if style.startswith(("Heading", "Title")) else \
                "list-item" if "List" in style else "paragraph"
        yield _paragraph_text(p).replace("\r", " ").replace("\n", " "), kind


MAX_ENTRIES = 5_000                # a Word document has a few dozen parts, a few hundred with images
MAX_XML_BYTES = 25_000_000         # its XML unpacked (about 1,000 pages of text; ~1 GB to parse)
MAX_UNPACKED_BYTES = 100_000_000   # everything unpacked, images included


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n < 10e6 else f"{n / 1e6:,.0f} MB"


def check_package(data: bytes, path: str, max_bytes: int | None = None) -> None:
    """Refuse a package that would unpack to far more than it weighs (a "zip bomb"): the size
    limit applies to what is read, not to the compressed file. python-docx reads every part of
    the package, and zipfile never returns more than a part's declared size, so the declared
    sizes bound the memory. Only the compression Word uses (stored, deflated) is accepted:
    zipfile decompresses bzip2 and LZMA parts in one step, before the declared size applies.

    The limits grow with ``max_bytes`` (the configuration's max-file-size) when it is given.
    """
    import zipfile

    max_xml, max_total = MAX_XML_BYTES, MAX_UNPACKED_BYTES
    if max_bytes:
        max_xml, max_total = max(max_xml, max_bytes + max_bytes // 4), max(max_total, 5 * max_bytes)
    # The number of entries, from the end-of-central-directory record, before zipfile builds an
    # object for each of them (a crafted central directory holds hundreds of thousands).
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd >= 0 and len(data) >= eocd + 12:
        declared = int.from_bytes(data[eocd + 10: eocd + 12], "little")
        if MAX_ENTRIES < declared != 0xFFFF:
            raise InputError(path, f"not checked: the Word document holds {declared:,} parts "
                                   f"(more than {MAX_ENTRIES:,}); a zip bomb?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, a truncated or inconsistent central directory...
        raise InputError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(path, f"not checked: the Word document holds {len(infos):,} parts "
                               f"(more than {MAX_ENTRIES:,}); a zip bomb?")
    total = xml = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(path, f"not a Word document this reads: part {info.filename!r} uses "
                                   f"compression method {info.compress_type} (Word uses deflate)")
        total += info.file_size
        if not info.filename.lower().startswith(("word/media/", "media/")):
            xml += info.file_size
    if total > max_total:
        raise InputError(path, f"not checked: the Word document unpacks to {_mb(total)}, over the "
                               f"{_mb(max_total)} limit (a zip bomb?)")
    if xml > max_xml:
        raise InputError(path, f"not checked: the Word document's text and markup unpack to "
                               f"{_mb(xml)}, over the {_mb(max_xml)} limit (a zip bomb?)")


def read_docx(data: bytes, path: str, max_bytes: int | None = None) -> tuple[str, list[Block]]:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError(path, "reading .docx needs python-docx (pip install python-docx)") from None
    check_package(data, path, max_bytes)
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
