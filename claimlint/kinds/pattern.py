"""``pattern``: spaCy Matcher token patterns, for rule authors who need token-level control.

    - id: no-side-effects
      kind: pattern
      patterns:
        - [{LOWER: {IN: [no, zero]}}, {LOWER: side}, {LEMMA: effect}]
"""
from __future__ import annotations

from ..schema import Opt, lined
from .sentence import SENTENCE_OPTIONS, TermsRule
from .terms import Terms


class PatternRule(TermsRule):
    kind = "pattern"
    DESCRIPTION = "spaCy Matcher token patterns (LOWER, LEMMA, IN, OP, IS_DIGIT, _.negated ...)."
    OPTIONS = {
        "patterns": Opt("patterns", required=True, help="a list of Matcher token patterns"),
        **SENTENCE_OPTIONS,
    }

    def build_terms(self, options, raw, where) -> Terms:
        line = raw.line_of("patterns")
        return Terms(lined({"patterns": raw["patterns"]}, line), where, line, "patterns")
