"""Positions in the language server: code-point offsets to LSP positions in UTF-16 (the
protocol's default), UTF-8 and UTF-32, on lines with emoji, CJK text and every kind of line end."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from claimlint import Linter, Settings
from claimlint.lsp.text import UTF8, UTF16, UTF32, LineIndex, apply_change, line_ending, units


def test_units():
    assert units("abc", UTF16) == 3
    assert units("😀", UTF16) == 2 and units("😀", UTF8) == 4 and units("😀", UTF32) == 1
    assert units("睡眠", UTF16) == 2 and units("睡眠", UTF8) == 6
    assert units("é", UTF8) == 2 and units("é", UTF16) == 1
    assert units("\ud800", UTF16) == 1  # a lone surrogate does not break the count


def test_emoji_and_cjk_before_a_claim():
    text = "Intro line\n😀🌙 睡眠 Our drops cure insomnia.\n"
    index = LineIndex(text)
    at = text.index("cure")
    # Code points: 😀 🌙 space 睡 眠 space = 6 before "Our"; UTF-16 counts the two emoji twice.
    assert index.position(at, UTF32) == (1, 6 + len("Our drops "))
    assert index.position(at, UTF16) == (1, 8 + len("Our drops "))
    assert index.position(at, UTF8) == (1, 4 + 4 + 1 + 3 + 3 + 1 + len("Our drops "))
    for enc in (UTF8, UTF16, UTF32):
        assert index.offset(*index.position(at, enc), enc) == at


def test_line_ends_are_cr_lf_and_crlf_only():
    text = "a\r\nb\rc\nd\u2028e\x0cf\x85g"
    index = LineIndex(text)
    assert index.line_count == 4
    assert [index.line_text(i) for i in range(4)] == ["a", "b", "c", "d\u2028e\x0cf\x85g"]
    assert index.position(text.index("g"), UTF16) == (3, 6)
    # An offset inside a CRLF pair is the end of its line.
    assert index.position(2, UTF16) == (0, 1)
    assert line_ending(text) == "\r\n" and line_ending("x\ny") == "\n" and line_ending("x") == "\n"


def test_positions_past_the_end_and_inside_a_character():
    text = "ab😀cd\nxy"
    index = LineIndex(text)
    assert index.offset(0, 99, UTF16) == 5  # the end of the line, before its break
    assert index.offset(7, 0, UTF16) == len(text)
    assert index.offset(-1, 3, UTF16) == 0
    assert index.offset(0, 3, UTF16) == 2  # inside the surrogate pair: the emoji's start
    assert index.offset(0, 4, UTF16) == 3
    assert index.offset(0, 4, UTF8) == 2  # inside the emoji's four bytes
    assert index.offset(0, 6, UTF8) == 3
    assert index.offset(1, 1, UTF32) == 7
    assert index.position(999, UTF16) == (1, 2)


def test_incremental_changes_in_utf16():
    text = "😀 Our drops cure insomnia.\r\nSecond line 睡眠.\r\n"
    # Replace "cure" (UTF-16 columns 13-17 on line 0) and insert after 睡眠 on line 1.
    new = apply_change(text, None, (0, 13), (0, 17), "ease", UTF16)
    assert new.startswith("😀 Our drops ease insomnia.")
    new = apply_change(new, None, (1, 14), (1, 14), "!", UTF16)
    assert "睡眠!." in new
    # A range given end first still replaces the same text.
    assert apply_change(text, None, (0, 17), (0, 13), "ease", UTF16).startswith("😀 Our drops ease")
    # Deleting a line break joins the lines.
    assert apply_change("a\r\nb", None, (0, 1), (1, 0), "", UTF16) == "ab"


_chars = st.sampled_from(list("ab cé睡😀🌙\n\r") + ["\r\n", "\u2028"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_chars, max_size=40).map("".join), st.data())
def test_offsets_round_trip_in_every_encoding(text, data):
    index = LineIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    # Offsets between CR and LF are not positions; findings never start there.
    if text[offset - 1:offset + 1] == "\r\n":
        offset -= 1
    for enc in (UTF8, UTF16, UTF32):
        line, char = index.position(offset, enc)
        assert index.offset(line, char, enc) == offset
        assert char == units(index.line_text(line)[: offset - index.line_start(line)], enc)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_findings_map_to_the_columns_the_cli_reports(eol):
    text = eol.join(["# Sleep 😀", "", "🌙🌙 睡眠 Our drops cure insomnia, and they are completely "
                     "safe.", "", "Ünïcödé 🧪 clinically proven."]) + eol
    findings = Linter(Settings()).check_text(text, path="page.md").findings
    assert findings
    index = LineIndex(text)
    for f in findings:
        assert index.position(f.start, UTF32) == (f.line - 1, f.column - 1)
        assert index.position(f.end, UTF32) == (f.end_line - 1, f.end_column - 1)
        line, char = index.position(f.start, UTF16)
        prefix = index.line_text(line)[: f.column - 1]
        assert char == len(prefix.encode("utf-16-le")) // 2
