"""The pre-filter must never hide a match: a rule's trigger words are words every match shows."""
from __future__ import annotations

import pytest

from claimlint.linter import Linter
from claimlint.nlp import splits
from claimlint.prefilter import Features, trigger_forms
from test_kinds import excerpts, rule_from


def test_split_tables_match_the_installed_tokenizer():
    pytest.importorskip("spacy")
    written, units = splits.build()
    assert (written, units) == (splits.WRITTEN, splits.UNITS), \
        "spaCy's tokenizer changed: paste the output of `python -m claimlint.nlp.splits` into claimlint/nlp/splits.py"
    # The cut-out tokens really are absent from the written words, and the table says where to look.
    assert "not" not in Features("It cannot hurt.").words and "cannot" in trigger_forms("not")
    assert trigger_forms("mg") is None and trigger_forms("12") is None


@pytest.mark.parametrize("body,text,expected", [
    ("kind: phrase\nphrases: [not]\n", "It cannot hurt.", ["not"]),
    ("kind: phrase\nphrases: [\"n't\"]\n", "It isn't risky.", ["n't"]),
    ("kind: pattern\npatterns:\n  - [{LOWER: mg}]\n", "Take 5mg daily.", ["mg"]),
    ("kind: pattern\npatterns:\n  - [{LEMMA: do}, {LOWER: {IN: [\"n't\", not]}}, {LOWER: hurt}]\n",
     "It doesn't hurt.", ["doesn't hurt"]),
    ("kind: pattern\npatterns:\n  - [{LOWER: {IN: [can, could]}}, {LOWER: not}, {LOWER: fail}]\n",
     "It cannot fail.", ["cannot fail"]),
])
def test_tokens_cut_from_longer_words_still_match(body, text, expected):
    # excerpts() also checks that the result is the same with the pre-filter off.
    assert excerpts(rule_from(body), text) == expected


def test_trigger_words_avoid_glued_and_common_words():
    from claimlint.kinds.triggers import pattern_words as _pattern_words
    from claimlint.kinds.triggers import phrase_words as _phrase_words

    assert _phrase_words("is not addictive", lemma=False) == {"addictive"}
    assert _phrase_words("can not", lemma=False) == {"can", "cannot"}
    assert _phrase_words("5 mg", lemma=False) is None
    assert _pattern_words([{"LOWER": {"IN": ["n't", "not"]}}, {"LOWER": "safe"}]) == {"safe"}
    assert _pattern_words([{"LOWER": "co-op"}]) == {"co"}
    assert {"isn", "don", "not", "cannot"} <= _pattern_words([{"LOWER": {"IN": ["n't", "not"]}}])
    assert _pattern_words([{"LOWER": "mg"}]) is None


def test_document_features_find_the_blocks_each_trigger_holds_for(monkeypatch):
    import re

    from claimlint import prefilter
    from claimlint.prefilter import AnyOf, DocumentFeatures, Trigger

    texts = ["Opening hours", "We cannot promise a cure.", "It is 90% effective", "Seen by 3 people",
             "Together we get there", "no trigger here"]
    groups = {
        "words": AnyOf(frozenset({"cannot", "hours"})),
        "substrings": AnyOf(substrings=frozenset({"get", "promise a"})),
        "chars": AnyOf(chars=re.compile("[0-9%]")),
        "mixed": AnyOf(frozenset({"effective"}), frozenset({"seen by"})),
    }
    expected = {"words": {0, 1}, "substrings": {1, 4}, "chars": {2, 3}, "mixed": {2, 3}}
    for automaton in (True, False):
        monkeypatch.setattr(prefilter.SUBSTRINGS, "available", automaton)
        feats = DocumentFeatures(texts)
        for name, g in groups.items():
            assert set(feats.blocks(g)) == expected[name], (name, automaton)
            # and the same as testing each block on its own
            assert {i for i, t in enumerate(texts) if g.test(prefilter.Features(t))} == expected[name]
        both = Trigger((groups["words"], groups["substrings"]))
        assert set(feats.passing(both)) == {1}
    # A trigger made after a document's first look still finds its substrings.
    feats = DocumentFeatures(["a brand new phrase appears"])
    feats.blocks(groups["substrings"])
    assert set(feats.blocks(AnyOf(substrings=frozenset({"new phrase"})))) == {0}


