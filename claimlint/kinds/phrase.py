"""``phrase``: words and phrases, compared on lemma (default), lower case or exact text.

    - id: miracle-language
      kind: phrase
      phrases: [miracle, cure-all, wonder drug]
      match: lemma
      unless: [negated]
"""
from __future__ import annotations

from ..schema import Opt
from .sentence import SENTENCE_OPTIONS, TermsRule
from .terms import MATCH_MODES, Terms


class PhraseRule(TermsRule):
    kind = "phrase"
    DESCRIPTION = "Words or phrases, matched on lemma, lower case or exact text."
    OPTIONS = {
        "phrases": Opt("strlist", required=True, help="the words or phrases to find"),
        "match": Opt("enum", default="lemma", choices=MATCH_MODES,
                     help="lemma: any inflection; lower: any case; exact: as written"),
        **SENTENCE_OPTIONS,
    }

    def build_terms(self, options, raw, where) -> Terms:
        return Terms({"phrases": options["phrases"], "match": options["match"]}, where,
                     raw.line_of("phrases"), "phrases")
