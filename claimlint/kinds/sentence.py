"""Options every sentence-level kind shares, the loop that applies them, and the base of the kinds
built on one term set (``phrase`` and ``pattern``)."""
from __future__ import annotations

from typing import Iterator

from ..prefilter import AnyOf, Trigger
from ..schema import Opt
from .base import AnalyzedDocument, Hit, Rule, Scope, make_hit
from .terms import UNLESS, Terms, filter_matches, longest
from .triggers import all_regexes, terms_filter_spec

SENTENCE_OPTIONS = {
    "unless": Opt("enumlist", default=[], choices=UNLESS,
                  help="drop a match that is negated, hedged, in a cited sentence, or in a question"),
    "except": Opt("any", default=None,
                  help="terms; a match overlapping one of them is dropped (e.g. 'feel safe')"),
    "if-sentence-has": Opt("any", default=None,
                           help="terms; report only when the sentence also has one of them"),
    "unless-sentence-has": Opt("any", default=None,
                               help="terms; do not report when the sentence has one of them"),
    "report": Opt("enum", default="match", choices=("match", "sentence"),
                  help="underline the match, or the whole sentence"),
}


class SentenceRule(Rule):
    """A rule whose matches are filtered per sentence by the shared options."""

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.unless = tuple(options.get("unless") or ())
        self.except_terms = self._terms("except")
        self.if_has = self._terms("if-sentence-has")
        self.unless_has = self._terms("unless-sentence-has")
        self.report = options.get("report") or "match"

    def _terms(self, key: str) -> Terms | None:
        value = self.options.get(key)
        if value is None:
            return None
        return Terms(value, self.where, self.raw.line_of(key), key)

    def _filter_terms(self) -> list[Terms]:
        return [t for t in (self.except_terms, self.if_has, self.unless_has) if t is not None]

    def main_trigger(self) -> AnyOf | None:  # pragma: no cover - abstract
        return None

    def fire_trigger(self) -> Trigger | None:
        main = self.main_trigger()
        if main is None:
            return None
        trig = Trigger((main,))
        if self.if_has is not None:
            extra = self.if_has.trigger
            if extra is not None:
                trig = trig & Trigger((extra,))
        return trig

    def prepare(self, nlp) -> None:
        for t in self._filter_terms():
            t.prepare(nlp)

    def candidates(self, doc, scope: Scope) -> list[tuple[int, int, dict]]:  # pragma: no cover
        """Token spans (and message values) of this rule's raw matches."""
        raise NotImplementedError

    def check(self, analyzed: AnalyzedDocument, scope: Scope) -> Iterator[Hit]:
        doc, analysis = analyzed.doc, analyzed.analysis
        cands = self.candidates(doc, scope)
        if not cands:
            return
        values_of = {(s, e): v for s, e, v in cands}
        kept = filter_matches(doc, [(s, e) for s, e, _ in cands], scope, self.unless,
                              self.except_terms, self.if_has, self.unless_has)
        reported: set[tuple[int, int]] = set()
        for s, e in kept:
            if self.report == "sentence":
                sentence = analysis.sentence_of(s)
                if sentence in reported:
                    continue
                reported.add(sentence)
            yield make_hit(analysis, s, e, self.report, values_of[(s, e)])


class TermsRule(SentenceRule):
    """A sentence-level kind whose matches are those of one term set (``self.terms``, built by
    :meth:`build_terms` from the kind's own options)."""

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.terms = self.build_terms(options, raw, where)

    def build_terms(self, options, raw, where) -> Terms:  # pragma: no cover - abstract
        raise NotImplementedError

    def main_trigger(self) -> AnyOf | None:
        return self.terms.trigger

    def derive_filter_spec(self):
        return terms_filter_spec(self.terms)

    def filter_regexes(self):
        return all_regexes(self.terms)

    def prepare(self, nlp) -> None:
        super().prepare(nlp)
        self.terms.prepare(nlp)

    def candidates(self, doc, scope: Scope):
        return [(s, e, {}) for s, e in longest(self.terms.raw_matches(doc, scope))]
