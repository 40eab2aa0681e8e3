"""What a term set needs in a text to match, derived without spaCy: the words (every inflected
form, and the written words spaCy cuts a token out of) and literal substrings one of which must
occur, and the finer per-block tests. The pre-filter (:mod:`claimlint.prefilter`) runs them."""
from __future__ import annotations

from typing import Protocol

from ..nlp.lemmas import forms
from ..prefilter import AnyOf, trigger_forms, trigger_score
from ..saferegex import SafeRegex, regex_literals
from ..words import words_of
from .token_patterns import WORD_KEYS


class Terms(Protocol):
    """What the derivations read of a term set (:class:`claimlint.kinds.terms.Terms`)."""

    phrases: list[str]
    match: str
    patterns: list[list[dict]]
    regexes: list[SafeRegex]
    alternatives: list
    matcher_trigger: AnyOf | None
    trigger: AnyOf | None


def word_triggers(word: str, lemma: bool) -> set[str] | None:
    """Trigger words for a token ``word`` (every inflected form when matching lemmas), each with
    the written words spaCy cuts it out of; None if one of them is a number or a unit."""
    out: set[str] = set()
    for form in (forms(word) if lemma else (word,)):
        got = trigger_forms(form)
        if got is None:
            return None
        out |= got
    return out


def phrase_words(phrase: str, lemma: bool) -> set[str] | None:
    """Words one of which occurs wherever ``phrase`` matches: those of its best word; None if no
    word of it will do."""
    best: set[str] | None = None
    for w in words_of(phrase):
        these = word_triggers(w, lemma)
        if these and (best is None or trigger_score(these) > trigger_score(best)):
            best = these
    return best


def phrase_requirements(phrase: str, lemma: bool) -> list[set[str]] | None:
    """For each word of ``phrase`` that has trigger words, those words: a match shows one of each."""
    reqs = [t for t in (word_triggers(w, lemma) for w in words_of(phrase)) if t]
    return reqs or None


def pattern_requirements(pat: list[dict]) -> list[set[str]] | None:
    """For each token a match of ``pat`` must have, the words one of which it shows."""
    reqs = []
    for key, vals in required_values(pat):
        got: set[str] = set()
        for v in vals:
            # The best word of the value: one word ("safe") or several ("co-op", "n't").
            these = phrase_words(v, key == "LEMMA")
            if not these:
                break
            got |= these
        else:
            reqs.append(got)
    return reqs or None


def all_requirements(terms: Terms) -> list[list[set[str]]] | None:
    """Per phrase and per pattern (of the term set and its alternatives), the word sets a match
    needs every one of; None when some phrase or pattern gives no requirement."""
    out = []
    lemma = terms.match == "lemma"
    for phrase in terms.phrases:
        req = phrase_requirements(phrase, lemma)
        if req is None:
            return None
        out.append(req)
    for pat in terms.patterns:
        req = pattern_requirements(pat)
        if req is None:
            return None
        out.append(req)
    for alt in terms.alternatives:
        more = all_requirements(alt)
        if more is None:
            return None
        out.extend(more)
    return out


def all_regexes(terms: Terms) -> list[SafeRegex]:
    """The regexes of ``terms`` and of its alternatives."""
    return list(terms.regexes) + [rx for alt in terms.alternatives for rx in all_regexes(alt)]


# A block filter is described by a plain, JSON-able spec, so that it is derived once per set of
# packs and kept with the triggers (deriving word forms needs the lemma tables):
#   {"words": [[[w, ...], ...], ...], "regex": bool}
# It holds for a block when, for some entry of "words", the block has a word of each of its sets,
# or when "regex" is true and one of the rule's regexes matches in the block.

def terms_filter_spec(terms: Terms) -> dict | None:
    """The block-filter spec of ``terms``: the trigger asks for one word of a phrase or pattern,
    this asks for all of them ("most" *and* "notice" for "most patients notice"), and runs the
    regexes. None when no such test can be derived."""
    reqs = all_requirements(terms)
    regexes = all_regexes(terms)
    if reqs is None or (regexes and regex_filter_spec(regexes) is None) or not (reqs or regexes):
        return None
    return {"words": [sorted((sorted(s) for s in req), key=len) for req in reqs],
            "regex": bool(regexes)}


