"""Word documents (.docx, through python-docx): body paragraphs and table cells, in order.

The document's text is its paragraphs joined by line breaks -- one paragraph per line, the
paragraphs of table cells in reading order -- so a finding's line and column are the paragraph's
number (counting from 1) and the character within it: ``report.docx:12:30``. Headings (paragraph
styles named "Heading ..." or "Title") and list paragraphs are blocks of their own kinds.
"""
from __future__ import annotations

import io

from ..document import Block, ProseBuilder, make_block
from ..errors import InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraphs(document):
    """(text, kind) of every paragraph of the body and its tables, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent_elm, parent):
        for child in parent_elm.iterchildren():
            if child.tag == _W + "p":
                yield Paragraph(child, parent)
            elif child.tag == _W + "tbl":
                table = Table(child, parent)
                for row in table.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        yield from walk(cell._tc, cell)
            elif child.tag == _W + "sdt":  # content controls wrap paragraphs
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from walk(content, parent)

    for para in walk(document.element.body, document):
        style = ""
        try:
            style = (para.style.name or "") if para.style is not None else ""
        except (KeyError, ValueError):
            pass
        kind = "heading" if style.startswith(("Heading", "Title")) else \
            "list-item" if "List" in style else "paragraph"
        yield para.text.replace("\r", " ").replace("\n", " "), kind


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
    for text, kind in _paragraphs(document):
        lines.append(text)
        kinds.append(kind)
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
