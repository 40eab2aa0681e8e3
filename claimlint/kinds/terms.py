"""Term lists: the matching building block that several kinds share.

A *terms* value in a rule pack is either a list of phrases::

    phrases: [cure, cure-all, miracle cure]

or a mapping that mixes phrases, spaCy Matcher token patterns and regular expressions, with the same
filters a rule has::

    when:
      phrases: [cure, reverse]
      match: lemma            # lemma (default) | lower | exact
      patterns: [[{LOWER: no}, {LOWER: side}, {LEMMA: effect}]]
      regex: ['\\bseizure[- ]free\\b']
      unless: [negated]
      except: [cure rate]
"""
from __future__ import annotations

import bisect
from functools import cached_property
from typing import Any

from ..nlp.analysis import analysis_of
from ..prefilter import AnyOf, Features
from ..saferegex import SafeRegex
from ..schema import Opt, Where, lined, validate_options
from ..yamlutil import LList
from . import triggers
from .spans import SpanIndex
from .token_patterns import check_patterns, lemmatised, time_limited_regexes

UNLESS = ("negated", "hedged", "cited", "question")
MATCH_MODES = ("lemma", "lower", "exact")

TERMS_SPEC = {
    "phrases": Opt("strlist", default=[], help="words or phrases"),
    "match": Opt("enum", default="lemma", choices=MATCH_MODES, help="how phrases compare to tokens"),
    "patterns": Opt("patterns", default=[], help="spaCy Matcher token patterns"),
    "regex": Opt("regexlist", default=[], help="regular expressions over the sentence text"),
    "ignore-case": Opt("bool", default=None, help="regexes ignore case (default: true)"),
    "unless": Opt("enumlist", default=[], choices=UNLESS, help="drop matches that are ..."),
    "except": Opt("any", default=None, help="matches inside these terms are dropped"),
    "if-sentence-has": Opt("any", default=None, help="keep a match only if its sentence has these"),
    "unless-sentence-has": Opt("any", default=None, help="drop a match whose sentence has these"),
    "any-of": Opt("any", default=None, help="further term sets whose matches count too"),
}

