"""Source readers: bytes on disk -> :class:`claimlint.document.Document`.

Decoding is strict: UTF-8 with or without a byte-order mark, UTF-16/UTF-32 with a byte-order mark,
or the encoding an HTML file declares in ``<meta charset>``. Anything else is an
:class:`InputError` naming the file and the position of the first undecodable byte -- claimlint
never guesses an encoding and never silently replaces characters, since that would move every
column after them.
"""
from __future__ import annotations

import codecs
import hashlib
import os

from ..document import Document
from ..errors import InputError
from .html import declared_charset, read_html
from .markdown import read_markdown
from .text import read_text

MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
DOCX_EXTS = {".docx"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
TEXT_EXTS = {".txt", ".text"}
DEFAULT_EXTENSIONS = (".md", ".markdown", ".html", ".htm", ".txt")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def format_for(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in MARKDOWN_EXTS:
        return "markdown"
    if ext in HTML_EXTS:
        return "html"
    if ext in DOCX_EXTS:
        return "docx"
    return "text"


def decode(data: bytes, path: str, fmt: str) -> tuple[str, str, bool]:
    """(text, encoding, had_bom) or :class:`InputError`."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, True
            except UnicodeDecodeError as exc:
                raise _decode_error(path, data[len(bom):], exc, enc) from None
    sample = data[:8192]
    if b"\x00" in sample:
        raise InputError(path, "binary file (contains NUL bytes); not checked")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        if fmt == "html":
            charset = declared_charset(data)
            if charset and charset.replace("_", "-") not in ("utf-8", "utf8"):
                try:
                    codecs.lookup(charset)
                except LookupError:
                    raise InputError(path, f"declares unknown encoding {charset!r}") from None
                try:
                    return data.decode(charset), charset, False
                except UnicodeDecodeError as exc2:
                    raise _decode_error(path, data, exc2, charset) from None
        raise _decode_error(path, data, exc, "utf-8") from None


def _decode_error(path: str, data: bytes, exc: UnicodeDecodeError, enc: str) -> InputError:
    good = data[: exc.start]
    line = good.count(b"\n") + 1
    col = len(good[good.rfind(b"\n") + 1:].decode(enc, errors="replace")) + 1
    bad = data[exc.start: exc.start + 1]
    return InputError(
        path,
        f"not valid {enc.upper()} (byte 0x{bad.hex().upper()} at line {line}, column {col}); "
        "save it as UTF-8, or declare its encoding in an HTML <meta charset>",
        line=line,
        column=col,
    )


def parse(text: str, path: str = "<text>", fmt: str | None = None) -> Document:
    """Build a :class:`Document` from already decoded text."""
    fmt = fmt or format_for(path)
    comments: list = []
    if fmt == "markdown":
        res = read_markdown(text)
        blocks, comments = res.blocks, res.comments
    elif fmt == "html":
        blocks, comments = read_html(text)
    else:
        blocks, comments = read_text(text)
    doc = Document(path=path, text=text, blocks=blocks, format=fmt)
    doc.comments = comments
    return doc


def read_bytes(path: str, display: str | None = None, max_bytes: int | None = None) -> bytes:
    """A file's bytes, or :class:`InputError` naming the file and the problem."""
    display = display or path
    try:
        if max_bytes is not None:
            size = os.path.getsize(path)
            if size > max_bytes:
                raise InputError(
                    display,
                    f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                    "(raise max-file-size in the configuration to check it)",
                )
        with open(path, "rb") as fh:
            return fh.read()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(display, "is a directory") from None
    except FileNotFoundError:
        raise InputError(display, "no such file or directory") from None
    except PermissionError:
        raise InputError(display, "permission denied") from None
    except OSError as exc:
        raise InputError(display, exc.strerror or str(exc)) from None


def load(path: str, display: str | None = None, max_bytes: int | None = None,
         data: bytes | None = None) -> Document:
    """Read, decode and parse one file. Raises :class:`InputError` for anything unreadable."""
    display = display or path
    fmt = format_for(path)
    if data is None:
        data = read_bytes(path, display, max_bytes)
    if fmt == "docx":
        from .docx import read_docx

        text, blocks = read_docx(data, display)
        doc = Document(path=display, text=text, blocks=blocks, format="docx", encoding="docx")
        return doc
    text, enc, bom = decode(data, display, fmt)
    doc = parse(text, display, fmt)
    doc.encoding, doc.bom = enc, bom
    doc.digest = hashlib.sha256(data).hexdigest()
    return doc
