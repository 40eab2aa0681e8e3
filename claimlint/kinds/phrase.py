"""``phrase``: words and phrases, compared on lemma (default), lower case or exact text.

    - id: miracle-language
      kind: phrase
      phrases: [miracle, cure-all, wonder drug]
      match: lemma
      unless: [negated]
"""
from __future__ import annotations

from ..prefilter import AnyOf
from ..schema import Opt
from .common import SENTENCE_OPTIONS, SentenceRule
from .terms import MATCH_MODES, Terms, all_regexes, longest, terms_filter_spec


class PhraseRule(SentenceRule):
    kind = "phrase"
    DESCRIPTION = "Words or phrases, matched on lemma, lower case or exact text."
    OPTIONS = {
        "phrases": Opt("strlist", required=True, help="the words or phrases to find"),
        "match": Opt("enum", default="lemma", choices=MATCH_MODES,
                     help="lemma: any inflection; lower: any case; exact: as written"),
        **SENTENCE_OPTIONS,
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.terms = Terms({"phrases": options["phrases"], "match": options["match"]}, where,
                           raw.line_of("phrases"), "phrases")

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
