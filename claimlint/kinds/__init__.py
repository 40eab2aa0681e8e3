"""Rule kinds: one module each; ``KINDS`` maps a pack's ``kind:`` to its class."""
from __future__ import annotations

from .base import AnalyzedDocument, Hit, Rule, RuleMeta
from .indications import IndicationsRule
from .pattern import PatternRule
from .phrase import PhraseRule
from .regex import RegexRule
from .requires import RequiresRule
from .statistic import StatisticRule

KINDS: dict[str, type[Rule]] = {
    cls.kind: cls for cls in (PhraseRule, PatternRule, RegexRule, StatisticRule, RequiresRule,
                              IndicationsRule)
}


def register(cls: type[Rule]) -> type[Rule]:
    """Register a new kind (a class with ``kind``, ``OPTIONS`` and ``check``)."""
    KINDS[cls.kind] = cls
    return cls


__all__ = ["KINDS", "register", "Rule", "RuleMeta", "Hit", "AnalyzedDocument"]
