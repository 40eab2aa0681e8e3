"""Each rule kind, its shared options, and the pre-filter's faithfulness."""
from __future__ import annotations

import textwrap

import pytest

from claimlint import sources
from claimlint.settings import Settings
from claimlint.linter import ActiveRule, Linter
from claimlint.packs import load_pack_text

COMMON = """\
    category: {category}
    message: "{message}"
    rationale: r
    references: [ref]
    examples: {{bad: [x], good: [y]}}
"""


def rule_from(body: str, category: str = "cure-claim", message: str = "got {match}"):
    text = "pack: t\ncategories: [other]\nrules:\n  - id: r\n" + COMMON.format(category=category, message=message) \
        + textwrap.indent(textwrap.dedent(body), "    ")
    return load_pack_text(text, "t.yaml").rules[0]


def hits(rule, text: str, name: str = "x.txt", prefilter: bool = True):
    engine = Linter(Settings(packs=[], prefilter=prefilter))
    doc = sources.parse(text, name)
    res = engine.check_document(doc, [ActiveRule(rule, "warning")])
    assert not res.errors, res.errors
    plain = Linter(Settings(packs=[], prefilter=False)).check_document(doc, [ActiveRule(rule, "warning")])
    assert [f.to_dict() for f in plain.findings] == [f.to_dict() for f in res.findings], \
        "the pre-filter changed the result"
    return res.findings


def excerpts(rule, text, **kw):
    return [f.excerpt for f in hits(rule, text, **kw)]


class TestPhrase:
    def test_lemma_match_and_negation(self):
        r = rule_from("kind: phrase\nphrases: [cure, miracle]\nunless: [negated]\n")
        assert excerpts(r, "It cured me. A miracle! It is not a cure. Cures galore.") == ["cured", "miracle", "Cures"]

    def test_lower_and_exact(self):
        r = rule_from("kind: phrase\nphrases: [Safe]\nmatch: exact\n")
        assert excerpts(r, "Safe. safe. SAFE.") == ["Safe"]
        r = rule_from("kind: phrase\nphrases: [safest]\nmatch: lower\n")
        assert excerpts(r, "Safest. safe.") == ["Safest"]

    def test_except_and_sentence_conditions(self):
        r = rule_from("""\
            kind: phrase
            phrases: [safe]
            except: [feel safe, safe space]
            if-sentence-has: [treatment, ketamine, infusion]
            """, category="risk-minimization")
        text = "You will feel safe during ketamine sessions. A safe space for ketamine. Ketamine is safe. The room is safe."
        assert excerpts(r, text) == ["safe"]
        assert hits(r, text)[0].column == text.index("is safe") + 4

    def test_unless_sentence_has(self):
        r = rule_from("kind: phrase\nphrases: [safe]\nunless-sentence-has: [side effect]\n")
        assert excerpts(r, "It is safe. It is safe, but side effects include nausea.") == ["safe"]

    def test_hedged_and_cited(self):
        r = rule_from("kind: phrase\nphrases: [reverse]\nunless: [hedged, cited]\n")
        assert excerpts(r, "It may reverse aging. It reverses aging [2]. It reverses aging.") == ["reverses"]

    def test_report_sentence(self):
        r = rule_from("kind: phrase\nphrases: [cure]\nreport: sentence\n")
        assert excerpts(r, "First. It is a cure, a cure! Last.") == ["It is a cure, a cure!"]


class TestPattern:
    def test_token_patterns_and_extensions(self):
        r = rule_from("""\
            kind: pattern
            patterns:
              - [{LOWER: {IN: [no, zero]}}, {LOWER: side}, {LEMMA: effect}]
              - [{LEMMA: guarantee, _: {negated: false}}]
            """)
        assert excerpts(r, "No side effects. Zero side effect. It is guaranteed. There is no guarantee.") == \
            ["No side effects", "Zero side effect", "guaranteed"]


