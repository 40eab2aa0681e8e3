"""Measure a rule set against hand-labelled documents: precision, recall and F1 per category.

The labels file has the format of the shared seed labels::

    docs:
      page.txt:
        spans:      [{category: ..., quote: "<the sentence>", also: [...]}]   # must be reported
        optional:   [{category: ..., quote: ...}]    # neither rewarded nor penalised
        document:   [missing-risk-disclosure]        # document-level findings expected

A span finding counts when its category is the label's (or one of its ``also``) and its characters
overlap the labelled sentence; a finding that overlaps no label of its category is a false positive.
Each document-level category counts once per document. ``claimlint evaluate`` prints the table.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .errors import ClaimlintError
from .taxonomy import DOCUMENT_CATEGORIES as DOC_CATEGORIES, SPAN_CATEGORIES, TAXONOMY
from .yamlutil import load_yaml



@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class Evaluation:
    per_category: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in TAXONOMY})
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        s = Score()
        for v in self.per_category.values():
            s.tp += v.tp
            s.fp += v.fp
            s.fn += v.fn
        return s

    def table(self) -> str:
        rows = [f"{'category':32} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
        for cat, s in self.per_category.items():
            rows.append(f"{cat:32} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:4} {s.fp:3} {s.fn:3}")
        o = self.overall
        rows.append(f"{'overall':32} {o.precision:6.2f} {o.recall:6.2f} {o.f1:6.2f} {o.tp:4} {o.fp:3} {o.fn:3}")
        return "\n".join(rows)

    def as_dict(self) -> dict:
        return {"per_category": {c: s.as_dict() for c, s in self.per_category.items()},
                "overall": self.overall.as_dict(), "misses": self.misses,
                "false_alarms": self.false_alarms}


def _offset(lines: list[str], line: int, column: int) -> int:
    line = max(1, min(line, len(lines)))
    return sum(len(x) + 1 for x in lines[:line - 1]) + max(column, 1) - 1


def _locate(text: str, entry: dict, doc: str, labels: str) -> tuple[int, int]:
    if "at" in entry:
        a, b = entry["at"]
        return int(a), int(b)
    quote = entry.get("quote")
    if not isinstance(quote, str):
        raise ClaimlintError(f"{labels}: {doc}: a label needs 'quote' or 'at'")
    start = text.find(quote)
    if start < 0:
        raise ClaimlintError(f"{labels}: {doc}: quote not found: {quote[:80]!r}")
    return start, start + len(quote)


def evaluate(labels_path: str, docs_dir: str | None, linter) -> Evaluation:
    """Run ``linter`` on every labelled document and score its findings."""
    with open(labels_path, encoding="utf-8") as fh:
        raw = load_yaml(fh.read(), labels_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("docs"), dict):
        raise ClaimlintError(f"{labels_path}: expected a mapping with 'docs'")
    if docs_dir is None:
        base = os.path.dirname(labels_path)
        docs_dir = os.path.join(base, "docs") if os.path.isdir(os.path.join(base, "docs")) else base
    ev = Evaluation()
    for name, entry in raw["docs"].items():
        entry = entry or {}
        path = os.path.join(docs_dir, name)
        result = linter.check_file(path)
        if result.errors:
            raise ClaimlintError("; ".join(str(e) for e in result.errors))
        with open(path, encoding="utf-8") as fh:  # universal newlines, as the labels were made
            text = fh.read()
        lines = text.split("\n")
        spans = [(_locate(text, s, name, labels_path), {s["category"], *s.get("also", [])}, s)
                 for s in entry.get("spans") or []]
        optional = [(_locate(text, s, name, labels_path), {s["category"], *s.get("also", [])})
                    for s in entry.get("optional") or []]
        want_doc = set(entry.get("document") or [])
        found = [False] * len(spans)
        seen_doc: set[str] = set()
        for f in result.findings:
            cat = f.category
            if cat in DOC_CATEGORIES:
                if cat not in seen_doc:
                    seen_doc.add(cat)
                    if cat not in want_doc:
                        ev.per_category[cat].fp += 1
                        ev.false_alarms.append(f"{name}: document-level {cat}")
                continue
            if cat not in SPAN_CATEGORIES:
                continue
            a = _offset(lines, f.line, f.column)
            b = max(_offset(lines, f.end_line, f.end_column), a + 1)
            hit = False
            for i, ((s, e), cats, _) in enumerate(spans):
                if cat in cats and a < e and s < b:
                    found[i] = hit = True
            if not hit and any(cat in cats and a < e and s < b for (s, e), cats in optional):
                hit = True
            if not hit:
                ev.per_category[cat].fp += 1
                ev.false_alarms.append(f"{name}:{f.line}:{f.column}: {cat}: {f.excerpt[:90]!r}")
        for ok, (_, _, s) in zip(found, spans):
            if ok:
                ev.per_category[s["category"]].tp += 1
            else:
                ev.per_category[s["category"]].fn += 1
                ev.misses.append(f"{name}: {s['category']}: {s.get('quote', '')[:90]!r}")
        for cat in want_doc:
            if cat in seen_doc:
                ev.per_category[cat].tp += 1
            else:
                ev.per_category[cat].fn += 1
                ev.misses.append(f"{name}: document-level {cat}")
    return ev
