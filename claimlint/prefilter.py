"""A cheap test of whether a rule could possibly fire on a piece of text.

Every rule describes, without spaCy, what must be present for it to match: a set of words (every
inflected form of the words it matches), literal substrings (the fixed parts of a regular
expression) or character classes (digits, for a statistic). The linter runs the NLP pipeline only
on blocks that pass some enabled rule's trigger, and a document whose blocks pass none is finished
without importing spaCy at all. A trigger must never reject text its rule would match: when in
doubt a rule returns ``None`` ("always run").
"""
from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field

from .nlp.splits import UNITS, WRITTEN
from .saferegex import RegexTimeout, budget_for, regex_budget
from .words import COMMON, WORD

def trigger_forms(word: str) -> frozenset[str] | None:
    """The words the pre-filter looks for so as to find token ``word`` in any text: the word itself
    and the written words spaCy's tokenizer cuts it out of ("not" also in "cannot"); None for a
    number or a unit, which spaCy cuts off a number ("5mg")."""
    if word.isdigit() or word in UNITS:
        return None
    return WRITTEN.get(word, frozenset()) | {word}


class Features:
    """What the triggers test, computed once per block."""

    __slots__ = ("text", "lower", "_words")

    def __init__(self, text: str):
        self.text = text
        self.lower = text.lower()
        self._words: set[str] | None = None

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = set(WORD.findall(self.lower))
        return self._words


class _Substrings:
    """Every trigger substring in one Aho-Corasick automaton (pyahocorasick): a document's text is
    read once for all of them, however many rules and substrings there are. Without the library,
    each trigger's own regular expression is searched instead."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._automaton = None
        self._lock = threading.Lock()
        try:
            import ahocorasick  # noqa: F401

            self.available = True
        except ImportError:  # it is a dependency; the fallback is tested
            self.available = False

    def register(self, substrings) -> frozenset[int]:
        with self._lock:
            out = []
            for sub in substrings:
                sid = self.ids.get(sub)
                if sid is None:
                    sid = self.ids[sub] = len(self.ids)
                    self._automaton = None
                out.append(sid)
            return frozenset(out)

    def automaton(self):
        with self._lock:
            if self._automaton is None:
                import ahocorasick

                a = ahocorasick.Automaton()
                for sub, sid in self.ids.items():
                    a.add_word(sub, (sid, len(sub)))
                a.make_automaton()
                self._automaton = a
            return self._automaton


SUBSTRINGS = _Substrings()


class DocumentFeatures:
    """The blocks of a document as the triggers see them, for finding which blocks pass a trigger
    without testing every block: words through an index of the blocks each word occurs in,
    substrings by one pass of the automaton over the document's text, and characters by searching
    the text, skipping to the next block after a hit."""

    def __init__(self, texts: list[str]):
        # Each block's own Features, for the finer per-block tests (``Rule.block_filter``).
        self.features = [Features(t) for t in texts]
        self.n = len(texts)
        self.starts: list[int] = []
        pos = 0
        index: dict[str, list[int]] = {}
        for i, f in enumerate(self.features):
            self.starts.append(pos)
            pos += len(f.lower) + 1
            for w in f.words:
                index.setdefault(w, []).append(i)
        self.lower = "\n".join(f.lower for f in self.features)
        self.index = index
        self.keys = set(index)
        self._subs: dict[int, set[int]] | None = None
        self._known = 0
        self._memo: dict[int, frozenset[int]] = {}

    def _block_range(self, start: int, end: int) -> range:
        """The blocks a match at ``[start, end)`` touches (all of them, if it crosses one)."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, max(end - 1, start)) - 1
        return range(first, last + 1)

    def _scan(self, rx: re.Pattern, out: set[int]) -> None:
        text, starts, n = self.lower, self.starts, self.n
        pos = 0
        while True:
            m = rx.search(text, pos)
            if m is None:
                return
            blocks = self._block_range(m.start(), m.end())
            out.update(blocks)
            if blocks.stop >= n:
                return
            pos = starts[blocks.stop]

    def _substring_blocks(self, ids: frozenset[int]) -> dict[int, set[int]]:
        if self._subs is None or (ids and max(ids) >= self._known):
            # (again if a trigger made since has substrings the last pass did not look for)
            found: dict[int, set[int]] = {}
            self._known = len(SUBSTRINGS.ids)
            if SUBSTRINGS.ids:
                for end, (sid, length) in SUBSTRINGS.automaton().iter(self.lower):
                    found.setdefault(sid, set()).update(self._block_range(end + 1 - length, end + 1))
            self._subs = found
        return self._subs

    def blocks(self, g: AnyOf) -> frozenset[int]:
        """Indices of the blocks ``g`` holds for."""
        got = self._memo.get(id(g))
        if got is not None:
            return got
        out: set[int] = set()
        if g.words:
            index = self.index
            for w in g.words & self.keys:  # a set operation, over the smaller of the two
                out.update(index[w])
        if len(out) < self.n and g.substrings:
            if SUBSTRINGS.available:
                subs = self._substring_blocks(g._sub_ids)
                for sid in g._sub_ids:
                    hit = subs.get(sid)
                    if hit:
                        out.update(hit)
            else:
                self._scan(g._subs, out)
        if len(out) < self.n and g.chars is not None:
            self._scan(g.chars, out)
        got = self._memo[id(g)] = frozenset(out)
        return got

    def passing(self, t: Trigger) -> frozenset[int]:
        """Indices of the blocks trigger ``t`` holds for (each of its groups)."""
        res: frozenset[int] | None = None
        for g in t.groups:
            b = self.blocks(g)
            res = b if res is None else res & b
            if not res:
                return frozenset()
        return res if res is not None else frozenset(range(self.n))