class TestRegex:
    def test_regex_per_sentence(self):
        r = rule_from("kind: regex\nregex: ['\\bstudies\\s+show', 'clinically[- ]proven']\n")
        assert excerpts(r, "Studies show it. Clinically-proven! Studies. Show.") == ["Studies show", "Clinically-proven"]

    def test_case_sensitive(self):
        r = rule_from("kind: regex\nregex: 'FDA'\nignore-case: false\n")
        assert excerpts(r, "FDA and fda.") == ["FDA"]

    def test_catastrophic_regex_is_stopped_and_reported(self):
        r = rule_from("kind: regex\nregex: '(a|aa)+$'\n")
        engine = Linter(Settings(packs=[]))
        doc = sources.parse("a" * 5000 + "!", "x.txt")
        res = engine.check_document(doc, [ActiveRule(r, "warning")])
        assert res.findings == []
        assert "exceeded its time limit" in res.errors[0].message
        assert "t/r" in res.errors[0].message


class TestStatistic:
    BODY = """\
        kind: statistic
        quantities: [percent, fraction, ratio, multiplier]
        outcomes: [improve, improvement, relief, response, better]
        not-about: [adult, price, cost]
        """

    def test_uncited_outcome_numbers(self):
        r = rule_from(self.BODY, category="efficacy-statistic", message="{quantity}")
        text = ("87% of clients report improvement. Nine out of ten felt better. 1 in 5 adults need relief. "
                "Half the price of a clinic, with better care. 70% improved (Lee et al., 2021). "
                "It costs $99. Two-thirds saw relief.[4]")
        fs = hits(r, text)
        assert [f.message for f in fs] == ["87%", "Nine out of ten"]
        assert fs[0].excerpt == "87% of clients report improvement."

    def test_no_outcome_word_no_finding(self):
        r = rule_from(self.BODY, category="efficacy-statistic")
        assert excerpts(r, "Open 7 days. 40% off this week. Over 90% of our staff are nurses.") == []


class TestRequires:
    BODY = """\
        kind: requires
        when: {phrases: [relieve, heal], unless: [negated]}
        require: [side effect, nausea]
        """

    def test_fires_once_at_first_trigger(self):
        r = rule_from(self.BODY, category="missing-risk-disclosure", message="at {trigger}")
        text = "# Title\n\nWelcome.\n\nOur drips relieve pain. They heal too.\n"
        fs = hits(r, text, name="x.md")
        assert len(fs) == 1 and fs[0].message == "at relieve"
        assert (fs[0].line, fs[0].column) == (5, 1) and fs[0].scope == "document"

    def test_requirement_met_anywhere_in_the_document(self):
        r = rule_from(self.BODY, category="missing-risk-disclosure")
        assert excerpts(r, "Our drips relieve pain.\n\nSide effects include bruising.\n") == []

    def test_negated_trigger_does_not_count(self):
        r = rule_from(self.BODY, category="missing-risk-disclosure")
        assert excerpts(r, "This will not heal anything by itself.") == []


def test_kind_registry_is_extensible():
    from claimlint.kinds import KINDS, register
    from claimlint.kinds.phrase import PhraseRule

    class Shout(PhraseRule):
        kind = "shout-test"

    register(Shout)
    try:
        r = rule_from("kind: shout-test\nphrases: [cure]\n")
        assert excerpts(r, "A cure.") == ["cure"]
    finally:
        KINDS.pop("shout-test")


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "#", "<p></p>"])
def test_empty_documents(text):
    r = rule_from("kind: phrase\nphrases: [cure]\n")
    assert excerpts(r, text, name="x.md") == []


