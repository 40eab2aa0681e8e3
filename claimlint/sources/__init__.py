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
import re

from .. import safefs
from ..document import Document
from ..errors import InputError
from .html import declared_charset, read_html
from .markdown import read_markdown
from .text import read_text

# MDX is Markdown with JSX components and import/export lines: read as Markdown (components as
# HTML, import/export lines as text).
MARKDOWN_EXTS = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx"}
DOCX_EXTS = {".docx"}
HTML_EXTS = {".html", ".htm", ".xhtml"}

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
            enc = web_encoding(charset) if charset else None
            if charset and enc is None:
                raise InputError(path, f"declares {charset!r}, which is not an encoding of web "
                                       "pages; save it as UTF-8") from None
            if enc is not None and enc != "utf-8":
                try:
                    return data.decode(enc), enc, False
                except UnicodeDecodeError as exc2:
                    raise _decode_error(path, data, exc2, enc) from None
        raise _decode_error(path, data, exc, "utf-8") from None


# The encodings of the WHATWG Encoding Standard that Python can decode, by Python's codec name.
# A page may declare only these: anything else a browser would not use either, and some of
# Python's codecs are not text encodings at all (hex, rot13, zlib) or would rewrite the text
# (unicode_escape turns "\n" into a line break and move every position after it).
_WEB_ENCODINGS = {
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
    "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "mac-cyrillic", "gbk", "gb18030",
    "big5", "euc_jp", "iso2022_jp", "cp932", "cp949", "utf-16-le", "utf-16-be",
}
# Labels the standard maps to another encoding than Python would.
_WEB_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gbk",
                "iso8859-9": "cp1254", "iso8859-11": "cp874", "utf-16": "utf-16-le",
                "shift_jis": "cp932", "euc_kr": "cp949"}


# Labels of the standard that Python does not know.
_WEB_LABELS = {"x-mac-cyrillic": "mac-cyrillic", "x-mac-ukrainian": "mac-cyrillic",
               "windows-874": "cp874", "tis-620": "cp874", "iso-8859-8-i": "iso8859-8",
               "x-sjis": "cp932", "ms932": "cp932", "windows-31j": "cp932",
               "x-euc-jp": "euc_jp", "x-gbk": "gbk", "x-cp1250": "cp1250", "x-cp1251": "cp1251",
               "x-cp1252": "cp1252", "x-cp1253": "cp1253", "x-cp1254": "cp1254",
               "x-cp1255": "cp1255", "x-cp1256": "cp1256", "x-cp1257": "cp1257",
               "x-cp1258": "cp1258", "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8",
               "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8"}


def web_encoding(label: str) -> str | None:
    """The Python codec for an HTML ``charset`` label, or None if pages may not use it."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_WEB_LABELS.get(label, label)).name
    except (LookupError, ValueError):
        return None
    name = _WEB_ALIASES.get(name, name)
    return name if name in _WEB_ENCODINGS else None


_LINE_END = re.compile(r"\r\n|\r|\n")


def _decode_error(path: str, data: bytes, exc: UnicodeDecodeError, enc: str) -> InputError:
    """The error for the first undecodable byte, at its line and column in the decoded text
    (line ends as everywhere else: LF, CRLF or a lone CR; columns count characters)."""
    try:
        good = data[: exc.start].decode(enc)
    except (UnicodeError, LookupError):  # pragma: no cover - the prefix decoded before
        good = data[: exc.start].decode("latin-1")
    ends = list(_LINE_END.finditer(good))
    line = len(ends) + 1
    col = len(good) - (ends[-1].end() if ends else 0) + 1
    bad = data[exc.start: exc.start + 1]
    return InputError(
        path,
        f"not valid {enc.upper()} (byte 0x{bad.hex().upper()} at line {line}, column {col}); "
        "save it as UTF-8, or declare its encoding in an HTML <meta charset>",
        line=line,
        column=col,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(text: str, path: str = "<text>", fmt: str | None = None) -> Document:
    """Build a :class:`Document` from already decoded text."""
    fmt = fmt or format_for(path)
    if _SURROGATE.search(text):
        # A lone surrogate (only a caller's string can hold one: decoding is strict) is not a
        # character: it cannot be written out or tokenized. U+FFFD keeps every position.
        text = _SURROGATE.sub("\ufffd", text)
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


def _too_large(display: str, exc, what: str = "file") -> InputError:
    limit = f"{exc.limit / 1e6:.0f} MB limit (raise max-file-size in the configuration to check it)"
    if exc.exact:
        return InputError(display, f"{what} is {exc.size / 1e6:.1f} MB, over the {limit}")
    return InputError(display, f"{what} is over the {limit}")


def read_bytes(path: str, display: str | None = None, max_bytes: int | None = None) -> bytes:
    """A regular file's bytes, or :class:`InputError` naming the file and the problem.

    FIFOs, devices and sockets (a repository can hold ``mkfifo page.md`` or a link to
    ``/dev/zero``) are refused without blocking or reading them, and at most ``max_bytes`` + 1
    bytes are ever read, whatever size the file claims.
    """
    display = display or path
    try:
        return safefs.read_regular(path, max_bytes)
    except safefs.TooLarge as exc:
        raise _too_large(display, exc) from None
    except safefs.NotRegularFile as exc:
        if exc.kind == "a directory":
            raise InputError(display, "is a directory") from None
        raise InputError(display, f"is {exc.kind}, not a regular file; not checked") from None
    except IsADirectoryError:
        raise InputError(display, "is a directory") from None
    except FileNotFoundError:
        raise InputError(display, "no such file or directory") from None
    except PermissionError:
        raise InputError(display, "permission denied") from None
    except OSError as exc:
        raise InputError(display, exc.strerror or str(exc)) from None


def read_stream(stream, display: str = "<stdin>", max_bytes: int | None = None) -> bytes:
    """At most ``max_bytes`` of a binary stream (standard input), or :class:`InputError`: a
    pipe from ``/dev/zero`` stops at the limit instead of filling the memory."""
    try:
        return safefs.read_stream(stream, max_bytes, display)
    except safefs.TooLarge as exc:
        raise _too_large(display, exc, "the input") from None
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from None


def load(path: str, display: str | None = None, max_bytes: int | None = None,
         data: bytes | None = None) -> Document:
    """Read, decode and parse one file. Raises :class:`InputError` for anything unreadable."""
    display = display or path
    fmt = format_for(path)
    if data is None:
        data = read_bytes(path, display, max_bytes)
    if fmt == "docx":
        from .docx import read_docx

        text, blocks = read_docx(data, display, max_bytes)
        doc = Document(path=display, text=text, blocks=blocks, format="docx", encoding="docx")
        return doc
    text, enc, bom = decode(data, display, fmt)
    doc = parse(text, display, fmt)
    doc.encoding, doc.bom = enc, bom
    doc.digest = hashlib.sha256(data).hexdigest()
    return doc
