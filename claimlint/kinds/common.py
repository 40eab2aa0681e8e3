"""Options every sentence-level kind shares, and the loop that applies them."""
from __future__ import annotations

from typing import Iterator

from ..prefilter import AnyOf, Trigger
from .base import AnalyzedDocument, Hit, Opt, Rule
from .terms import UNLESS, Terms, passes_unless

SENTENCE_OPTIONS = {
    "unless": Opt("enumlist", default=[], choices=UNLESS,
                  help="drop a match that is negated, hedged, or in a sentence with a citation"),
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
            t.prepare(nlp)

    def candidates(self, doc) -> list[tuple[int, int, dict]]:  # pragma: no cover - abstract
        """Token spans (and message values) of this rule's raw matches in one block."""
        raise NotImplementedError

    def check(self, adoc: AnalyzedDocument) -> Iterator[Hit]:
        for k, (_, block, doc) in enumerate(adoc.items):
            cands = self.candidates(doc)
            if not cands:
                continue
            an = doc._.cl
            excepted = self.except_terms.matches(doc) if self.except_terms is not None else []
            has = self.if_has.matches(doc) if self.if_has is not None else None
            hasnt = self.unless_has.matches(doc) if self.unless_has is not None else None
            reported_sents: set[tuple[int, int]] = set()
            for s, e, values in cands:
                ss, se = an.sentence_of(s)
                if self.unless and not passes_unless(an, s, e, self.unless):
                    continue
                if excepted and any(xs < e and s < xe for xs, xe in excepted):
                    continue
                if has is not None and not any(ss <= hs and he <= se for hs, he in has):
                    continue
                if hasnt is not None and any(ss <= hs and he <= se for hs, he in hasnt):
                    continue
                sent = doc[ss:se]
                if self.report == "sentence":
                    if (ss, se) in reported_sents:
                        continue
                    reported_sents.add((ss, se))
                    a, b = sent.start_char, sent.end_char
                else:
                    a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                vals = {"match": doc.text[doc[s].idx:doc[e - 1].idx + len(doc[e - 1])],
                        "sentence": sent.text}
                vals.update(values)
                yield Hit(k, a, b, sent.start_char, sent.end_char, vals)
