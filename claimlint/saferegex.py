"""User regular expressions, run safely: every search has a time limit, and a pattern that
backtracks catastrophically is reported and stopped instead of hanging the run. Also what the
pre-filter needs to know of a pattern: the literal texts one of which every match contains."""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import regex as re_engine

from .words import COMMON

REGEX_TIMEOUT = 0.25  # seconds per search; a rule over it is reported and stopped for the file
# A rule's searches in one document share a budget too: a pattern searched sentence by sentence
# could otherwise take 0.25 s many thousand times. Seconds, plus more for a longer text.
REGEX_BUDGET = 2.0
REGEX_BUDGET_PER_100K_CHARS = 0.5

_local = threading.local()


def budget_for(chars: int) -> float:
    """The regex budget of one rule on a text of ``chars`` characters."""
    return REGEX_BUDGET + REGEX_BUDGET_PER_100K_CHARS * chars / 100_000


@contextmanager
def regex_budget(seconds: float) -> Iterator[None]:
    """Within this block, every search of every :class:`SafeRegex` (in this thread) draws on one
    budget of ``seconds``; when it is spent, a search raises :class:`RegexTimeout`."""
    outer = getattr(_local, "deadline", None)
    _local.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.deadline = outer


def _timeout() -> float:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return REGEX_TIMEOUT
    return min(REGEX_TIMEOUT, deadline - time.monotonic())


class RegexTimeout(Exception):
    def __init__(self, pattern: str):
        super().__init__(pattern)
        self.pattern = pattern


class SafeRegex:
    """A user regular expression whose every search has a time limit.

    Compiling with the ``regex`` engine is slow (it parses in Python), so the pattern is checked
    with ``re`` when the pack loads and compiled by ``regex`` on first use; a pattern only ``regex``
    understands (``\\p{L}``, possessive groups ...) is compiled by ``regex`` straight away.
    """

    __slots__ = ("pattern", "flags", "anchored", "_literals", "_compiled", "_where", "_line")

    def __init__(self, pattern: str, ignore_case: bool, where: Where, line: int):
        import re

        self.pattern = pattern
        self.flags = re_engine.IGNORECASE if ignore_case else 0
        self.anchored = any(a in pattern for a in ("^", "$", "\\A", "\\Z", "\\z"))
        self._literals: frozenset[str] | None | bool = False  # not derived yet
        self._compiled = None
        self._where, self._line = where, line
        try:
            re.compile(pattern)
        except re.error:
            self._compile()  # not Python syntax: regex decides, and reports the error
        except (OverflowError, RecursionError, MemoryError) as exc:
            raise where.error(f"invalid regex {pattern!r}: {type(exc).__name__}", line) from None

    def _compile(self):
        try:
            self._compiled = re_engine.compile(self.pattern, self.flags)
        except re_engine.error as exc:
            raise self._where.error(f"invalid regex {self.pattern!r}: {exc}", self._line) from None
        except (OverflowError, RecursionError, MemoryError) as exc:
            raise self._where.error(f"invalid regex {self.pattern!r}: {type(exc).__name__}",
                                    self._line) from None
        return self._compiled

    @property
    def literals(self) -> frozenset[str] | None:
        """Lower-case texts one of which every match contains (None: unknown); derived on first
        use, as most runs read the packs' triggers from the cache and never need them."""
        if self._literals is False:
            self._literals = regex_literals(self.pattern)
        return self._literals

    @property
    def compiled(self):
        return self._compiled if self._compiled is not None else self._compile()

    def finditer(self, text: str):
        timeout = _timeout()
        if timeout <= 0:
            raise RegexTimeout(self.pattern)
        try:
            return list(self.compiled.finditer(text, timeout=timeout))
        except TimeoutError:
            raise RegexTimeout(self.pattern) from None

    def search(self, text: str):
        timeout = _timeout()
        if timeout <= 0:
            raise RegexTimeout(self.pattern)
        try:
            return self.compiled.search(text, timeout=timeout)
        except TimeoutError:
            raise RegexTimeout(self.pattern) from None


# --- literal extraction from regular expressions -------------------------------------------------

def regex_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case substrings of which every match of ``pattern`` contains at least one.

    None when no such set can be derived (the pattern could match without any fixed text).
    """
    if re.search(r"\{[^}]*[eisd][^}]*(?:<|>|=)|\(\?V1\)|\(\?[a-z]*[efb][a-z]*\)", pattern):
        return None  # fuzzy matching and other regex-only syntax that re would read as literals
    try:
        try:
            from re import _parser as sre_parse  # type: ignore[attr-defined]
        except ImportError:  # Python < 3.11
            import sre_parse  # type: ignore[no-redef]
        tree = sre_parse.parse(pattern)
    except Exception:
        return None
    req = _seq_req(list(tree), sre_parse)
    if not req or any(len(s) < 2 for s in req):
        return None
    return frozenset(s.lower() for s in req)


def substring_score(subs) -> tuple:
    """Higher is a better substring trigger. A short substring occurs inside many longer words
    ("see" in "seem", "get" in "together"), so length counts for more than for a word."""
    common = sum(1 for w in subs if w.strip().lower() in COMMON)
    shortest = min(len(w.strip()) for w in subs)
    return (shortest >= 4, -common, min(shortest, 8), -len(subs))


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    cands = [c for c in cands if c]
    if not cands:
        return None
    return max(cands, key=substring_score)


def _seq_req(items, sp) -> frozenset[str] | None:
    c = sp

    cands: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            cands.append(frozenset({run}))
            run = ""
        if op is c.SUBPATTERN:
            sub = av[-1]
            r = _seq_req(list(sub), sp)
            if r:
                cands.append(r)
        elif op is c.BRANCH:
            alts = [_seq_req(list(alt), sp) for alt in av[1]]
            if alts and all(alts):
                merged = frozenset().union(*alts)
                cands.append(merged)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            lo, _hi, sub = av
            if lo >= 1:
                r = _seq_req(list(sub), sp)
                if r:
                    cands.append(r)
        elif op is getattr(c, "ATOMIC_GROUP", None):
            r = _seq_req(list(av), sp)
            if r:
                cands.append(r)
    if run:
        cands.append(frozenset({run}))
    return _best(cands)