class TestTermFilters:
    def test_question_sentences_are_not_claims(self):
        r = rule_from("kind: phrase\nphrases: [cure]\nunless: [question]\n")
        assert excerpts(r, "Can it cure you? It can cure you.") == ["cure"]
        text = "Can it cure you? It can cure you."
        assert hits(r, text)[0].column == text.rindex("cure") + 1

    def test_nested_terms_filters_and_any_of(self):
        r = rule_from("""\
            kind: requires
            when: [relief]
            require:
              any-of:
                - phrases: [nausea]
                  if-sentence-has: [may, can]
                - phrases: [side effect]
                  unless: [negated]
            """, category="missing-risk-disclosure")
        assert excerpts(r, "Fast relief. It eases nausea.") == ["Fast relief."]
        assert excerpts(r, "Fast relief. It may cause nausea.") == []
        assert excerpts(r, "Fast relief with no side effects.") == ["Fast relief with no side effects."]
        assert excerpts(r, "Fast relief. Side effects are listed below.") == []

    def test_case_sensitive_terms_regex(self):
        r = rule_from("kind: requires\nwhen: {regex: ['\\bMy\\b'], ignore-case: false}\nrequire: [vary]\n",
                      category="missing-typicality-disclosure")
        assert excerpts(r, "my notes.") == []
        assert excerpts(r, "My pain is gone.") == ["My pain is gone."]

    def test_negative_claims_are_not_cancelled_by_a_listed_cue(self):
        r = rule_from("kind: phrase\nphrases: [no side effects]\nunless: [negated]\n",
                      category="risk-minimization")
        assert excerpts(r, "No heat, no side effects.") == ["no side effects"]
        # A denial ("not", "never") before a negative claim does negate it.
        assert excerpts(r, "It is not true that there are no side effects.") == []
        assert excerpts(r, "Never say no side effects.") == []


class TestIndications:
    PACK = """\
pack: d
data:
  conditions:
    anesthesia: [anesthesia, surgery]
    depression: [depression, low mood]
    weight: [weight loss]
  drugs:
    - name: ketamine
      names: [ketamine, Ketalar]
      approved: [anesthesia]
      source: label
    - name: esketamine
      names: [esketamine, Spravato]
      approved: [depression]
      source: label
    - name: psilocybin
      names: [psilocybin]
      status: unapproved
      source: none
rules:
  - id: offlabel
    kind: indications
    category: missing-offlabel-disclosure
    message: "{drug} for {condition}"
    rationale: r
    references: [ref]
    examples: {bad: [x], good: [y]}
    pairing: %s
    condition-context: [for, treat, therapy]
    unless-sentence-has: [warning, side effect]
    disclosure: {regex: ['\\boff[- ]label\\b']}
"""

    def rule(self, pairing="sentence"):
        return load_pack_text(self.PACK % pairing, "d.yaml").rules[0]

    def test_pairing_in_a_sentence(self):
        r = self.rule()
        fs = hits(r, "Welcome.\n\nKetamine therapy for depression.\n\nMore.\n")
        assert [f.message for f in fs] == ["Ketamine for depression"]
        assert fs[0].scope == "document" and fs[0].line == 3

    def test_disclosure_anywhere_cancels(self):
        r = self.rule()
        assert hits(r, "Ketamine therapy for depression. Its use for depression is off-label.") == []

    def test_approved_uses_unapproved_products_and_other_drugs(self):
        r = self.rule()
        assert hits(r, "Ketamine is used for anesthesia in surgery.") == []
        assert hits(r, "Psilocybin retreats for depression.") == []
        assert hits(r, "Spravato, a relative of ketamine, treats depression.") == []
        assert hits(r, "We never use ketamine for depression.") == []
        assert hits(r, "Ketamine carries a warning about low mood.") == []

    def test_document_pairing_needs_condition_context(self):
        r = self.rule("document")
        assert [f.message for f in hits(r, "Ketamine infusions.\n\nTherapy for low mood.\n")] == \
            ["Ketamine for low mood"]
        assert hits(r, "Ketamine infusions.\n\nLow mood is common.\n") == []
        r = self.rule("sentence")
        assert hits(r, "Ketamine infusions.\n\nTherapy for low mood.\n") == []

    def test_hyphenated_condition_phrases_match(self):
        r = self.rule()
        assert [f.message for f in hits(r, "Our ketamine weight-loss program.")] == ["ketamine for weight-loss"]

    def test_table_errors(self):
        from claimlint.errors import PackError

        bad = self.PACK.replace("approved: [depression]", "approved: [sadness]") % "sentence"
        with pytest.raises(PackError, match="approved condition 'sadness' is not in the conditions table"):
            load_pack_text(bad, "d.yaml")
        bad = self.PACK.replace("    conditions: conditions\n", "") % "sentence"
        bad = bad.replace("pairing: sentence", "pairing: sentence\n    drugs: medicines")
        with pytest.raises(PackError, match="no data table 'medicines'"):
            load_pack_text(bad, "d.yaml")


