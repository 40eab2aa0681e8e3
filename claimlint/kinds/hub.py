"""One set of matchers per rule: a rule's phrases, token patterns and the terms of its filters
(except, if-sentence-has, ...) are matched in one pass over a document.

Each term set is added to its rule's hub under a key of its own. The first time a rule asks about a
document, its hub runs one Matcher and one PhraseMatcher per attribute and keeps the results,
grouped by key, on the document's analysis. When the linter has narrowed the rule to some blocks
(its scope: token ranges), the token-pattern Matcher -- the costly one -- runs on those
ranges only, and a pattern whose matches must contain one of some words runs only on the
sentences that have one.
"""
from __future__ import annotations

from ..nlp.analysis import analysis_of
from .spans import SpanIndex, in_ranges

import itertools
import threading

_hubs: dict[tuple[int, int], "MatcherHub"] = {}
_lock = threading.Lock()
_ids = itertools.count()


class MatcherHub:
    def __init__(self, nlp):
        from spacy.matcher import Matcher

        self.nlp = nlp
        self.id = next(_ids)
        # Token patterns are split in two. A pattern every match of which contains one of some
        # words (``triggers.pattern_words``) goes to ``matcher``, which runs only on the sentences that
        # have one of ``pattern_words``; the others go to ``wide``, which runs on the whole scope.
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.wide = Matcher(nlp.vocab, validate=True)
        self.pattern_words: set[str] = set()
        self.phrase: dict[str, object] = {}
        self.version = 0
        self._relative = _matcher_spans_are_relative(nlp)

    def add_patterns(self, patterns: list, words: list | None = None) -> str:
        """Register token patterns; returns their key. spaCy's errors propagate to the caller.

        ``words[i]``: words one of which every match of ``patterns[i]`` contains, as the
        pre-filter sees words, or None if there is no such set."""
        key = f"p{next(_ids)}"
        if words is None:
            words = [None] * len(patterns)
        narrow = [p for p, w in zip(patterns, words) if w is not None]
        wide = [p for p, w in zip(patterns, words) if w is None]
        if narrow:
            self.matcher.add(key, narrow)
            for w in words:
                if w is not None:
                    self.pattern_words |= w
        if wide:
            self.wide.add(key, wide)
        self.version += 1
        return key

    def add_phrases(self, attr: str, docs: list) -> str:
        from spacy.matcher import PhraseMatcher

        key = f"t{next(_ids)}"
        pm = self.phrase.get(attr)
        if pm is None:
            pm = self.phrase[attr] = PhraseMatcher(self.nlp.vocab, attr=attr)
        pm.add(key, docs)
        self.version += 1
        return key

    def matches(self, doc, key: str, scope) -> list[tuple[int, int]]:
        """Token spans of the matches of ``key`` in ``doc``, inside ``scope`` (None: all)."""
        analysis = analysis_of(doc)
        memo_key = (self.id, None if scope is None else tuple(scope))
        memo = analysis.matches.get(memo_key)
        if memo is None or memo.get("_version") != self.version:
            memo = analysis.matches[memo_key] = self._run(doc, analysis, scope)
            memo["_version"] = self.version
        return memo.get(key, [])

    def _run(self, doc, analysis, scope) -> dict:
        strings = doc.vocab.strings
        sent_of = analysis.sentence_of
        groups: dict = {}

        def add(mid: int, s: int, e: int) -> None:
            # A match never runs from one sentence (or joined block) into the next.
            if e - s > 1 and sent_of(s) != sent_of(e - 1):
                return
            groups.setdefault(strings[mid], []).append((s, e))

        inside = in_ranges(scope)
        for pm in self.phrase.values():
            for mid, s, e in pm(doc):
                if inside(s, e):
                    add(mid, s, e)
        if len(self.matcher):
            # A match lies inside one sentence and contains one of the words: only the sentences
            # that have one of them (and are in scope) can hold a match.
            ranges = []
            in_scope = None if scope is None else SpanIndex(scope).holds_point
            for k in analysis.sentences_with(self.pattern_words):
                a, b = analysis.sents[k]
                if in_scope is not None and not in_scope(a):
                    continue
                if ranges and ranges[-1][1] == a:
                    ranges[-1] = (ranges[-1][0], b)
                else:
                    ranges.append((a, b))
            self._match(self.matcher, doc, ranges, add)
        if len(self.wide):
            self._match(self.wide, doc, scope, add)
            for spans in groups.values():
                spans.sort()
        return groups

    def _match(self, matcher, doc, ranges, add) -> None:
        """Run ``matcher`` on token ``ranges`` of ``doc`` (None: all of it)."""
        # The Matcher's cost grows with the tokens it is given (it makes a Token object for each):
        # the whole Doc is matched, and matches out of range dropped, only when the ranges cover
        # most of it.
        covered = len(doc) if ranges is None else sum(b - a for a, b in ranges)
        if ranges is None or 2 * covered > len(doc):
            inside = in_ranges(ranges)
            for mid, s, e in matcher(doc):
                if inside(s, e):
                    add(mid, s, e)
        else:
            for a, b in ranges:
                shift = a if self._relative else 0
                for mid, s, e in matcher(doc[a:b]):
                    add(mid, s + shift, e + shift)


def _matcher_spans_are_relative(nlp) -> bool:
    """Does Matcher(span) give token indices relative to the span (spaCy 3.x does)?"""
    from spacy.matcher import Matcher

    probe = nlp.make_doc("x y")
    m = Matcher(nlp.vocab)
    m.add("probe", [[{"ORTH": "y"}]])
    return [s for _, s, _ in m(probe[1:2])] == [0]


def hub_for(nlp, owner: object) -> MatcherHub:
    """The hub of ``owner`` (a rule) for pipeline ``nlp``."""
    with _lock:
        key = (id(nlp), id(owner))
        hub = _hubs.get(key)
        if hub is None or hub.nlp is not nlp:
            hub = _hubs[key] = MatcherHub(nlp)
        return hub
