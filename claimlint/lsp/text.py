"""Text as an editor sees it: lines, and positions in the encoding the client negotiated.

claimlint locates a finding by code-point offsets into the document text. A Language Server
Protocol client counts ``Position.character`` in UTF-16 code units unless it offered, and the
server chose, UTF-8 or UTF-32 (``positionEncoding``). A line ends at ``\\r\\n``, ``\\r`` or ``\\n``
-- and at nothing else: U+2028, form feed and the other characters ``str.splitlines`` breaks at
are ordinary characters to an editor.

Nothing here depends on pygls: the functions are plain and tested on their own.
"""
from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

_EOL = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` is in ``encoding`` (lone surrogates count as one char)."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


def _char_units(ch: str, encoding: str) -> int:
    o = ord(ch)
    if encoding == UTF16:
        return 2 if o > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 1


class LineIndex:
    """Where each line of ``text`` starts, for converting offsets to positions and back."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in _EOL.finditer(text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The 0-based line holding code-point ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def line_start(self, line: int) -> int:
        return self.starts[line]

    def content_end(self, line: int) -> int:
        """The offset where ``line``'s text ends, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if self.text[end - 2:end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line]:self.content_end(line)]

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """(line, character) of code-point ``offset``, ``character`` in ``encoding``'s units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.starts[line]
        # An offset inside a line break counts as the end of the line's text.
        offset = min(offset, self.content_end(line))
        return line, units(self.text[start:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The code-point offset of a client position. As the protocol asks, a line past the end
        means the end of the text and a character past the line's end means the line's end; a
        position inside a character (half of a UTF-16 surrogate pair, or inside a UTF-8
        sequence) means the start of that character."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.content_end(line)
        character = max(character, 0)
        if encoding == UTF32:
            return min(start + character, end)
        segment = self.text[start:end]
        if segment.isascii():
            return start + min(character, len(segment))
        if encoding == UTF16 and max(segment) < "\U00010000":
            return start + min(character, len(segment))
        count = 0
        for i, ch in enumerate(segment):
            n = _char_units(ch, encoding)
            if count + n > character:
                return start + i
            count += n
        return end


def apply_change(text: str, index: LineIndex | None, start: tuple[int, int],
                 end: tuple[int, int], new_text: str, encoding: str = UTF16) -> str:
    """``text`` with the range from ``start`` to ``end`` (client positions) replaced."""
    index = index if index is not None and index.text is text else LineIndex(text)
    a = index.offset(*start, encoding)
    b = index.offset(*end, encoding)
    if b < a:
        a, b = b, a
    return text[:a] + new_text + text[b:]


def line_ending(text: str) -> str:
    """The line break a text uses (its first one; ``\\n`` when it has none)."""
    m = _EOL.search(text)
    return m.group(0) if m else "\n"
