"""The spaCy pipeline's own components: citations, sentences, quantities, negation, hedges."""
from __future__ import annotations

import pytest

from claimlint.document import Block, Link, OffsetMap
from claimlint.errors import ModelError
from claimlint.nlp.lemmas import forms, lemma
from claimlint.nlp.markers import find_citations, find_quantities
from claimlint.nlp.pipeline import analyse, build_pipeline, get_pipeline


def run(text: str, links=(), marks=()):
    blk = Block(text, OffsetMap([(0, len(text), 0, len(text))]), links=list(links), marks=list(marks))
    doc = analyse(get_pipeline(), blk)
    return doc


def sents(text: str) -> list[str]:
    doc = run(text)
    return [doc[s:e].text for s, e in doc._.claimlint.sents]


def cited_tokens(doc) -> list[str]:
    return [t.text for t in doc if t._.citation]


@pytest.mark.parametrize("text,kind", [
    ("Results improved (Feder et al., 2021).", "author-year"),
    ("Results improved (World Health Organization, 2023).", "author-year"),
    ("As Lee and Park (2019) showed, it works.", "author-year"),
    ("It works, see doi:10.1001/jama.2021.1234 for details.", "doi"),
    ("It works (PMID: 31234567).", "pmid"),
    ("It works (PMC7654321).", "pmid"),
    ("It works.[3]", "bracket"),
    ("It works [1, 2].", "bracket"),
    ("It works.^4", "caret"),
    ("It works.\u00b2", "superscript"),
    ("Details at https://example.org/trial?id=3.", "url"),
    ("Details at www.example.org.", "url"),
    ("Energy and mood improved in older adults (2).", "paren-ref"),
    ("It lowered cortisol (1) (3).", "paren-ref"),
])
def test_citation_markers(text, kind):
    assert kind in {k for _, _, k in find_citations(text)}
    assert cited_tokens(run(text))


@pytest.mark.parametrize("text", [
    "We opened in (March 2019).",
    "A 2020 study in a major journal found it works.",
    "Call 555-0100 today.",
    "(1) Book a call. (2) Come in for a scan.",
    "Take two (2) capsules with food.",
])
def test_not_citations(text):
    assert not cited_tokens(run(text))


def test_links_and_sup_marks_from_the_source_are_citations():
    doc = run("It helped most clients.", links=[Link(3, 9, "https://doi.org/x")])
    assert cited_tokens(doc) == ["helped"]
    doc = run("It helped most clients.", links=[Link(3, 9, "mailto:a@b.c")])
    assert cited_tokens(doc) == []
    doc = run("It helped 12 clients.", marks=[(10, 12, "sup")])
    assert cited_tokens(doc) == ["12"]


def test_sentences_keep_trailing_citations_and_abbreviations():
    assert sents("It improved.[3] Next one (Lee, 2020). Dr. Smith et al. agree, e.g. here. Done!") == [
        "It improved.[3]", "Next one (Lee, 2020).", "Dr. Smith et al. agree, e.g. here.", "Done!"]
    assert sents("It improved. (Lee et al., 2020) Then more.") == ["It improved. (Lee et al., 2020)", "Then more."]
    assert sents("Costs $2.50 today. iPhone users agree.") == ["Costs $2.50 today. iPhone users agree."]


def test_a_block_that_opens_with_a_quotation_mark_keeps_it():
    # Joined blocks: a closing quotation mark after a full stop belongs to its sentence, but not
    # across a block break, where the next block opens a quotation.
    from claimlint.document import join_blocks

    def block(text):
        return Block(text, OffsetMap([(0, len(text), 0, len(text))]))

    joined = join_blocks([block("Our team met on Friday."), block('"It felt like home," she said.')])
    doc = analyse(get_pipeline(), joined)
    an = doc._.claimlint
    got = [an.text[an.starts[s]:an.ends[e - 1]] for s, e in an.sents]
    assert got == ["Our team met on Friday.", '"It felt like home," she said.']