class Terms:
    """Compiled terms: phrases, token patterns and regexes, with their filters."""

    def __init__(self, raw: Any, where: Where, line: int, name: str, default_unless=(),
                 ignore_case: bool = True):
        self.name = name
        if raw is None:
            raw = []
        if isinstance(raw, (list, str)):
            raw = lined({"phrases": raw}, line)
        if not isinstance(raw, dict):
            raise where.error(f"{name!r} must be a list of phrases or a mapping", line)
        raw = lined(raw, line)
        opts = validate_options(raw, TERMS_SPEC, where, context=f"{name}: ")
        self.phrases: list[str] = opts["phrases"]
        self.match: str = opts["match"]
        self.unless: tuple[str, ...] = tuple(opts["unless"] or default_unless)
        self.patterns = check_patterns(opts["patterns"], where, raw.line_of("patterns"), name) \
            if opts["patterns"] else []
        if opts["ignore-case"] is not None:
            ignore_case = opts["ignore-case"]
        self.regexes = [SafeRegex(p, ignore_case, where, raw.line_of("regex")) for p in opts["regex"]]
        def sub(key: str) -> Terms | None:
            if opts[key] is None:
                return None
            return Terms(opts[key], where, raw.line_of(key), f"{name}.{key}")

        self.exceptions = sub("except")
        self.if_has = sub("if-sentence-has")
        self.unless_has = sub("unless-sentence-has")
        self.alternatives: list[Terms] = []
        if opts["any-of"] is not None:
            alts = opts["any-of"]
            if not isinstance(alts, list) or not alts:
                raise where.error(f"{name}: 'any-of' must be a list of term sets", raw.line_of("any-of"))
            for i, alt in enumerate(alts):
                aline = alts.line_of(i) if isinstance(alts, LList) else raw.line_of("any-of")
                self.alternatives.append(Terms(alt, where, aline, f"{name}.any-of[{i + 1}]"))
        if not (self.phrases or self.patterns or self.regexes or self.alternatives):
            raise where.error(f"{name!r} has no phrases, patterns, regex or any-of", raw.line)
        self._pattern_line = raw.line_of("patterns")
        self._where = where
        self._hub = None
        self._keys: list[str] = []
        self._nlp = None

    def __bool__(self) -> bool:
        return True

    # -- prefilter ------------------------------------------------------------------------------
    @cached_property
    def trigger(self) -> AnyOf | None:
        """What a text must have for any of these terms to match (None: unknown)."""
        return triggers.terms_trigger(self)

    @cached_property
    def matcher_trigger(self) -> AnyOf | None:
        """What the phrases and token patterns alone need (None: they could match anywhere)."""
        return triggers.matcher_trigger(self)

    # -- matching -------------------------------------------------------------------------------
    def prepare(self, nlp) -> None:
        """Build this term set's matchers (its own hub) for pipeline ``nlp``."""
        if self._nlp is nlp:
            return
        from .hub import hub_for

        # Each term set has its own matchers: a set whose words are absent is skipped whole.
        hub = hub_for(nlp, self)
        self._nlp = nlp
        self._hub = hub
        self._keys = []
        if self.phrases:
            attr = {"lemma": "LEMMA", "lower": "LOWER", "exact": "ORTH"}[self.match]
            if attr == "LEMMA":
                docs = list(lemmatised(nlp, self.phrases))
            else:
                docs = [nlp.make_doc(p if attr == "ORTH" else p.lower()) for p in self.phrases]
            self._keys.append(hub.add_phrases(attr, docs))
        if self.patterns:
            try:
                self._keys.append(hub.add_patterns(time_limited_regexes(self.patterns, self._where,
                                                                        self._pattern_line),
                                                   [triggers.pattern_words(p) for p in self.patterns]))
            except Exception as exc:  # spaCy raises ValueError/MatchPatternError with details
                msg = str(exc).strip().splitlines()
                detail = " ".join(x.strip() for x in msg if x.strip())[:300]
                raise self._where.error(f"{self.name!r}: invalid token pattern: {detail}",
                                        self._pattern_line) from None
        for t in (self.exceptions, self.if_has, self.unless_has, *self.alternatives):
            if t is not None:
                t.prepare(nlp)

    def raw_matches(self, doc, scope) -> list[tuple[int, int]]:
        """Token spans of every match in ``doc`` (inside ``scope``) before filters."""
        out: list[tuple[int, int]] = []
        if self._keys and self._present(doc):
            for key in self._keys:
                out.extend(self._hub.matches(doc, key, scope))
        if self.regexes:
            out.extend(regex_token_spans(doc, self.regexes, scope))
        return out

    def _present(self, doc) -> bool:
        """Can the phrases or patterns match at all? (their trigger words are in the text)"""
        own = self.matcher_trigger
        return own is None or own.test(analysis_of(doc).features)

    def any_match(self, doc, scope) -> bool:
        """Is there at least one match? Stops at the first alternative that has one."""
        raw = self.raw_matches(doc, scope)
        if raw and filter_matches(doc, raw, scope, self.unless, self.exceptions, self.if_has,
                                  self.unless_has):
            return True
        return any(alt.any_match(doc, scope) for alt in self.alternatives)

    def matches(self, doc, scope) -> list[tuple[int, int]]:
        """Token spans of matches that survive ``unless`` and ``except``, longest first."""
        raw = self.raw_matches(doc, scope)
        keep = filter_matches(doc, raw, scope, self.unless, self.exceptions, self.if_has,
                              self.unless_has) if raw else []
        for alt in self.alternatives:
            keep.extend(alt.matches(doc, scope))
        return longest(keep)


