#!/usr/bin/env python3
"""Check the hand-labelled corpus: tests/corpus/labels.yaml against tests/corpus/docs/.

Verifies that every labelled quote (and every near-miss in near_misses.yaml) occurs exactly once in
its document and starts and ends on a word boundary, that every category is one of the eight in
shared/spec/taxonomy.md, that span categories and document categories are not mixed up, that every
document has labels, that near-misses overlap no labelled sentence, and that "clean" documents carry
no label at all. Prints a summary (documents per format, labels per category, near-misses).

    python tests/corpus/check_labels.py          # exit 0 when everything checks out, 1 otherwise
"""
from __future__ import annotations

import os
import re
import sys
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
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
ENTRY_KEYS = {"spans", "optional", "document"}
MIN_WORDS, MAX_WORDS = 150, 700


def words(name: str, text: str) -> int:
    """Rough prose word count: tags, entities and Markdown table rules removed."""
    if name.endswith(".html"):
        text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"&[#\w]+;", " ", text)
    if name.endswith(".md"):
        text = re.sub(r"^---\n.*?\n---\n", " ", text, flags=re.S)
        text = re.sub(r"```.*?```", " ", text, flags=re.S)
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return len(re.findall(r"[A-Za-z0-9][\w'’.,%$-]*", text))


def locate(text: str, quote: str) -> tuple[int, list[int]]:
    starts, i = [], text.find(quote)
    while i >= 0:
        starts.append(i)
        i = text.find(quote, i + 1)
    return len(starts), starts


def main() -> int:
    errors: list[str] = []
    warnings: list[str] = []
    with open(os.path.join(HERE, "labels.yaml"), encoding="utf-8") as fh:
        gold = yaml.safe_load(fh)["docs"]
    near_path = os.path.join(HERE, "near_misses.yaml")
    near = {}
    if os.path.exists(near_path):
        with open(near_path, encoding="utf-8") as fh:
            near = (yaml.safe_load(fh) or {}).get("docs") or {}

    files = sorted(f for f in os.listdir(DOCS) if not f.startswith("."))
    for f in files:
        if f not in gold:
            errors.append(f"{f}: document has no entry in labels.yaml")
    for name in near:
        if name not in gold:
            errors.append(f"near_misses.yaml: {name} is not in labels.yaml")

    span_counts: Counter = Counter()
    optional_counts: Counter = Counter()
    doc_counts: Counter = Counter()
    formats: Counter = Counter()
    clean, n_near = [], 0

    for name, entry in gold.items():
        path = os.path.join(DOCS, name)
        if not os.path.exists(path):
            errors.append(f"{name}: file not found in docs/")
            continue
        formats[os.path.splitext(name)[1]] += 1
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        entry = entry or {}
        for key in set(entry) - ENTRY_KEYS:
            errors.append(f"{name}: unknown key {key!r}")

        n = words(name, text)
        if not MIN_WORDS <= n <= MAX_WORDS:
            warnings.append(f"{name}: about {n} words (expected {MIN_WORDS}-{MAX_WORDS})")

        labelled: list[tuple[int, int]] = []
        seen: set[tuple[str, str]] = set()
        for key in ("spans", "optional"):
            for s in entry.get(key) or []:
                cat, quote = s.get("category"), s.get("quote")
                where = f"{name}: {key}: {str(quote)[:70]!r}"
                if cat not in SPAN_CATEGORIES:
                    errors.append(f"{where}: {cat!r} is not a span category")
                for extra in s.get("also") or []:
                    if extra not in SPAN_CATEGORIES or extra == cat:
                        errors.append(f"{where}: bad `also` category {extra!r}")
                for k in set(s) - {"category", "quote", "also"}:
                    errors.append(f"{where}: unknown key {k!r}")
                if not isinstance(quote, str) or not quote.strip():
                    errors.append(f"{where}: missing quote")
                    continue
                if quote != quote.strip():
                    errors.append(f"{where}: quote has leading or trailing whitespace")
                if (cat, quote) in seen:
                    errors.append(f"{where}: duplicate entry for category {cat}")
                seen.add((cat, quote))
                count, starts = locate(text, quote)
                if count != 1:
                    errors.append(f"{where}: quote found {count} times (must be exactly once)")
                    continue
                a, b = starts[0], starts[0] + len(quote)
                if (a > 0 and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
                    errors.append(f"{where}: quote starts or ends inside a word")
                labelled.append((a, b))
                (span_counts if key == "spans" else optional_counts)[cat] += 1

        docs_cats = entry.get("document")
        if not isinstance(docs_cats, list):
            errors.append(f"{name}: `document` must be a list (use [] for none)")
            docs_cats = []
        for cat in docs_cats:
            if cat not in DOC_CATEGORIES:
                errors.append(f"{name}: {cat!r} is not a document category")
        if len(set(docs_cats)) != len(docs_cats):
            errors.append(f"{name}: duplicate document category")
        doc_counts.update(docs_cats)

        if "clean" in name:
            if entry.get("spans") or entry.get("optional") or docs_cats:
                errors.append(f"{name}: a clean document must have no spans, optional or document labels")
            clean.append(name)

        for nm in near.get(name) or []:
            quote = nm.get("quote") if isinstance(nm, dict) else None
            where = f"near_misses.yaml: {name}: {str(quote)[:70]!r}"
            if not isinstance(quote, str):
                errors.append(f"{where}: missing quote")
                continue
            count, starts = locate(text, quote)
            if count != 1:
                errors.append(f"{where}: found {count} times (must be exactly once)")
                continue
            a, b = starts[0], starts[0] + len(quote)
            if any(a < e and s < b for s, e in labelled):
                errors.append(f"{where}: overlaps a labelled sentence")
            n_near += 1

    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)

    positives = sum(span_counts.values())
    print(f"\n{len(gold)} documents: " + ", ".join(f"{n} {ext}" for ext, n in sorted(formats.items())))
    print(f"{len(clean)} clean documents (no label of any kind)")
    print(f"{positives} labelled spans, {sum(optional_counts.values())} optional, {n_near} listed near-misses")
    for cat in sorted(SPAN_CATEGORIES):
        print(f"  {cat:32} {span_counts[cat]:4} spans  {optional_counts[cat]:3} optional")
    for cat in sorted(DOC_CATEGORIES):
        print(f"  {cat:32} {doc_counts[cat]:4} documents")
    if errors:
        print(f"\nFAILED: {len(errors)} error(s)")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
