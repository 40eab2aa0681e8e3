"""``regex``: regular expressions over each sentence's text (Python syntax, ``regex`` engine).

    - id: clinically-proven
      kind: regex
      regex: ['\bclinically[- ]proven\b', '\bscience[- ]backed\b']
      ignore-case: true

Every search runs with a time limit, so a pattern that backtracks catastrophically is reported and
stopped instead of hanging the run.
"""
from __future__ import annotations

from ..prefilter import AnyOf
from ..saferegex import SafeRegex, regex_literals
from ..schema import Opt
from .sentence import SENTENCE_OPTIONS, SentenceRule
from .terms import longest, regex_token_spans
from .triggers import regex_filter_spec


class RegexRule(SentenceRule):
    kind = "regex"
    DESCRIPTION = "Regular expressions over the text of each sentence."
    OPTIONS = {
        "regex": Opt("regexlist", required=True, help="one pattern or a list of patterns"),
        "ignore-case": Opt("bool", default=True, help="case-insensitive matching"),
        **SENTENCE_OPTIONS,
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.regexes = [SafeRegex(p, options["ignore-case"], where, raw.line_of("regex"))
                        for p in options["regex"]]

    def main_trigger(self) -> AnyOf | None:
        subs: set[str] = set()
        for rx in self.regexes:
            lits = regex_literals(rx.pattern)
            if lits is None:
                return None
            subs |= lits
        return AnyOf(substrings=frozenset(subs))

    def derive_filter_spec(self):
        return regex_filter_spec(self.regexes)

    def filter_regexes(self):
        return self.regexes

    def candidates(self, doc, scope):
        spans = regex_token_spans(doc, self.regexes, scope, with_groups=True)
        groups = {(s, e): g for s, e, g in spans}
        return [(s, e, groups.get((s, e), {})) for s, e in longest([(s, e) for s, e, _ in spans])]