@dataclass(frozen=True)
class AnyOf:
    """True when the text has any of these words, substrings, or a character matching ``chars``."""

    words: frozenset[str] = frozenset()
    substrings: frozenset[str] = frozenset()
    chars: re.Pattern | None = None

    def __post_init__(self) -> None:
        # One alternation searches for every substring in a single pass.
        subs = sorted(self.substrings, key=len, reverse=True)
        object.__setattr__(self, "_subs", re.compile("|".join(map(re.escape, subs))) if subs else None)
        object.__setattr__(self, "_sub_ids", SUBSTRINGS.register(subs) if subs else frozenset())

    def test(self, f: Features) -> bool:
        if self.words and not f.words.isdisjoint(self.words):
            return True
        if self._subs is not None and self._subs.search(f.lower):
            return True
        if self.chars is not None and self.chars.search(f.lower):
            return True
        return False

    def __or__(self, other: AnyOf) -> AnyOf:
        chars = self.chars
        if other.chars is not None:
            chars = other.chars if chars is None else re.compile(f"{chars.pattern}|{other.chars.pattern}")
        return AnyOf(self.words | other.words, self.substrings | other.substrings, chars)


@dataclass(frozen=True)
class Trigger:
    """All of the groups must hold (each group is an :class:`AnyOf`)."""

    groups: tuple[AnyOf, ...] = field(default_factory=tuple)

    def to_json(self) -> list:
        return [{"words": sorted(g.words), "substrings": sorted(g.substrings),
                 "chars": g.chars.pattern if g.chars is not None else None} for g in self.groups]

    @staticmethod
    def from_json(data: list) -> Trigger:
        return Trigger(tuple(AnyOf(frozenset(g["words"]), frozenset(g["substrings"]),
                                   re.compile(g["chars"]) if g["chars"] else None) for g in data))

    def test(self, f: Features) -> bool:
        return all(g.test(f) for g in self.groups)

    @staticmethod
    def any_of(*parts: AnyOf | None) -> Trigger | None:
        """One group that is the union of ``parts``; None (always) if any part is unknown."""
        if not parts or any(p is None for p in parts):
            return None
        acc = parts[0]
        for p in parts[1:]:
            acc = acc | p
        return Trigger((acc,))

    def __and__(self, other: Trigger | None) -> Trigger:
        if other is None:
            return self
        return Trigger(self.groups + other.groups)


def union(triggers: list[Trigger | None]) -> Trigger | None:
    """A trigger that holds when any of ``triggers`` holds (None when one is None).

    Only single-group triggers can be merged exactly; a multi-group trigger is widened to its
    first group, which is still conservative.
    """
    if not triggers or any(t is None for t in triggers):
        return None
    acc: AnyOf | None = None
    for t in triggers:
        g = t.groups[0] if t.groups else None
        if g is None:
            return None
        acc = g if acc is None else acc | g
    return Trigger((acc,)) if acc is not None else None


def trigger_score(words) -> tuple:
    """Higher is a better trigger: no common words, long words, few of them."""
    common = sum(1 for w in words if w.strip().lower() in COMMON)
    shortest = min(len(w) for w in words)
    return (shortest >= 3, -common, min(shortest, 6), -len(words))


# --- the pre-filter of a rule set ----------------------------------------------------------------