def regex_filter_spec(regexes: list[SafeRegex]) -> dict | None:
    """The block-filter spec of a list of regexes; None if one cannot be judged on a block alone."""
    if not regexes or any(rx.literals is None or not block_safe(rx.pattern)
                          for rx in regexes):
        return None
    return {"words": [], "regex": True}


def block_safe(pattern: str) -> bool:
    """Can ``pattern`` be judged on one block alone? Not with anchors, positive lookaround (the
    rule's own search may see beyond the block, or less of it), ``\\B``, or syntax only the regex
    module reads (reverse searching, fuzzy matching ...)."""
    try:
        from re import _constants as c, _parser as sp  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse as sp  # type: ignore[no-redef]
    if "(?r" in pattern or "(?V1" in pattern:
        return False
    try:
        tree = sp.parse(pattern)
    except Exception:
        return False
    ok_at = {c.AT_BOUNDARY}

    def walk(items) -> bool:
        for op, av in items:
            if op is c.AT and av not in ok_at:
                return False
            if op is c.ASSERT:
                return False
            if op is c.ASSERT_NOT and not walk(av[1]):
                return False
            if op is c.SUBPATTERN and not walk(av[-1]):
                return False
            if op is c.BRANCH and not all(walk(alt) for alt in av[1]):
                return False
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) \
                    and not walk(av[2]):
                return False
            if op is getattr(c, "ATOMIC_GROUP", None) and not walk(av):
                return False
            if op is c.GROUPREF_EXISTS:
                return False
        return True

    return walk(list(tree))


def required_values(pat: list[dict]):
    """(key, values) of each token a match of ``pat`` must have, for the keys that name text."""
    for tok in pat:
        op = tok.get("OP")
        if op not in (None, "+", "1") and not (isinstance(op, str) and op.startswith("{") and
                                                not op.startswith("{0") and not op.startswith("{,")):
            continue
        for key in WORD_KEYS:
            if key not in tok:
                continue
            val = tok[key]
            if isinstance(val, str):
                yield key, [val]
            elif isinstance(val, dict) and set(val) == {"IN"} and isinstance(val["IN"], list) \
                    and val["IN"] and all(isinstance(v, str) for v in val["IN"]):
                yield key, list(val["IN"])


def pattern_substrings(pat: list[dict]) -> set[str] | None:
    """Text one piece of which every match of a token pattern shows (a token's own text), for a
    pattern with no trigger words ("#" "1"); None if unknown."""
    best: set[str] | None = None
    for key, vals in required_values(pat):
        if key == "LEMMA" or not all(v.strip() for v in vals):
            continue
        got = {v.lower() for v in vals}
        if best is None or min(map(len, got)) > min(map(len, best)):
            best = got
    return best


def pattern_words(pat: list[dict]) -> set[str] | None:
    """Words one of which must occur for a token pattern to match (None if unknown): those of its
    best required token."""
    reqs = pattern_requirements(pat)
    return max(reqs, key=trigger_score) if reqs else None


def matcher_trigger(terms: Terms) -> AnyOf | None:
    """What the phrases and token patterns of ``terms`` need (None: they could match anywhere)."""
    words: set[str] = set()
    subs: set[str] = set()
    for phrase in terms.phrases:
        got = phrase_words(phrase, terms.match == "lemma")
        if got is None:
            return None
        words |= got
    for pat in terms.patterns:
        got = pattern_words(pat)
        if got is None:
            got = pattern_substrings(pat)
            if got is None:
                return None
            subs |= got
        else:
            words |= got
    return AnyOf(frozenset(words), frozenset(subs))


def terms_trigger(terms: Terms) -> AnyOf | None:
    """What a text must have for any part of ``terms`` (and its alternatives) to match."""
    own = terms.matcher_trigger
    if own is None:
        return None
    subs = set(own.substrings)
    for rx in terms.regexes:
        lits = regex_literals(rx.pattern)
        if lits is None:
            return None
        subs |= lits
    trig = AnyOf(own.words, frozenset(subs))
    for alt in terms.alternatives:
        t = alt.trigger
        if t is None:
            return None
        trig = trig | t
    return trig
