"""One set of matchers per rule: a rule's phrases, token patterns and the terms of its filters
(except, if-sentence-has, ...) are matched in one pass over a document.

Each term set is added to its rule's hub under a key of its own. The first time a rule asks about a
document, its hub runs one Matcher and one PhraseMatcher per attribute and keeps the results,
grouped by key, on the document's analysis. When the engine has narrowed the rule to some blocks
(``Analysis.scope``, token ranges), the token-pattern Matcher -- the costly one -- runs on those
ranges only.
"""
from __future__ import annotations

from ..nlp.analysis import cl as _cl

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
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrase: dict[str, object] = {}
        self.version = 0
        self._has_patterns = False
        self._relative = _matcher_spans_are_relative(nlp)

    def add_patterns(self, patterns: list) -> str:
        """Register token patterns; returns their key. spaCy's errors propagate to the caller."""
        key = f"p{next(_ids)}"
        self.matcher.add(key, patterns)
        self._has_patterns = True
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

    def matches(self, doc, key: str) -> list[tuple[int, int]]:
        an = _cl(doc)
        scope = an.scope
        memo_key = (self.id, None if scope is None else tuple(scope))
        memo = an.matches.get(memo_key)
        if memo is None or memo.get("_version") != self.version:
            memo = an.matches[memo_key] = self._run(doc, an, scope)
            memo["_version"] = self.version
        return memo.get(key, [])

    def _run(self, doc, an, scope) -> dict:
        strings = doc.vocab.strings
        sent_of = an.sentence_of
        groups: dict = {}

        def add(mid: int, s: int, e: int) -> None:
            # A match never runs from one sentence (or joined block) into the next.
            if e - s > 1 and sent_of(s) != sent_of(e - 1):
                return
            groups.setdefault(strings[mid], []).append((s, e))

        inside = (lambda s, e: True) if scope is None else \
            (lambda s, e: any(a <= s and e <= b for a, b in scope))
        for pm in self.phrase.values():
            for mid, s, e in pm(doc):
                if inside(s, e):
                    add(mid, s, e)
        if self._has_patterns:
            # On a Span the Matcher reads each token through Python; on the whole Doc it stays in
            # C. Match the whole Doc (and filter) unless the scope is a small part of it.
            covered = len(doc) if scope is None else sum(b - a for a, b in scope)
            if scope is None or 2 * covered > len(doc):
                for mid, s, e in self.matcher(doc):
                    if inside(s, e):
                        add(mid, s, e)
            else:
                for a, b in scope:
                    shift = a if self._relative else 0
                    for mid, s, e in self.matcher(doc[a:b]):
                        add(mid, s + shift, e + shift)
        return groups


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