def make_block_filter(spec: dict, regexes: list):
    """A test of one block's :class:`Features` built from a rule's block-filter spec::

        {"words": [[[w, ...], ...], ...], "regex": bool}

    It holds when, for some entry of "words", the block has a word of each of its sets, or when
    "regex" is true and one of the rule's ``regexes`` (:class:`~claimlint.saferegex.SafeRegex`)
    matches in the block. A regex search over its time limit raises ``RegexTimeout``: the caller
    keeps the block."""
    reqs = [[frozenset(s) for s in req] for req in spec["words"]]
    regexes = list(regexes) if spec["regex"] else []

    def test(f: Features) -> bool:
        if reqs:
            words = f.words
            for req in reqs:  # the smallest (rarest-looking) set first: a block usually fails it
                if all(not words.isdisjoint(s) for s in req):
                    return True
        if regexes:
            lower, text = f.lower, None
            for rx in regexes:
                if not any(lit in lower for lit in rx.literals):
                    continue
                if text is None:
                    text = f.text.strip()
                if rx.search(text) is not None:
                    return True
        return False

    return test


@dataclass(frozen=True)
class RuleTriggers:
    """What one rule needs: ``fire`` must hold in a document for the rule to run at all (None:
    always), ``analysis`` picks the blocks it must see (None: every block), ``spec`` describes a
    finer test of each of those blocks (None: none)."""

    fire: Trigger | None
    analysis: Trigger | None
    spec: dict | None

    def to_json(self) -> list:
        return [self.fire.to_json() if self.fire is not None else None,
                self.analysis.to_json() if self.analysis is not None else None, self.spec]

    @staticmethod
    def from_json(data) -> RuleTriggers:
        fire, analysis, spec = data
        if spec is not None and not (isinstance(spec, dict) and isinstance(spec.get("words"), list)
                                     and isinstance(spec.get("regex"), bool)):
            raise ValueError("not a block-filter spec")
        return RuleTriggers(Trigger.from_json(fire) if fire is not None else None,
                            Trigger.from_json(analysis) if analysis is not None else None, spec)


class Prefilter:
    """The pre-filter of one set of rules: for each rule, what must be in a document for it to
    fire and which blocks it must see.

    Deriving a rule's triggers expands every word it matches into its inflections, which costs
    more than checking a short page; they depend only on the packs, so they are derived once per
    rule, on first use, and can be saved and loaded as JSON (:meth:`to_json`, :meth:`load`) next
    to the cached results. Rules are duck-typed: ``rule.meta.id``, ``rule.derive_triggers()``,
    ``rule.block_filter_spec()`` and ``rule.filter_regexes()``.
    """

    def __init__(self, rules: list):
        self.rules = {r.meta.id: r for r in rules}
        self._triggers: dict[str, RuleTriggers] = {}
        self._filters: dict[str, object] = {}

    def triggers(self, rule) -> RuleTriggers:
        got = self._triggers.get(rule.meta.id)
        if got is None:
            fire, analysis = rule.derive_triggers()
            got = self._triggers[rule.meta.id] = RuleTriggers(fire, analysis,
                                                              rule.block_filter_spec())
        return got

    def block_filter(self, rule):
        """The finer per-block test of ``rule`` (None: none): False only when the rule cannot
        match in that block."""
        rid = rule.meta.id
        if rid not in self._filters:
            spec = self.triggers(rule).spec
            self._filters[rid] = None if spec is None else make_block_filter(
                spec, rule.filter_regexes())
        return self._filters[rid]

    def plan(self, texts: list[str], active: list) -> list | None:
        """For each item of ``active`` (each with a ``rule``) that can fire on a document whose
        blocks have ``texts``, the item and the indices of the blocks it must see; None when no
        rule can fire."""
        every = list(range(len(texts)))
        feats = DocumentFeatures(texts)
        budget = budget_for(sum(len(t) for t in texts))
        out = []
        for item in active:
            t = self.triggers(item.rule)
            if t.fire is not None and not feats.passing(t.fire):
                continue
            blocks = every if t.analysis is None else sorted(feats.passing(t.analysis))
            test = self.block_filter(item.rule) if blocks else None
            if test is not None:
                try:
                    with regex_budget(budget):
                        blocks = [i for i in blocks if test(feats.features[i])]
                except RegexTimeout:
                    pass  # every block stays: the rule reports the pattern when it runs
            if blocks:
                out.append((item, blocks))
        return out or None

    def to_json(self) -> dict:
        """Every rule's triggers (derived now where they were not yet), as JSON-able data."""
        return {rid: self.triggers(rule).to_json() for rid, rule in self.rules.items()}

    def load(self, data) -> bool:
        """Take the triggers saved by :meth:`to_json`; False (and nothing taken) when ``data``
        does not cover every rule or is not well formed."""
        try:
            loaded = {rid: RuleTriggers.from_json(data[rid]) for rid in self.rules}
        except (KeyError, TypeError, ValueError, re.error):
            return False
        self._triggers.update(loaded)
        return True
