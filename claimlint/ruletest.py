"""``claimlint test``: every rule's examples are its tests.

Each ``bad`` example must produce at least one finding of that rule, and no ``good`` example may.
Every example is checked twice -- through the pre-filter and without it -- so a rule whose trigger
words would skip a document it matches is caught here, not in production.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import sources
from .linter import ActiveRule, Linter
from .packs import load_pack
from .settings import Settings


@dataclass
class PackReport:
    ref: str
    results: list[tuple[str, str, str, bool, str]] = field(default_factory=list)
    # (rule id, "bad"/"good", example, passed, detail)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def failures(self) -> int:
        return sum(1 for r in self.results if not r[3])

    def lines(self, verbose: bool = False) -> list[str]:
        out = []
        by_rule: dict[str, list] = {}
        for r in self.results:
            by_rule.setdefault(r[0], []).append(r)
        for rid, rows in by_rule.items():
            bad_ok = sum(1 for r in rows if r[1] == "bad" and r[3])
            bad_n = sum(1 for r in rows if r[1] == "bad")
            good_ok = sum(1 for r in rows if r[1] == "good" and r[3])
            good_n = sum(1 for r in rows if r[1] == "good")
            mark = "ok  " if all(r[3] for r in rows) else "FAIL"
            out.append(f"{mark} {rid}: {bad_ok}/{bad_n} bad reported, {good_ok}/{good_n} good clean")
            for r in rows:
                if verbose or not r[3]:
                    sign = "✓" if r[3] else "✗"
                    out.append(f"       {sign} {r[1]}: {r[2].strip()[:100]!r}" + (f" — {r[4]}" if r[4] else ""))
        return out


class ExampleChecker:
    """Checks one pack's examples: through the pre-filter, and without it."""

    def __init__(self, ref: str):
        self.pack = load_pack(ref)
        self.linter = Linter(Settings(packs=[ref]))
        self.plain = Linter(Settings(packs=[ref], prefilter=False))

    def check(self, rule, label: str, example: str) -> tuple[bool, str]:
        """(passed, why not) for one ``bad`` or ``good`` example of ``rule``."""
        active = [ActiveRule(rule, rule.meta.severity)]
        doc = sources.parse(example, "example.txt")
        got = [f for f in self.linter.check_document(doc, active).findings
               if f.rule == rule.meta.id]
        got_plain = [f for f in self.plain.check_document(doc, active).findings
                     if f.rule == rule.meta.id]
        if label == "bad":
            if not got_plain:
                return False, "not reported"
            if not got:
                return False, "reported only without the pre-filter: the rule's trigger words miss it"
            return True, ""
        if got_plain or got:
            return False, "reported: " + "; ".join(f"{f.message} at column {f.column}"
                                                   for f in got_plain or got)
        return True, ""


def run_pack_tests(ref: str) -> PackReport:
    checker = ExampleChecker(ref)
    report = PackReport(ref)
    for rule in checker.pack.rules:
        for label in ("bad", "good"):
            for example in rule.meta.examples.get(label, []):
                ok, detail = checker.check(rule, label, example)
                report.results.append((rule.meta.id, label, example, ok, detail))
    return report