def test_fingerprints_survive_line_shifts_and_change_with_the_sentence():
    r = rule_from("kind: phrase\nphrases: [cure]\n")
    a = hits(r, "Intro.\n\nIt is a cure. It is a cure.\n")
    b = hits(r, "Intro.\n\nA new line.\n\nMore text.\n\nIt is a cure. It is a cure.\n")
    c = hits(r, "Intro.\n\nIt is a real cure. It is a cure.\n")
    assert [f.fingerprint for f in a] == [f.fingerprint for f in b]
    assert a[0].fingerprint != a[1].fingerprint  # identical sentences are told apart
    assert c[0].fingerprint not in {f.fingerprint for f in a}


def test_clean_copy_is_checked_without_importing_spacy(tmp_path):
    import subprocess
    import sys

    page = tmp_path / "hours.md"
    page.write_text("# Opening hours\n\nWe are open from nine to five on weekdays.\n")
    code = ("import sys\nfrom claimlint.linter import Linter\n"
            f"r = Linter().check_file({str(page)!r})\n"
            "assert r.findings == [] and not r.errors\n"
            "print('spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_explicit_triggers_replace_derived_ones():
    r = rule_from("kind: regex\nregex: ['\\bzz\\w+']\ntriggers: {substrings: ['zz']}\n")
    fire, analysis = r.derive_triggers()
    assert fire is not None and analysis is not None
    assert excerpts(r, "No match here. A zzword here.") == ["zzword"]
    with pytest.raises(Exception, match="'triggers' is empty"):
        rule_from("kind: regex\nregex: ['x']\ntriggers: {words: []}\n")


def test_regex_predicates_in_token_patterns_have_a_time_limit():
    r = rule_from("kind: pattern\npatterns:\n  - [{TEXT: {REGEX: '^(a|aa)+$'}}]\n")
    engine = Linter(Settings(packs=[]))
    assert excerpts(r, "Say aaaa now.") == ["aaaa"]
    doc = sources.parse("a" * 3000 + "b is long.", "x.txt")
    res = engine.check_document(doc, [ActiveRule(r, "warning")])
    assert res.findings == [] and "exceeded its time limit" in res.errors[0].message


def test_regex_match_across_sentences_does_not_hide_one_inside_a_sentence():
    r = rule_from("kind: regex\nregex: ['\\b(?:a|the)\\s+(?:\\w+\\s+){0,5}?trial(?:\\s+\\w+){0,6}?\\s+found\\b']\n",
                  category="missing-citation")
    text = "We read the report. A 2022 trial at a large university found gains."
    assert excerpts(r, text) == ["A 2022 trial at a large university found"]


def test_indications_min_mentions_separates_promotion_from_a_passing_mention():
    t = TestIndications()
    pack = t.PACK.replace("    condition-context: [for, treat, therapy]\n",
                          "    condition-context: [for, treat, therapy]\n    min-mentions: 2\n")
    r = load_pack_text(pack % "document", "d.yaml").rules[0]
    assert hits(r, "Therapy for low mood.\n\nOther options include ketamine.\n") == []
    assert hits(r, "Ketamine infusions.\n\nTherapy for low mood.\n\nBook ketamine today.\n")
