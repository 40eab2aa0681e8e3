"""Every finding's line/column points into the original file, whatever the markup around it."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimlint import sources
from claimlint.settings import Settings
from claimlint.linter import Linter

PROBE = str(Path(__file__).parent / "packs" / "probe.yaml")


def findings(text: str, name: str):
    engine = Linter(Settings(packs=[PROBE]))
    doc = sources.parse(text, name)
    return doc, engine.check_document(doc).findings


def original_at(text: str, f) -> str:
    """The original text at a finding's line/column span, computed independently."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert f.line == f.end_line
    return lines[f.line - 1][f.column - 1:f.end_column - 1]


def check_all(text: str, name: str, expected: list[tuple[int, int, str]]):
    doc, fs = findings(text, name)
    got = [(f.line, f.column, f.excerpt) for f in fs]
    assert got == expected
    for f in fs:
        assert original_at(text, f) == f.excerpt
        assert text[f.start:f.end] == f.excerpt
    return fs


def test_markdown_emphasis_links_lists_tables_headings():
    text = (
        "# A *miracle cure* heading\n"
        "\n"
        "Some **completely safe** text and [side effects](https://x.org/a \"t\") here.\n"
        "\n"
        "- item with `code miracle cure` and guaranteed results\n"
        "  1. nested: side effects\n"
        "\n"
        "| col | other |\n"
        "|-----|-------|\n"
        "| x | the miracle cure |\n"
    )
    check_all(text, "a.md", [
        (1, 6, "miracle cure"),
        (3, 8, "completely safe"),
        (3, 36, "side effects"),
        (5, 37, "guaranteed results"),
        (6, 14, "side effects"),
        (10, 11, "miracle cure"),
    ])


def test_markdown_emphasis_inside_a_phrase_spans_the_markup():
    text = "It is **completely** safe.\n"
    fs = check_all(text, "a.md", [(1, 9, "completely** safe")])
    assert fs[0].context == "It is completely safe."


def test_markdown_entities_crlf_bom_tabs_nbsp():
    text = "Intro &amp; more.\r\n\r\nA\u00a0miracle\u00a0cure\tand side\t\teffects &mdash; done.\r\n"
    check_all(text, "a.md", [(3, 3, "miracle\u00a0cure"), (3, 20, "side\t\teffects")])


def test_bom_is_not_a_column():
    raw = "\ufeffA miracle cure.\n".encode("utf-8")
    doc = sources.load("x.txt", data=raw)
    assert doc.bom and not doc.text.startswith("\ufeff")
    engine = Linter(Settings(packs=[PROBE]))
    f = engine.check_document(doc).findings[0]
    assert (f.line, f.column) == (1, 3)


def test_markdown_code_comments_urls_and_front_matter():
    text = (
        "---\n"
        "title: The miracle cure myth\n"
        "author: miracle cure\n"
        "description: >\n"
        "  No side effects\n"
        "---\n"
        "\n"
        "```\n"
        "miracle cure\n"
        "```\n"
        "\n"
        "    indented miracle cure\n"
        "\n"
        "<!-- miracle cure -->\n"
        "See ![miracle cure](https://example.org/miracle-cure.png) and <https://side-effects.org>.\n"
        "Last: completely safe.\n"
    )
    check_all(text, "a.md", [(2, 12, "miracle cure"), (5, 6, "side effects"), (16, 7, "completely safe")])


def test_markdown_blockquote_and_soft_wrap():
    text = "> The miracle\n> cure is here.\n\nA line ending in side\neffects continues.\n"
    doc, fs = findings(text, "a.md")
    assert [f.excerpt for f in fs] == ["miracle\n> cure", "side\neffects"]
    assert (fs[0].line, fs[0].column, fs[0].end_line, fs[0].end_column) == (1, 7, 2, 7)


def test_markdown_lone_delimiters_deep_quotes_and_empty_comments():
    text = ("Take 2*3 of the miracle cure, not file_name_here.\n"
            "\n"
            + ">" * 3000 + " No side effects.\n"
            "\n"
            "Note <!--> completely safe <!---> and guaranteed results.\n")
    check_all(text, "a.md", [(1, 17, "miracle cure"), (3, 3005, "side effects"),
                             (5, 12, "completely safe"), (5, 39, "guaranteed results")])
    assert [b.text for b in sources.parse(text, "a.md").blocks] == [
        "Take 2*3 of the miracle cure, not file_name_here.", "No side effects.",
        "Note completely safe and guaranteed results."]


def test_html_end_br_and_empty_comment():
    text = "<p>No side</br>effects <!--> and completely <!---> safe.</p>"
    doc, fs = findings(text, "a.html")
    assert [b.text for b in doc.blocks] == ["No side effects and completely safe."]
    assert [(f.column, f.excerpt) for f in fs] == [(7, "side</br>effects"), (34, "completely <!---> safe")]


def test_html_nested_inline_tags_and_entities():
    text = (
        "<html><head><title>A miracle cure?</title><style>p{}/* side effects */</style></head>\n"
        "<body><p>It is <b>completely <i>safe</i></b> &amp; has no side&nbsp;effects.</p>\n"
        "<script>var x = 'miracle cure';</script>\n"
        "<ul><li>caf&eacute; au lait</li></ul></body></html>\n"
    )
    check_all(text, "a.html", [
        (1, 22, "miracle cure"),
        (2, 19, "completely <i>safe"),
        (2, 59, "side&nbsp;effects"),
        (4, 9, "caf&eacute; au lait"),
    ])


def test_html_block_elements_end_sentences():
    text = "<p>The miracle</p><p>cure</p><div>side<br>effects</div>"
    doc, fs = findings(text, "a.html")
    assert [f.excerpt for f in fs] == ["side<br>effects"]
    assert [b.text for b in doc.blocks] == ["The miracle", "cure", "side effects"]


def test_plain_text_lines_and_wrapped_paragraphs():
    text = "Heading miracle\ncure continues here\n\nSide effects\nAre listed.\n"
    doc, fs = findings(text, "a.txt")
    assert [b.text for b in doc.blocks] == ["Heading miracle cure continues here", "Side effects",
                                           "Are listed."]
    assert [(f.line, f.column, f.excerpt) for f in fs] == [(1, 9, "miracle\ncure"), (4, 1, "Side effects")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_newline_style_gives_the_same_positions(newline):
    text = newline.join(["Title", "", "Then the miracle cure.", "And side effects."]) + newline
    _, fs = findings(text, "a.txt")
    assert [(f.line, f.column) for f in fs] == [(3, 10), (4, 5)]


def test_astral_characters_count_as_one_column():
    text = "\U0001f600\U0001f600 miracle cure\n"
    _, fs = findings(text, "a.txt")
    assert (fs[0].line, fs[0].column, fs[0].end_column) == (1, 4, 16)
