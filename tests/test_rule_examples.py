"""Every shipped rule's examples, each its own test case: a failure names the rule and the example
(``claimlint test`` runs the same checks for any pack)."""
from __future__ import annotations

import functools

import pytest

from claimlint.packs import builtin_names, load_pack
from claimlint.ruletest import ExampleChecker


@functools.lru_cache(maxsize=None)
def checker(ref: str) -> ExampleChecker:
    return ExampleChecker(ref)


def _cases():
    for ref in builtin_names():
        for rule in load_pack(ref).rules:
            for label in ("bad", "good"):
                for i, example in enumerate(rule.meta.examples.get(label, []), 1):
                    yield pytest.param(ref, rule.meta.id, label, example,
                                       id=f"{rule.meta.id}:{label}-{i}")


@pytest.mark.parametrize("ref,rule_id,label,example", list(_cases()))
def test_rule_example(ref, rule_id, label, example):
    c = checker(ref)
    rule = next(r for r in c.pack.rules if r.meta.id == rule_id)
    ok, why = c.check(rule, label, example)
    assert ok, f"{rule_id}: {label} example {example.strip()!r}: {why}"
