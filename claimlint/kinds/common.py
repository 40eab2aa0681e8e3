"""Options every sentence-level kind shares, and the loop that applies them."""
from __future__ import annotations

from ..nlp.analysis import cl as _cl

from typing import Iterator

from ..prefilter import AnyOf, Trigger
from ..schema import Opt
from .base import AnalyzedDocument, Hit, Rule
from .terms import UNLESS, Terms, filter_matches

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
        line = raw.line_of
        self.unless = tuple(options.get("unless") or ())
        self.except_terms = self._terms("except", line)
        self.if_has = self._terms("if-sentence-has", line)
        self.unless_has = self._terms("unless-sentence-has", line)
        self.report = options.get("report") or "match"

    def _terms(self, key: str, line, **kw) -> Terms | None:
        value = self.options.get(key)
        if value is None:
            return None
        return Terms(value, self.where, line(key), key, **kw)

    def _all_terms(self) -> list[Terms]:
        return [t for t in (self.except_terms, self.if_has, self.unless_has) if t is not None]

    def main_trigger(self) -> AnyOf | None:  # pragma: no cover - abstract
        return None

    def fire_trigger(self) -> Trigger | None:
        main = self.main_trigger()
        if main is None:
            return None
        trig = Trigger((main,))
        if self.if_has is not None:
            extra = self.if_has.trigger()
            if extra is not None:
                trig = trig & Trigger((extra,))
        return trig

    def prepare(self, nlp) -> None:
        for t in self._all_terms():
            t.prepare(nlp, self)

    def candidates(self, doc) -> list[tuple[int, int, dict]]:  # pragma: no cover - abstract
        """Token spans (and message values) of this rule's raw matches in one block."""
        raise NotImplementedError

    def check(self, adoc: AnalyzedDocument) -> Iterator[Hit]:
        for k, (_, block, doc) in enumerate(adoc.items):
            cands = self.candidates(doc)
            if not cands:
                continue
            an = _cl(doc)
            values_of = {(s, e): v for s, e, v in cands}
            kept = filter_matches(doc, [(s, e) for s, e, _ in cands], self.unless,
                                  self.except_terms, self.if_has, self.unless_has)
            reported_sents: set[tuple[int, int]] = set()
            for s, e in kept:
                values = values_of[(s, e)]
                ss, se = an.sentence_of(s)
                sa, sb = an.char_span(ss, se)
                ma, mb = an.char_span(s, e)
                if self.report == "sentence":
                    if (ss, se) in reported_sents:
                        continue
                    reported_sents.add((ss, se))
                    a, b = sa, sb
                else:
                    a, b = ma, mb
                vals = {"match": _cl(doc).text[ma:mb], "sentence": _cl(doc).text[sa:sb]}
                vals.update(values)
                yield Hit(k, a, b, sa, sb, vals)
