"""Render a terminal screen captured with ``tmux capture-pane -e -p`` to a PNG.

Used for the editor screenshots in docs/ (an editor running headless in tmux)::

    tmux capture-pane -e -p -t SESSION > screen.txt
    python scripts/terminal_png.py screen.txt docs/images/screen.png

Needs Pillow (``pip install pillow``) and a monospace TrueType font (DejaVu Sans Mono by default;
``--font`` names another). Understands the SGR escape sequences tmux writes: bold, italic,
underline, reverse, the 16 basic colours, the 256-colour palette and 24-bit colour.
"""
from __future__ import annotations

import argparse
import re
import unicodedata

BASIC = [(0x1e, 0x1e, 0x1e), (0xcd, 0x31, 0x31), (0x0d, 0xbc, 0x79), (0xe5, 0xe5, 0x10),
         (0x24, 0x72, 0xc8), (0xbc, 0x3f, 0xbc), (0x11, 0xa8, 0xcd), (0xe5, 0xe5, 0xe5),
         (0x66, 0x66, 0x66), (0xf1, 0x4c, 0x4c), (0x23, 0xd1, 0x8b), (0xf5, 0xf5, 0x43),
         (0x3b, 0x8e, 0xea), (0xd6, 0x70, 0xd6), (0x29, 0xb8, 0xdb), (0xff, 0xff, 0xff)]
DEFAULT_FG, DEFAULT_BG = (0xd4, 0xd4, 0xd4), (0x14, 0x16, 0x1b)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[()][0-9A-B]|\x1b[=>]")


def palette(n: int) -> tuple[int, int, int]:
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    v = 8 + (n - 232) * 10
    return v, v, v


class Style:
    __slots__ = ("fg", "bg", "bold", "italic", "underline", "reverse")

    def __init__(self):
        self.fg = self.bg = None
        self.bold = self.italic = self.underline = self.reverse = False

    def copy(self) -> Style:
        s = Style()
        s.fg, s.bg, s.bold, s.italic, s.underline, s.reverse = (
            self.fg, self.bg, self.bold, self.italic, self.underline, self.reverse)
        return s

    def apply(self, params: str) -> None:
        codes = [p for p in re.split(r"[;]", params)] if params else ["0"]
        i = 0
        while i < len(codes):
            code = codes[i]
            if ":" in code:  # 4:3 undercurl and friends
                head = code.split(":")[0]
                if head == "4":
                    self.underline = code != "4:0"
                i += 1
                continue
            c = int(code or 0)
            if c == 0:
                self.__init__()
            elif c == 1:
                self.bold = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = BASIC[c - 30]
            elif 90 <= c <= 97:
                self.fg = BASIC[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = BASIC[c - 40]
            elif 100 <= c <= 107:
                self.bg = BASIC[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48, 58) and i + 1 < len(codes):
                if codes[i + 1] == "5" and i + 2 < len(codes):
                    color = palette(int(codes[i + 2]))
                    i += 2
                elif codes[i + 1] == "2" and i + 4 < len(codes):
                    color = tuple(int(x) for x in codes[i + 2:i + 5])
                    i += 4
                else:
                    color = None
                if c == 38:
                    self.fg = color
                elif c == 48:
                    self.bg = color
                # 58: the underline's colour; the underline is drawn in the text's
            i += 1


def parse(text: str) -> list[list[tuple[str, Style]]]:
    rows = []
    style = Style()
    for line in text.rstrip("\n").split("\n"):
        line = OTHER_ESCAPE.sub("", line)
        row: list[tuple[str, Style]] = []
        pos = 0
        for m in SGR.finditer(line):
            row += [(ch, style) for ch in line[pos:m.start()]]
            style = style.copy()
            style.apply(m.group(1))
            pos = m.end()
        row += [(ch, style) for ch in line[pos:]]
        rows.append(row)
    return rows


def render(text: str, out: str, font_path: str, size: int, columns: int | None) -> None:
    from PIL import Image, ImageDraw, ImageFont

    regular = ImageFont.truetype(font_path, size)
    try:
        bold = ImageFont.truetype(font_path.replace(".ttf", "-Bold.ttf"), size)
    except OSError:
        bold = regular
    cw = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    ch = ascent + descent + 2
    rows = parse(text)
    width = columns or max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
                                for c, _ in r) for r in rows), default=80)
    pad = 10
    img = Image.new("RGB", (width * cw + 2 * pad, len(rows) * ch + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        x = 0
        for c, st in row:
            w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
            fg, bg = st.fg or DEFAULT_FG, st.bg or DEFAULT_BG
            if st.reverse:
                fg, bg = bg, fg
            left, top = pad + x * cw, pad + y * ch
            if bg != DEFAULT_BG:
                draw.rectangle([left, top, left + w * cw - 1, top + ch - 1], fill=bg)
            if c.strip():
                draw.text((left, top + 1), c, font=bold if st.bold else regular, fill=fg)
            if st.underline:
                draw.line([left, top + ch - 2, left + w * cw - 1, top + ch - 2], fill=fg)
            x += w
    img.save(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("capture")
    ap.add_argument("png")
    ap.add_argument("--font", default="/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    ap.add_argument("--size", type=int, default=15)
    ap.add_argument("--columns", type=int, help="screen width (default: the longest line)")
    args = ap.parse_args()
    with open(args.capture, encoding="utf-8", errors="replace") as fh:
        render(fh.read(), args.png, args.font, args.size, args.columns)


if __name__ == "__main__":
    main()
