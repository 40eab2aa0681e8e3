"""User regular expressions, run safely: every search has a time limit, and a pattern that
backtracks catastrophically is reported and stopped instead of hanging the run."""
from __future__ import annotations

import regex as re_engine

from .prefilter import regex_literals

REGEX_TIMEOUT = 0.25  # seconds per search; a rule over it is reported and stopped for the file


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
        try:
            return list(self.compiled.finditer(text, timeout=REGEX_TIMEOUT))
        except TimeoutError:
            raise RegexTimeout(self.pattern) from None

    def search(self, text: str):
        try:
            return self.compiled.search(text, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RegexTimeout(self.pattern) from None
