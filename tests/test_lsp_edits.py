"""The language server's quick-fix edits: inline suppressions that silence exactly the finding
they are for, and leave the page rendering as before."""
from __future__ import annotations

import re

import pytest

from claimlint import Linter, Settings
from claimlint.lsp.edits import TextEdit, apply, fix_edit, non_overlapping, suppress_file, \
    suppress_line

CURE = "claims/cure-claim"


@pytest.fixture(scope="module")
def linter():
    return Linter(Settings())


def _findings(linter, text, fmt):
    return linter.check_text(text, path=f"draft.{ {'markdown': 'md', 'html': 'html', 'text': 'txt'}[fmt] }",
                             format=fmt).findings


def _rendered(md: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    # Whitespace at the edge of an element's text is not shown.
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", " ".join(html.split()))


def _suppress_and_recheck(linter, text, fmt, needle, rule=CURE):
    """Suppress the finding of ``rule`` at ``needle`` on its line; return the new text and the
    findings after the edit."""
    before = _findings(linter, text, fmt)
    at = text.index(needle)
    target = [f for f in before if f.rule == rule and f.start <= at < f.end]
    assert target, f"the test text must have a {rule} finding at {needle!r}: {before}"
    edit = suppress_line(text, fmt, target[0].start, rule)
    assert edit is not None
    new = apply(text, [edit])
    after = _findings(linter, new, fmt)
    # The finding is gone, nothing else changed, and the directive is neither unused nor unknown.
    assert not [f for f in after if f.rule == rule and f.excerpt == target[0].excerpt
                and new.index(needle) >= f.start and new.index(needle) < f.end], new
    assert not [f for f in after if f.rule.startswith("claimlint/")], (new, after)
    def others(fs):
        return sorted((f.rule, "".join(re.sub(r"<!--.*?-->", "", f.excerpt).split()))
                      for f in fs if f is not target[0])

    assert others(after) == others([f for f in before if f is not target[0]])
    return new


MD_CASES = {
    "first line of the file": ("Our drops cure insomnia.\n\nSecond paragraph.\n", "cure"),
    "paragraph after a blank line": ("# Sleep\n\nIntro line.\n\nOur drops cure insomnia.\n", "cure"),
    "second line of a paragraph": ("A calm line of copy\nand our drops cure insomnia.\n", "cure"),
    "hard line break above": ("A calm line of copy  \nour drops cure insomnia.\n", "cure"),
    "backslash break above": ("A calm line of copy\\\nour drops cure insomnia.\n", "cure"),
    "tight list": ("- Calm evenings\n- Drops that cure insomnia\n- Better mornings\n", "cure"),
    "loose ordered list": ("1. Calm evenings\n\n2. Drops that cure insomnia\n\n3. Mornings\n", "cure"),
    "nested list": ("- Calm\n  - Drops that cure insomnia\n", "cure"),
    "block quote": ("> She said it was calm\n> and that it cures insomnia.\n", "cures"),
    "after a heading": ("## Our drops\nThey cure insomnia.\n", "cure"),
    "after a closing fence": ("```\ncode\n```\nOur drops cure insomnia.\n", "cure"),
    "table body row": ("| Product | Claim |\n|---|---|\n| Calm | gentle |\n| Drops | cure insomnia |\n",
                       "cure"),
    "after front matter": ("---\ntitle: Sleep\n---\nOur drops cure insomnia.\n", "cure"),
    "CRLF continuation": ("A calm line of copy\r\nand our drops cure insomnia.\r\n", "cure"),
    "after a thematic break": ("Calm.\n\n***\nOur drops cure insomnia.\n", "cure"),
    "after inline html": ("<span>Calm</span> words\nour drops cure insomnia.\n", "cure"),
}


@pytest.mark.parametrize("name", list(MD_CASES))
def test_markdown_line_suppression_silences_the_finding_and_keeps_the_page(linter, name):
    text, needle = MD_CASES[name]
    new = _suppress_and_recheck(linter, text, "markdown", needle)
    assert _rendered(new) == _rendered(text), new
    if "\r\n" in text:
        assert "\n" not in new.replace("\r\n", "")


def test_markdown_first_table_row_and_front_matter_get_no_line_directive(linter):
    table = "| Product | Claim |\n|---|---|\n| Drops | cure insomnia |\n"
    assert suppress_line(table, "markdown", table.index("cure"), CURE) is None
    fm = "---\ntitle: Drops that cure insomnia\n---\n\nCalm copy.\n"
    assert suppress_line(fm, "markdown", fm.index("cure"), CURE) is None
    # ... but the file-wide directive works for both.
    for text in (table, fm):
        assert any(f.rule == CURE for f in _findings(linter, text, "markdown"))
        new = apply(text, [suppress_file(text, "markdown", CURE)])
        assert not any(f.rule == CURE or f.rule.startswith("claimlint/")
                       for f in _findings(linter, new, "markdown")), new
        assert _rendered(new) == _rendered(text)


HTML_CASES = {
    "paragraph": ("<html><body>\n  <p>Calm words.</p>\n  <p>Our drops cure insomnia.</p>\n</body></html>\n",
                  "cure"),
    "inside a paragraph": ("<p>Calm words and\nour drops cure insomnia.</p>\n", "cure"),
    "title": ("<html><head>\n<title>Drops that cure insomnia</title>\n</head></html>\n", "cure"),
}


@pytest.mark.parametrize("name", list(HTML_CASES))
def test_html_line_suppression(linter, name):
    text, needle = HTML_CASES[name]
    new = _suppress_and_recheck(linter, text, "html", needle)
    line = new.splitlines()[[i for i, l in enumerate(text.splitlines()) if needle in l][0]]
    assert line.strip().startswith("<!-- claimlint-disable-next-line claims/cure-claim -->")


def test_html_line_starting_inside_a_tag_gets_no_line_directive():
    text = '<p class="lead"\n   title="x">Our drops cure insomnia.</p>\n'
    assert suppress_line(text, "html", text.index("cure"), CURE) is None


def test_plain_text_line_suppression_keeps_indentation(linter):
    text = "Calm words.\n    Our drops cure insomnia.\n"
    new = _suppress_and_recheck(linter, text, "text", "cure")
    assert new.splitlines()[1] == "    # claimlint-disable-next-line claims/cure-claim"


@pytest.mark.parametrize("fmt,text", [
    ("markdown", "# Sleep\n\nOur drops cure insomnia.\n\nThey cure insomnia again.\n"),
    ("html", "<!DOCTYPE html>\n<html><body><p>Our drops cure insomnia.</p>"
             "<p>They cure insomnia again.</p></body></html>"),
    ("html", "<!doctype html><p>Our drops cure insomnia.</p>"),
    ("text", "Our drops cure insomnia.\nThey cure insomnia again.\n"),
    ("markdown", "---\ntitle: Sleep\n---"),
])
def test_file_suppression_silences_every_finding_of_the_rule(linter, fmt, text):
    edit = suppress_file(text, fmt, CURE)
    new = apply(text, [edit])
    assert not any(f.rule == CURE for f in _findings(linter, new, fmt)), new
    if fmt == "html" and text.lower().startswith("<!doctype"):
        assert new.lower().startswith("<!doctype html>")
    if fmt == "markdown" and text.startswith("---"):
        assert new.startswith("---\ntitle: Sleep\n---\n<!-- claimlint-disable-file")
    if any(f.rule == CURE for f in _findings(linter, text, fmt)):
        assert not any(f.rule.startswith("claimlint/") for f in _findings(linter, new, fmt))


def test_fix_edits_and_overlaps():
    class Fix:
        start, end, replacement = 3, 7, "x"
    assert fix_edit(Fix()) == TextEdit(3, 7, "x")
    edits = [TextEdit(5, 9, "b"), TextEdit(0, 4, "a"), TextEdit(3, 6, "c"), TextEdit(9, 9, "d")]
    assert non_overlapping(edits) == [TextEdit(0, 4, "a"), TextEdit(5, 9, "b"), TextEdit(9, 9, "d")]
    assert apply("0123456789", non_overlapping(edits)) == "a4bd9"
