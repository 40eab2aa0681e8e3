"""Patterns too costly to compile are recognised from their structure, without compiling them."""
from __future__ import annotations

import time

import pytest

from claimlint.regexguard import MAX_EXPANSION, _scan, expansion, too_costly


@pytest.mark.parametrize("pattern", [
    "(?:(?:(?:tea){1000}){1000}){1000}",
    "(?:(?:tea){1000}){1000}",
    "((tea){400}){400}",
    "(?:x|(?:y{500}){500})",
    r"(?:\p{L}{1000}){1000}",          # regex-only syntax: the scanner's estimate
    r"(?:(?:ab){1000,}){1000,}",       # lower bounds are copies too
    "(?=(?:a{1000}){1000})b",
    "(?:a{400}){400}+",                # possessive
    "(a)(?(1)(?:b{400}){400}|c)",
    "a" * 30_000,
])
def test_costly_patterns_are_refused_at_once(pattern):
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    reason = too_costly(pattern)
    assert time.process_time() - t0 < 0.5
    assert reason is not None and ("unrolls to more than" in reason or "characters long" in reason)


def test_the_issue_s_pattern_really_is_costly_and_a_bound_one_is_not():
    regex = pytest.importorskip("regex")
    fine = "(?:(?:tea){100}){100}"  # 30,000 elements
    assert too_costly(fine) is None and expansion(fine) == 30_000
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    regex.compile(fine)
    assert time.process_time() - t0 < 2


@pytest.mark.parametrize("pattern", [
    r"\b(\d{1,3}(?:\.\d+)?)\s?%", r"(?:\w+\s){0,5}cure", r"(?P<w>cure)s?", "a*b+c?", "x{2,}",
    r"\p{L}+", r"(?i)\bclinically\s+(?:proven|tested)\b", r"[a-z{}]{3}(?<=x)a{,5}",
    "(" * 50 + "a" + ")" * 50, r"(?:(?:ab){10,}){10,}", r"\d{4}-\d{2}-\d{2}",
])
def test_ordinary_patterns_pass(pattern):
    assert too_costly(pattern) is None


def test_scanner_and_parser_agree_on_python_syntax():
    for pattern in [r"(?:a|b{100}){100}", "(?:(?:tea){100}){100}", r"\b(\d{1,3}(?:\.\d+)?)\s?%",
                    "a{3}(b{2}|c)", "[(]{5}x"]:
        assert _scan(pattern, MAX_EXPANSION) == expansion(pattern)


def test_every_pattern_of_the_built_in_packs_passes(monkeypatch):
    from claimlint import packs
    from claimlint.kinds import terms

    seen: list[str] = []
    original = terms.SafeRegex.__init__

    def record(self, pattern, *args, **kwargs):
        seen.append(pattern)
        original(self, pattern, *args, **kwargs)

    monkeypatch.setattr(terms.SafeRegex, "__init__", record)
    packs._load_file.cache_clear()
    for name in packs.builtin_names():
        packs.load_pack(name)
    packs._load_file.cache_clear()
    assert len(seen) > 10
    assert [p for p in seen if too_costly(p)] == []
