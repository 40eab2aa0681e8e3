"""Sorted indexes over lists of spans, so that a rule asks "is this match inside one of the
ranges?" or "does a span of that list lie in this sentence?" by bisection instead of by scanning
the whole list for every match: the cost of a document stays proportional to its size.

Every query answers exactly what the plain scan it replaces answers, for any list (sorted or not,
overlapping or not).
"""
from __future__ import annotations

import bisect
from itertools import accumulate


class SpanIndex:
    """A list of ``(start, end)`` spans, sorted by start, with the running maximum of the ends
    (from the left) and the running minimum of the ends (from the right)."""

    __slots__ = ("spans", "starts", "ends", "_max_end", "_min_end")

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]
        self._max_end: list | None = None
        self._min_end: list | None = None

    def __len__(self) -> int:
        return len(self.spans)

    @property
    def max_end(self) -> list:
        if self._max_end is None:
            self._max_end = list(accumulate(self.ends, max))
        return self._max_end

    @property
    def min_end(self) -> list:
        if self._min_end is None:
            self._min_end = list(accumulate(reversed(self.ends), min))[::-1]
        return self._min_end

    def contains(self, s: int, e: int) -> bool:
        """``any(a <= s and e <= b for a, b in spans)``: some span holds ``[s, e)``."""
        j = bisect.bisect_right(self.starts, s)
        return j > 0 and self.max_end[j - 1] >= e

    def holds_point(self, p: int) -> bool:
        """``any(a <= p < b for a, b in spans)``."""
        j = bisect.bisect_right(self.starts, p)
        return j > 0 and self.max_end[j - 1] > p

    def overlaps(self, s: int, e: int) -> bool:
        """``any(a < e and s < b for a, b in spans)``: some span overlaps ``[s, e)``."""
        j = bisect.bisect_left(self.starts, e)
        return j > 0 and self.max_end[j - 1] > s

    def any_within(self, lo: int, hi: int) -> bool:
        """``any(lo <= a and b <= hi for a, b in spans)``: some span lies inside ``[lo, hi]``."""
        j = bisect.bisect_left(self.starts, lo)
        return j < len(self.starts) and self.min_end[j] <= hi

    def iter_from(self, lo: int):
        """The spans whose start is ``lo`` or more, in order of start."""
        spans = self.spans
        for k in range(bisect.bisect_left(self.starts, lo), len(spans)):
            yield spans[k]


def in_ranges(ranges):
    """A test ``(s, e) -> bool``: is token span ``[s, e)`` inside one of ``ranges`` (None: the
    whole document, always true)."""
    if ranges is None:
        return lambda s, e: True
    if len(ranges) <= 2:
        return lambda s, e: any(a <= s and e <= b for a, b in ranges)
    return SpanIndex(ranges).contains
