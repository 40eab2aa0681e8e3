"""The fixed vocabulary findings are reported in: the eight categories of the taxonomy (the
contract CI dashboards, baselines and the accuracy scorer rely on) and the severities.

Rule packs may declare further categories of their own (``categories:`` in a pack); the reports
show those in a neutral colour after the taxonomy's eight.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    name: str
    scope: str    # span | document
    colour: str   # the HTML report's highlight
    label: str    # a short name for narrow table columns


CATEGORIES: dict[str, Category] = {c.name: c for c in (
    Category("efficacy-statistic", "span", "#ffd54f", "Statistic"),
    Category("missing-citation", "span", "#81d4fa", "Citation"),
    Category("cure-claim", "span", "#ef9a9a", "Cure"),
    Category("risk-minimization", "span", "#80cbc4", "Risk min."),
    Category("superiority-claim", "span", "#ce93d8", "Superiority"),
    Category("missing-risk-disclosure", "document", "#f48fb1", "Risk discl."),
    Category("missing-offlabel-disclosure", "document", "#a5d6a7", "Off-label"),
    Category("missing-typicality-disclosure", "document", "#bcaaa4", "Typicality"),
)}
TAXONOMY: tuple[str, ...] = tuple(CATEGORIES)
SPAN_CATEGORIES = tuple(c.name for c in CATEGORIES.values() if c.scope == "span")
DOCUMENT_CATEGORIES = tuple(c.name for c in CATEGORIES.values() if c.scope == "document")
OTHER_COLOUR = "#e0e0e0"

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
# --fail-on: the lowest severity that makes the exit code 1 ("never": none does).
FAIL_ON: tuple[str, ...] = SEVERITIES + ("never",)
