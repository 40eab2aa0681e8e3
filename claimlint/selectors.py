"""Rule selectors, as ``--select``, ``--ignore``, ``severity:``, ``overrides:`` and inline
suppressions write them: a rule id (``claims/cure-claim``), a pack name (``claims``), a glob
(``claims/*``) or ``category:NAME``."""
from __future__ import annotations

import fnmatch

CATEGORY_PREFIX = "category:"


def is_glob(selector: str) -> bool:
    return any(c in selector for c in "*?[")


def id_matches(selector: str, rule_id: str) -> bool:
    """Does ``selector`` (an id, a pack name or a glob) name ``rule_id``?"""
    if selector == rule_id:
        return True
    if "/" not in selector and not is_glob(selector):
        return rule_id.split("/", 1)[0] == selector
    return fnmatch.fnmatchcase(rule_id, selector)


def matches(selector: str, rule_id: str, category: str) -> bool:
    """Does ``selector`` name the rule ``rule_id`` of ``category``?"""
    if selector.startswith(CATEGORY_PREFIX):
        return category == selector[len(CATEGORY_PREFIX):]
    return id_matches(selector, rule_id)


def any_matches(selectors, rule_id: str, category: str) -> bool:
    return any(matches(s, rule_id, category) for s in selectors)
