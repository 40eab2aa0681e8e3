"""Inline suppressions in Markdown, HTML and plain text; unused ones are reported."""
from __future__ import annotations

import pytest

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


# -- the forms users type; nothing is applied half-read ---------------------------------------

def findings(text: str, name: str, **kw):
    engine = Linter(Settings(packs=["starter"], **kw))
    return engine.check_document(sources.parse(text, name)).findings


def test_disable_line_suppresses_its_own_line_only():
    text = (f"{BAD} <!-- claimlint-disable-line starter/cure-words -->\n\n{BAD}\n\n{BAD}\n")
    assert run(text, "a.md") == [("starter/cure-words", 3), ("starter/cure-words", 5)]
    html = (f"<p>{BAD} <!-- claimlint-disable-line starter/cure-words --></p>\n<p>{BAD}</p>\n")
    assert run(html, "a.html") == [("starter/cure-words", 2)]


def test_the_issue_s_comment_no_longer_silences_the_rest_of_the_file():
    text = (f"Intro. <!-- claimlint-disable-line starter/cure-words -->\n\n{BAD}\n\n{BAD}\n")
    assert run(text, "a.md") == [("claimlint/unused-suppression", 1), ("starter/cure-words", 3),
                                 ("starter/cure-words", 5)]


@pytest.mark.parametrize("form,hint", [
    ("claimlint-disable-lines", "claimlint-disable-line"),
    ("claimlint-disable-nextline", "claimlint-disable-next-line"),
    ("claimlint-disabel", "claimlint-disable"),
    ("claimlint-ignore", None),
])
def test_an_unknown_form_is_reported_and_suppresses_nothing(form, hint):
    text = f"<!-- {form} starter/cure-words -->\n{BAD}\n\n{BAD}\n"
    got = findings(text, "a.md")
    assert [(f.rule, f.line) for f in got] == [("claimlint/unknown-suppression", 1),
                                              ("starter/cure-words", 2), ("starter/cure-words", 4)]
    message = got[0].message
    assert f"Unknown directive '{form}'" in message and "suppresses nothing" in message
    if hint:
        assert f"did you mean '{hint}'?" in message


def test_a_directive_glued_to_punctuation_is_not_read_half():
    text = f"<!-- claimlint-disable:starter/cure-words -->\n{BAD}\n"
    got = findings(text, "a.md")
    assert [(f.rule, f.line) for f in got] == [("claimlint/unknown-suppression", 1),
                                              ("starter/cure-words", 2)]
    assert "a space must follow 'claimlint-disable'" in got[0].message


def test_a_misspelt_rule_id_gets_a_did_you_mean_and_the_directive_is_not_applied():
    text = f"<!-- claimlint-disable-next-line starter/cure-wordz, starter/cure-words -->\n{BAD}\n"
    got = findings(text, "a.md")
    assert [(f.rule, f.line) for f in got] == [("claimlint/unknown-suppression", 1),
                                              ("starter/cure-words", 2)]
    assert "'starter/cure-wordz' (did you mean 'starter/cure-words'?)" in got[0].message
    got = findings("<!-- claimlint-disable category:cure-clam -->\n" + BAD + "\n", "a.md")
    assert "did you mean 'category:cure-claim'?" in got[0].message


def test_plain_text_forms():
    text = f"# claimlint-disable-line starter/cure-words\n{BAD}\n# claimlint-disabled\n{BAD}\n"
    got = findings(text, "a.txt")
    assert [(f.rule, f.line) for f in got] == [
        ("claimlint/unknown-suppression", 1), ("starter/cure-words", 2),
        ("claimlint/unknown-suppression", 3), ("starter/cure-words", 4)]
    assert "use claimlint-disable-next-line" in got[0].message
    doc = sources.parse(text, "a.txt")
    assert all("claimlint" not in b.text for b in doc.blocks)


def test_an_enable_naming_an_unknown_rule_does_not_end_the_range():
    text = (f"<!-- claimlint-disable starter/cure-words -->\n{BAD}\n"
            f"<!-- claimlint-enable starter/cure-wordz -->\n{BAD}\n")
    assert run(text, "a.md") == [("claimlint/unknown-suppression", 3)]
