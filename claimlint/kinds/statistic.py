"""``statistic``: a number about outcomes in a sentence that cites nothing.

    - id: uncited-efficacy-number
      kind: statistic
      quantities: [percent, fraction, ratio, multiplier]
      outcomes: [improve, response, remission, relief, reduce, satisfied]
      not-about: [prevalence, affect, experience, diagnose, cost, price]

A sentence is reported when it holds a quantity of one of the listed kinds, one of the ``outcomes``
terms, and no citation (in the sentence or attached to it, e.g. ``...improved.[3]``). A quantity
with a ``not-about`` term within ``not-about-window`` tokens of it is not an outcome figure
("1 in 5 adults experience anxiety", "half the price").
"""
from __future__ import annotations

import re

from ..nlp.analysis import analysis_of
from ..nlp.markers import NUMBER_WORDS
from ..prefilter import AnyOf, Trigger
from ..schema import Opt
from .sentence import SENTENCE_OPTIONS, SentenceRule
from .spans import SpanIndex
from .terms import UNLESS, Terms

QUANTITY_KINDS = ("percent", "fraction", "ratio", "multiplier", "amount", "proportion")
_QUANTITY_WORDS = frozenset(
    {w for k in NUMBER_WORDS for w in k.split() if w != "a"}
    | {"half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth",
       "fifths", "sixth", "sixths", "eighth", "eighths", "tenth", "tenths", "twice", "thrice",
       "double", "doubles", "doubled", "triple", "triples", "tripled", "quadruple", "percent",
       "fold", "most", "majority", "all", "every", "everyone", "everybody", "pct", "cent",
       "quadrupled", "quadruples", "twofold", "threefold", "fourfold", "fivefold", "tenfold",
       "hundredfold"}
)
_QUANTITY_CHARS = re.compile(r"[0-9%\u00bd\u2153\u2154\u00bc\u00be\u2155-\u215e]")


class StatisticRule(SentenceRule):
    kind = "statistic"
    DESCRIPTION = "A quantity about outcomes in a sentence with no citation attached."
    PLACEHOLDERS = {"match", "sentence", "quantity"}
    OPTIONS = {
        "quantities": Opt("enumlist", default=["percent", "fraction", "ratio", "multiplier"],
                          choices=QUANTITY_KINDS, help="which kinds of quantity count"),
        "outcomes": Opt("any", required=True,
                        help="terms; the sentence must speak of an outcome (improve, relief...)"),
        "not-about": Opt("any", default=None,
                         help="terms; a quantity near one of them is not an outcome figure"),
        "not-about-window": Opt("int", default=6, help="tokens either side of the quantity"),
        **{**SENTENCE_OPTIONS,
           "unless": Opt("enumlist", default=["cited"], choices=UNLESS,
                         help="default: cited"),
           "report": Opt("enum", default="sentence", choices=("match", "sentence"),
                         help="default: the whole sentence")},
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.kinds = set(options["quantities"])
        self.outcomes = Terms(options["outcomes"], where, raw.line_of("outcomes"), "outcomes")
        self.not_about = self._terms("not-about")
        self.window = options["not-about-window"]
        if self.window < 0:
            raise where.error("'not-about-window' must be zero or more", raw.line_of("not-about-window"))

    def main_trigger(self) -> AnyOf | None:
        return AnyOf(words=_QUANTITY_WORDS, chars=_QUANTITY_CHARS)

    def fire_trigger(self) -> Trigger | None:
        trig = super().fire_trigger()
        out = self.outcomes.trigger
        if trig is None or out is None:
            return trig
        return trig & Trigger((out,))

    def prepare(self, nlp) -> None:
        super().prepare(nlp)
        self.outcomes.prepare(nlp)
        if self.not_about is not None:
            self.not_about.prepare(nlp)

    def candidates(self, doc, scope):
        analysis = analysis_of(doc)
        qs = [q for q in analysis.quantities(scope) if q.kind in self.kinds]
        if not qs:
            return []
        outcome_spans = self.outcomes.matches(doc, scope)
        if not outcome_spans:
            return []
        excluded = SpanIndex(self.not_about.matches(doc, scope) if self.not_about is not None
                             else [])
        outcomes = SpanIndex(outcome_spans)
        out = []
        w = self.window
        for q in qs:
            if analysis.cited(q.start, q.end):
                continue  # the number is part of a citation ("PMC1234567")
            ss, se = analysis.sentence_of(q.start)
            if not outcomes.any_within(ss, se):
                continue
            if excluded and _near(excluded, q.start - w, q.end + w, ss, se):
                continue
            out.append((q.start, q.end, {"quantity": q.text}))
        return out


def _near(spans: SpanIndex, lo: int, hi: int, ss: int, se: int) -> bool:
    """Does a span ``(s, e)`` of ``spans`` lie in sentence ``[ss, se)`` and overlap ``(lo, hi)``
    (``s < hi and lo < e``)?"""
    for s, e in spans.iter_from(ss):
        if s >= hi or s > se:
            return False
        if lo < e <= se:
            return True
    return False