def _planned_blocks(rule, text: str, name: str = "x.md") -> list[str]:
    """The blocks the engine would analyse for ``rule`` alone."""
    from claimlint import sources
    from claimlint.settings import Settings
    from claimlint.linter import ActiveRule, Linter

    doc = sources.parse(text, name)
    plan = Linter(Settings(packs=[])).prefilter.plan([b.text for b in doc.blocks],
                                                      [ActiveRule(rule, "warning")])
    return [doc.blocks[i].text for _, blocks in (plan or []) for i in blocks]


def test_block_filter_asks_for_every_word_of_a_pattern():
    rule = rule_from("kind: pattern\npatterns:\n"
                     "  - [{LOWER: {IN: [most, majority]}}, {LOWER: of, OP: \"?\"}, {LOWER: patients},"
                     " {LEMMA: {IN: [notice, report]}}]\n")
    text = "We noticed the rain.\n\nMost of the rooms are quiet.\n\nMost patients notice a change.\n"
    # The trigger holds for all three blocks; only the last has a word of every token.
    assert _planned_blocks(rule, text) == ["Most patients notice a change."]
    assert excerpts(rule, text, name="x.md") == ["Most patients notice"]


def test_block_filter_asks_for_every_word_of_a_phrase():
    rule = rule_from("kind: phrase\nphrases: [no side effects, risk-free]\n")
    text = "No parking.\n\nSide effects are listed below.\n\nIt has no side effects.\n\nA free, risk-free trial.\n"
    assert _planned_blocks(rule, text) == ["It has no side effects.", "A free, risk-free trial."]
    assert excerpts(rule, text) == ["no side effects", "risk-free"]


def test_block_filter_runs_regexes_on_each_block():
    rule = rule_from("kind: regex\nregex: ['\\bfaster[^.]{0,20}\\bthan\\b']\n")
    text = "Faster checkout.\n\nSooner than planned.\n\nIt works faster than pills.\n"
    assert _planned_blocks(rule, text) == ["It works faster than pills."]
    assert excerpts(rule, text) == ["faster than"]


@pytest.mark.parametrize("pattern,safe", [
    (r"\bfaster[^.;:]{0,60}?\bthan\b", True),    # '^' in a class is no anchor
    (r"(?<!not )\bsafe\b", True),                 # negative lookaround: a block alone allows more
    (r"^I\b", False), (r"safe$", False), (r"(?<=very )safe", False), (r"safe(?= and)", False),
    (r"\Bsafe", False), (r"(?:a|^b)safe", False), (r"\p{L}+safe", False),
])
def test_regexes_judged_on_a_block_alone_only_when_that_is_sound(pattern, safe):
    from claimlint.kinds.triggers import block_safe

    assert block_safe(pattern) is safe


def test_an_anchored_regex_keeps_every_block_its_trigger_holds_for():
    rule = rule_from("kind: regex\nregex: ['^Cures\\b']\n")
    text = "It cures.\n\nCures everything.\n"
    assert _planned_blocks(rule, text) == ["It cures.", "Cures everything."]
    assert excerpts(rule, text) == ["Cures"]


def test_triggers_and_block_filters_survive_the_cache(tmp_path):
    from claimlint.cache import load_prefilter, save_prefilter
    from claimlint.prefilter import Prefilter

    linter = Linter()
    save_prefilter(str(tmp_path), "sig", linter.prefilter.to_json())
    derived = {r.meta.id: linter.prefilter.triggers(r) for r in linter.rules}
    assert any(t.spec for t in derived.values()), "no shipped rule has a block filter"

    other = Prefilter(linter.rules)  # a second pre-filter, nothing derived yet
    assert other.load(load_prefilter(str(tmp_path), "sig"))
    for r in linter.rules:
        got, want = other.triggers(r), derived[r.meta.id]
        assert got.to_json() == want.to_json(), r.meta.id
    # A damaged entry is not used: the caller derives everything again.
    (tmp_path / ".claimlint_cache" / "packs" / "sig.json").write_text('{"x": 1}')
    assert not Prefilter(linter.rules).load(load_prefilter(str(tmp_path), "sig"))
