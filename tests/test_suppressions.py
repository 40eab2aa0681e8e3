"""Inline suppressions in Markdown, HTML and plain text; unused ones are reported."""
from __future__ import annotations

from claimlint import sources
from claimlint.settings import Settings
from claimlint.linter import Linter


def run(text: str, name: str, **kw):
    engine = Linter(Settings(packs=["starter"], **kw))
    return [(f.rule, f.line) for f in engine.check_document(sources.parse(text, name)).findings]


BAD = "Our drops cure insomnia."


def test_disable_next_line_markdown():
    text = f"{BAD}\n\n<!-- claimlint-disable-next-line starter/cure-words -- quoted advert -->\n{BAD}\n"
    assert run(text, "a.md") == [("starter/cure-words", 1)]


def test_disable_and_enable_range():
    text = (f"<!-- claimlint-disable starter -->\n{BAD}\n\n{BAD}\n<!-- claimlint-enable -->\n\n{BAD}\n")
    assert run(text, "a.md") == [("starter/cure-words", 7)]


def test_disable_file_html():
    text = f"<!-- claimlint-disable-file --><p>{BAD}</p><p>{BAD}</p>"
    assert run(text, "a.html") == []


def test_plain_text_directive_lines_are_not_linted():
    text = f"{BAD}\n# claimlint-disable-next-line starter/cure-words\n{BAD}\n"
    assert run(text, "a.txt") == [("starter/cure-words", 1)]
    doc = sources.parse(text, "a.txt")
    assert all("claimlint" not in b.text for b in doc.blocks)


def test_selectors_by_category_and_glob():
    text = f"<!-- claimlint-disable-next-line category:cure-claim -->\n{BAD}\n"
    assert run(text, "a.md") == []
    text = f"<!-- claimlint-disable-next-line starter/* -->\n{BAD}\n"
    assert run(text, "a.md") == []


def test_other_rules_are_not_suppressed():
    text = f"<!-- claimlint-disable-next-line starter/studies-show -->\n{BAD}\n"
    got = run(text, "a.md")
    assert ("starter/cure-words", 2) in got
    assert ("claimlint/unused-suppression", 1) in got


def test_unused_and_unknown_suppressions_are_reported():
    text = "<!-- claimlint-disable-next-line starter/cure-words -->\nA calm sentence.\n"
    assert run(text, "a.md") == [("claimlint/unused-suppression", 1)]
    text = f"<!-- claimlint-disable-next-line starter/cure-wordz -->\n{BAD}\n"
    assert run(text, "a.md") == [("claimlint/unknown-suppression", 1), ("starter/cure-words", 2)]


def test_unused_suppression_warning_can_be_ignored():
    text = "<!-- claimlint-disable-next-line starter/cure-words -->\nA calm sentence.\n"
    assert run(text, "a.md", ignore=["claimlint/unused-suppression"]) == []


def test_suppressing_a_document_level_finding():
    text = ("<!-- claimlint-disable starter/benefits-without-risks -- risks are on the linked page -->\n"
            "Our infusions relieve pain and restore energy.\n")
    assert run(text, "a.md") == []