def regex_token_spans(doc, regexes: list[SafeRegex], scope, with_groups: bool = False) -> list:
    """Token spans of regex matches, each inside one sentence.

    A pattern is searched once over the text in scope. A match that crosses a sentence boundary
    is not kept; instead the sentences it touched are searched again one by one, so that a match
    inside one of them is not hidden by the crossing one. A pattern with anchors (``^``, ``$``) is
    searched sentence by sentence, so that ``^`` means the start of a sentence.
    """
    analysis = analysis_of(doc)
    text = analysis.text
    out = []
    ranges = analysis.char_ranges(scope)
    lowered = analysis.lower_text

    def sentence_range(k: int) -> tuple[int, int]:
        ss, se = analysis.sents[k]
        return analysis.starts[ss], analysis.ends[se - 1]

    def keep(rx, base: int, m) -> None:
        toks = analysis.tokens_of(base + m.start(), base + m.end())
        if toks is None:
            return
        if with_groups:
            out.append((toks[0], toks[1], {k: v for k, v in m.groupdict().items() if v is not None}))
        else:
            out.append(toks)

    for rx in regexes:
        if rx.literals is not None and not any(lit in lowered for lit in rx.literals):
            continue  # the text lacks every fixed part of the pattern: it cannot match
        if rx.anchored:
            sents = analysis.sentences_starting_in(ranges)
        else:
            sents = []
            for a, b in ranges:
                for m in rx.finditer(text[a:b]):
                    if m.end() <= m.start():
                        continue
                    toks = analysis.tokens_of(a + m.start(), a + m.end())
                    if toks is None:
                        continue
                    first, last = analysis.sentence_index(toks[0]), analysis.sentence_index(toks[1] - 1)
                    if first == last:
                        keep(rx, a, m)
                    else:
                        sents.extend(range(first, last + 1))
        done: set[int] = set()
        for k in sents:
            if k in done:
                continue
            done.add(k)
            a, b = sentence_range(k)
            for m in rx.finditer(text[a:b]):
                if m.end() > m.start():
                    keep(rx, a, m)
    return sorted(set(out)) if not with_groups else out


def filter_matches(doc, spans, scope, unless, exceptions=None, if_has=None, unless_has=None):
    """The spans that survive ``unless``, ``except``, ``if-sentence-has``, ``unless-sentence-has``
    (whose terms are looked for inside ``scope``)."""
    analysis = analysis_of(doc)
    excepted = SpanIndex(exceptions.matches(doc, scope)) if exceptions is not None else None
    has = SpanIndex(if_has.matches(doc, scope)) if if_has is not None else None
    hasnt = SpanIndex(unless_has.matches(doc, scope)) if unless_has is not None else None
    keep = []
    for s, e in spans:
        if unless and not passes_unless(analysis, s, e, unless, doc):
            continue
        if excepted and excepted.overlaps(s, e):
            continue
        if has is not None or hasnt is not None:
            ss, se = analysis.sentence_of(s)
            if has is not None and not has.any_within(ss, se):
                continue
            if hasnt is not None and hasnt.any_within(ss, se):
                continue
        keep.append((s, e))
    return keep


def is_question(doc, ss: int, se: int) -> bool:
    """Does the sentence end with a question mark (ignoring closing quotes and brackets)?"""
    k = se - 1
    while k >= ss and doc[k].text in ("\"", "'", "\u201d", "\u2019", ")", "]", "*"):
        k -= 1
    return k >= ss and doc[k].text.endswith("?")


def passes_unless(analysis, s: int, e: int, unless, doc=None) -> bool:
    if "negated" in unless and analysis.negated(s, e):
        return False
    if "hedged" in unless and analysis.hedged(s, e):
        return False
    if "cited" in unless or "question" in unless:
        ss, se = analysis.sentence_of(s)
        if "cited" in unless and analysis.cited(ss, se):
            return False
        if "question" in unless and doc is not None and is_question(doc, ss, se):
            return False
    return True


def longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, preferring the longest (then the earliest), in document order.

    The spans taken so far are kept sorted and never overlap, so a candidate can only overlap
    its two neighbours there: O(n log n) in the number of spans."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        i = bisect.bisect_left(starts, s)
        if i > 0 and ends[i - 1] > s:
            continue
        if i < len(starts) and starts[i] < e:
            continue
        starts.insert(i, s)
        ends.insert(i, e)
    return list(zip(starts, ends))
