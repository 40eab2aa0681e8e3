"""``pattern``: spaCy Matcher token patterns, for rule authors who need token-level control.

    - id: no-side-effects
      kind: pattern
      patterns:
        - [{LOWER: {IN: [no, zero]}}, {LOWER: side}, {LEMMA: effect}]
"""
from __future__ import annotations

from ..prefilter import AnyOf
from ..schema import Opt
from .common import SENTENCE_OPTIONS, SentenceRule
from .terms import Terms, all_regexes, longest, terms_filter_spec


class PatternRule(SentenceRule):
    kind = "pattern"
    DESCRIPTION = "spaCy Matcher token patterns (LOWER, LEMMA, IN, OP, IS_DIGIT, _.negated ...)."
    OPTIONS = {
        "patterns": Opt("patterns", required=True, help="a list of Matcher token patterns"),
        **SENTENCE_OPTIONS,
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        t = {"patterns": raw["patterns"]}
        self.terms = Terms(_with_lines(t, raw), where, raw.line_of("patterns"), "patterns")

    def main_trigger(self) -> AnyOf | None:
        return self.terms.trigger()

    def derive_filter_spec(self):
        return terms_filter_spec(self.terms)

    def filter_regexes(self):
        return all_regexes(self.terms)

    def prepare(self, nlp) -> None:
        super().prepare(nlp)
        self.terms.prepare(nlp, self)

    def candidates(self, doc):
        return [(s, e, {}) for s, e in longest(self.terms.raw_matches(doc))]


def _with_lines(values: dict, raw):
    from ..yamlutil import LDict

    d = LDict(values)
    d.line = raw.line
    d.lines = {k: raw.line_of(k) for k in values}
    return d
