#!/usr/bin/env python3
"""Sanity-check the holdout2 gold labels (stdlib + PyYAML only).

Checks, for labels.yaml next to this file and the documents in ./docs/:
  * every labelled document exists and every document in docs/ is labelled;
  * every span / optional entry has a valid span-level category, and every `also` entry too;
  * every `document` entry is a valid document-level category, without repeats;
  * every `quote` occurs exactly once in its document (so a scorer's text.find() is unambiguous);
  * quotes have no leading/trailing whitespace, do not span lines, and sit on word boundaries
    (the characters around them are line breaks, spaces, bullets or quotation marks);
  * no sentence is labelled twice within a document;
  * each document is 500-1500 words.

    python tests/corpus/holdout2/check_labels.py      # exit 0 when everything passes
"""
from __future__ import annotations

import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.yaml")
DOCS = os.path.join(HERE, "docs")

SPAN_CATEGORIES = {
    "efficacy-statistic",
    "missing-citation",
    "cure-claim",
    "risk-minimization",
    "superiority-claim",
}
DOC_CATEGORIES = {
    "missing-risk-disclosure",
    "missing-offlabel-disclosure",
    "missing-typicality-disclosure",
}
ENTRY_KEYS = {"category", "quote", "also"}
DOC_KEYS = {"spans", "optional", "document"}
# characters allowed immediately before / after a quote
BOUNDARY = set(" \t\n\u00a0\"'“”‘’•✔*—-–(")


def main() -> int:
    errors: list[str] = []
    with open(LABELS, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("docs"), dict):
        print("labels.yaml: top level must be a mapping with a `docs` mapping")
        return 1
    gold = data["docs"]

    on_disk = sorted(f for f in os.listdir(DOCS) if f.endswith(".txt"))
    for name in on_disk:
        if name not in gold:
            errors.append(f"{name}: document in docs/ has no entry in labels.yaml")

    counts: dict[str, int] = {c: 0 for c in sorted(SPAN_CATEGORIES | DOC_CATEGORIES)}
    optional_count = 0
    clean = []

    for name, entry in gold.items():
        path = os.path.join(DOCS, name)
        if not os.path.isfile(path):
            errors.append(f"{name}: labelled document not found in docs/")
            continue
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        words = len(text.split())
        if not 500 <= words <= 1500:
            errors.append(f"{name}: {words} words, expected 500-1500")
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            errors.append(f"{name}: entry must be a mapping")
            continue
        extra = set(entry) - DOC_KEYS
        if extra:
            errors.append(f"{name}: unknown keys {sorted(extra)}")

        seen_quotes: set[str] = set()
        for section in ("spans", "optional"):
            items = entry.get(section) or []
            if not isinstance(items, list):
                errors.append(f"{name}: `{section}` must be a list")
                continue
            for i, item in enumerate(items):
                where = f"{name}: {section}[{i}]"
                if not isinstance(item, dict):
                    errors.append(f"{where}: must be a mapping")
                    continue
                bad = set(item) - ENTRY_KEYS
                if bad:
                    errors.append(f"{where}: unknown keys {sorted(bad)}")
                cat = item.get("category")
                if cat not in SPAN_CATEGORIES:
                    errors.append(f"{where}: invalid span category {cat!r}")
                also = item.get("also", [])
                if not isinstance(also, list):
                    errors.append(f"{where}: `also` must be a list")
                    also = []
                for a in also:
                    if a not in SPAN_CATEGORIES:
                        errors.append(f"{where}: invalid `also` category {a!r}")
                    if a == cat:
                        errors.append(f"{where}: `also` repeats the main category {a!r}")
                quote = item.get("quote")
                if not isinstance(quote, str) or not quote:
                    errors.append(f"{where}: missing or empty quote")
                    continue
                short = quote[:70]
                if quote != quote.strip():
                    errors.append(f"{where}: quote has leading/trailing whitespace: {short!r}")
                if "\n" in quote:
                    errors.append(f"{where}: quote spans more than one line: {short!r}")
                n = text.count(quote)
                if n != 1:
                    errors.append(f"{where}: quote occurs {n} times (expected exactly 1): {short!r}")
                    continue
                start = text.find(quote)
                end = start + len(quote)
                before = text[start - 1] if start > 0 else "\n"
                after = text[end] if end < len(text) else "\n"
                if before not in BOUNDARY or (after not in BOUNDARY and after not in ".,;:!?"):
                    errors.append(f"{where}: quote does not sit on a sentence/word boundary: {short!r}")
                if quote in seen_quotes:
                    errors.append(f"{where}: sentence labelled twice: {short!r}")
                seen_quotes.add(quote)
                if section == "spans":
                    counts[cat] = counts.get(cat, 0) + 1
                else:
                    optional_count += 1

        # overlapping quotes within one document would make matching ambiguous
        spans = sorted((text.find(q), text.find(q) + len(q), q) for q in seen_quotes if text.count(q) == 1)
        for (s1, e1, q1), (s2, e2, q2) in zip(spans, spans[1:]):
            if s2 < e1:
                errors.append(f"{name}: overlapping quotes {q1[:40]!r} and {q2[:40]!r}")

        doc = entry.get("document") or []
        if not isinstance(doc, list):
            errors.append(f"{name}: `document` must be a list")
            doc = []
        for d in doc:
            if d not in DOC_CATEGORIES:
                errors.append(f"{name}: invalid document category {d!r}")
            else:
                counts[d] += 1
        if len(set(doc)) != len(doc):
            errors.append(f"{name}: repeated document category")
        if not (entry.get("spans") or entry.get("optional") or doc):
            clean.append(name)

    for e in errors:
        print("ERROR:", e)
    print(f"{len(gold)} documents, {sum(counts[c] for c in SPAN_CATEGORIES)} span labels, "
          f"{optional_count} optional, {sum(counts[c] for c in DOC_CATEGORIES)} document-level labels")
    for c in sorted(SPAN_CATEGORIES) + sorted(DOC_CATEGORIES):
        print(f"  {c:32} {counts[c]}")
    print("clean documents:", ", ".join(clean) if clean else "none")
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