@pytest.mark.parametrize("text,expected", [
    ("87% of patients", [("87%", "percent")]),
    ("between 60\u201370 percent", [("60\u201370 percent", "percent")]),
    ("twenty-five per cent", [("twenty-five per cent", "percent")]),
    ("nine out of ten users", [("nine out of ten", "ratio")]),
    ("1 in 5 adults and 1-in-3 kids", [("1 in 5", "ratio"), ("1-in-3", "ratio")]),
    ("two-thirds of clients", [("two-thirds", "fraction")]),
    ("\u2154 of clients", [("\u2154", "fraction")]),
    ("at 1/4th of the price", [("1/4th", "fraction")]),
    ("open 24/7", []),
    ("3x faster and a ten-fold rise", [("3x", "multiplier"), ("ten-fold", "multiplier")]),
    ("twice as likely", [("twice", "multiplier")]),
    ("three times a week", []),
    ("most people fail", [("most", "proportion")]),
    ("the most common side effect", []),
    ("in the first half of the course", []),
    ("a patient satisfaction score of 96", [("satisfaction score of 96", "amount")]),
])
def test_quantities(text, expected):
    assert [(text[a:b], k) for a, b, k in find_quantities(text)] == expected


def negated_words(text: str) -> list[str]:
    doc = run(text)
    return [t.text for t in doc if t._.negated]


def test_negation_scopes():
    assert "cure" in negated_words("It is not a cure-all.")
    assert "miracle" in negated_words("The drip is offered here not as a miracle, and never as a fast fix.")
    assert "cure" in negated_words("It is not intended to diagnose, treat, cure, or prevent any disease.")
    assert "safe" in negated_words("Ketamine isn't completely safe.")
    assert "guarantee" in negated_words("There is no guarantee of results.")
    # Pseudo-negations and terminators.
    assert "cures" not in negated_words("It not only helps, it cures.")
    assert "cures" not in negated_words("Patients no longer suffer because it cures pain.")
    assert "works" not in negated_words("It is not cheap, but it works.")
    assert "works" not in negated_words("Not a gimmick, it works.")
    # Sentence-bounded.
    assert negated_words("No waiting. It cures pain.") == ["waiting", "."]
    # "yet to" denies what follows; "yet" alone turns the sentence.
    assert "shown" in negated_words("It has yet to be shown in a controlled trial.")
    assert negated_words("It is cheap, yet it works.") == []
    # A second cue after "and"/"or" starts a claim of its own instead of being denied.
    doc = run("They are not stimulants and are not habit-forming.")
    second = [t for t in doc if t.text == "not"][1]
    assert not second._.negated
    assert "risk" in negated_words("It is not without risk.")
    # Distancing: a claim reported, not made.
    assert "cures" in negated_words("Some sites claim that the oil cures cancer.")
    assert "reverse" in negated_words("The tea is said to reverse diabetes.")
    assert "cured" not in negated_words("She said to me that it cured her.")


def test_hedges():
    doc = run("It may help some people. It works.")
    hedged = [t.text for t in doc if t._.hedged]
    assert "help" in hedged and "works" not in hedged
    doc = run("Results vary, and 80% improve.")
    assert all(t._.hedged for t in doc)


def test_lemmas():
    assert lemma("Cures") == "cure"
    assert lemma("better") == "better"
    assert lemma("studies") == "study"
    assert {"cured", "cures", "curing", "cure"} <= forms("cure")
    assert "found" in forms("find")
    doc = run("Studies showed it cured them.")
    assert [t.lemma_ for t in doc][:4] == ["study", "show", "it", "cure"]


def test_missing_model_is_a_clear_error():
    with pytest.raises(ModelError, match="not installed"):
        build_pipeline("xx_no_such_pipeline_sm")


@pytest.mark.parametrize("text,expected", [
    ("a third of patients", [("a third of", "fraction")]),
    ("a third or fourth antidepressant", []),
    ("scores fall by half", [("by half", "fraction")]),
    ("a 36 \u00d7 12 inch panel", []),
])
def test_more_quantities(text, expected):
    assert [(text[a:b], k) for a, b, k in find_quantities(text)] == expected
