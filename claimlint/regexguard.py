"""Decide, without compiling it, whether a pack's regular expression would be too costly to compile.

The ``regex`` engine unrolls counted repeats nested in counted repeats: ``(?:(?:tea){1000}){1000}``
compiles in 0.9 s and 275 MB, and ``(?:(?:(?:tea){1000}){1000}){1000}`` ran for minutes and
took 4 GB before it was stopped. Python's ``re`` compiles both instantly, so checking a pattern with
``re`` when a pack loads does not catch it.

:func:`expansion` estimates the size a pattern unrolls to: every element (a literal, a class, an
anchor) counts 1, multiplied by the counts of the repeats around it -- a repeat counts its upper
bound, or its lower bound when it has none (``*``, ``+`` and ``{n,}`` are loops, not copies).
:func:`too_costly` turns that into a reason to refuse the pattern. The estimate comes from the
pattern's structure as ``re`` parses it; a pattern only ``regex`` understands (``\\p{L}``, fuzzy
matching, named lists ...) is estimated by a small scanner of its own that reads groups,
alternatives and ``{m,n}`` counts the same way, and errs towards a larger estimate.

    >>> too_costly("(?:(?:(?:tea){1000}){1000}){1000}")
    'it unrolls to more than 100,000 elements (nested repeat counts multiply): simplify it'
    >>> too_costly(r"\\b(\\d{1,3}(?:\\.\\d+)?)\\s?%") is None
    True
"""
from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import re._constants as _c
    import re._parser as _parser
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

MAX_EXPANSION = 100_000   # elements a pattern may unroll to (about 0.1 s to compile with regex)
MAX_PATTERN_LENGTH = 20_000  # characters in one pattern

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_c.POSSESSIVE_REPEAT)
_MAXREPEAT = _c.MAXREPEAT


class _Over(Exception):
    pass


def _count(lo: int, hi: int) -> int:
    return hi if hi != _MAXREPEAT else max(lo, 1)


def _walk(items, cap: int) -> int:
    """The unrolled size of parsed ``items``; raises :class:`_Over` past ``cap``."""
    total = 0
    for op, av in items:
        if op in _REPEATS:
            lo, hi, sub = av
            size = _count(lo, hi) * _walk(sub, cap)
        elif op is _c.SUBPATTERN:
            size = _walk(av[-1], cap)
        elif op is _c.BRANCH:
            size = sum(_walk(alt, cap) for alt in av[1])
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            size = _walk(av[1], cap)
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            size = _walk(av, cap)
        elif op is _c.GROUPREF_EXISTS:
            _group, yes, no = av
            size = _walk(yes, cap) + (_walk(no, cap) if no is not None else 0)
        else:
            size = 1
        total += size
        if total > cap:
            raise _Over()
    return total


def _scan(pattern: str, cap: int) -> int:
    """A structural estimate for syntax ``re`` does not parse: groups, ``|`` and quantifiers."""
    frames: list[list[int]] = [[0, 0]]  # [total of closed alternatives, current alternative]
    i, n = 0, len(pattern)
    last = 0  # size of the element just read, for a quantifier that follows it

    def add(size: int) -> None:
        frames[-1][1] += size
        if frames[-1][0] + frames[-1][1] > cap:
            raise _Over()

    while i < n:
        ch = pattern[i]
        if ch == "\\":
            j = i + 2
            if j <= n and pattern[i + 1:i + 2] in ("p", "P", "N", "g", "L") and j < n \
                    and pattern[j] in "{<":
                close = pattern.find("}" if pattern[j] == "{" else ">", j)
                j = n if close < 0 else close + 1
            last = 1
            add(1)
            i = j
            continue
        if ch == "[":
            j, depth = i + 1, 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and depth:
                if pattern[j] == "\\":
                    j += 2
                    continue
                if pattern[j] == "[":
                    depth += 1
                elif pattern[j] == "]":
                    depth -= 1
                j += 1
            last = 1
            add(1)
            i = j
            continue
        if ch == "(":
            frames.append([0, 0])
            i += 1
            if i < n and pattern[i] == "?":  # (?:  (?P<name>  (?=  (?flags) ...: read as a group
                while i < n and pattern[i] not in ":)=!>" and not (pattern[i] == "<" and
                                                                     pattern[i + 1:i + 2] in "=!"):
                    i += 1
                if i < n and pattern[i] != ")":
                    i += 1
            continue
        if ch == ")":
            if len(frames) > 1:
                closed = frames.pop()
                last = closed[0] + closed[1]
                add(last)
            i += 1
            continue
        if ch == "|":
            frames[-1][0] += frames[-1][1]
            frames[-1][1] = 0
            last = 0
            i += 1
            continue
        if ch == "{":
            close = pattern.find("}", i)
            body = pattern[i + 1:close] if close > 0 else ""
            lo_s, _, hi_s = body.partition(",")
            if close > 0 and (lo_s.strip().isdigit() or (not lo_s.strip() and hi_s.strip().isdigit())) \
                    and (not hi_s.strip() or hi_s.strip().isdigit()):
                lo = int(lo_s) if lo_s.strip() else 0
                hi = int(hi_s) if "," in body and hi_s.strip() else (lo if "," not in body else None)
                count = hi if hi is not None else max(lo, 1)
                add(last * (count - 1))  # the element was already counted once
                last *= count
                i = close + 1
                continue
            last = 1
            add(1)
            i += 1
            continue
        if ch in "*+?":
            i += 1
            continue
        last = 1
        add(1)
        i += 1
    return sum(frames[0])


def expansion(pattern: str, flags: int = 0, cap: int = MAX_EXPANSION) -> int:
    """How many elements ``pattern`` unrolls to (at most ``cap`` + 1: counting stops there)."""
    try:
        parsed = _parser.parse(pattern, flags & ~_c.SRE_FLAG_DEBUG if hasattr(_c, "SRE_FLAG_DEBUG")
                               else flags)
    except (_c.error, OverflowError, ValueError, TypeError, RecursionError):
        parsed = None
    try:
        if parsed is not None:
            return _walk(parsed, cap)
        return _scan(pattern, cap)
    except _Over:
        return cap + 1
    except RecursionError:
        return cap + 1


def too_costly(pattern: str, flags: int = 0, limit: int = MAX_EXPANSION) -> str | None:
    """Why compiling ``pattern`` would cost too much time or memory, or None when it is fine."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return (f"it is {len(pattern):,} characters long (more than {MAX_PATTERN_LENGTH:,}): split "
                "it into several patterns")
    try:
        size = expansion(pattern, flags, limit)
    except RecursionError:
        return "it is nested too deeply"
    if size > limit:
        return (f"it unrolls to more than {limit:,} elements (nested repeat counts multiply): "
                "simplify it")
    return None
