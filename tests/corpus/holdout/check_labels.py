#!/usr/bin/env python3
"""Sanity-check the held-out gold labels (labels.yaml) against the documents in docs/.

Checks, for every document entry:
  * the file exists, and every docs/*.txt file has an entry;
  * only the keys `spans`, `optional`, `document` are used;
  * every span / optional entry has a valid span-level `category` (and valid `also` categories),
    and a `quote` that occurs exactly once in the document (case-sensitive, as score.py matches);
  * the quote is a whole sentence / line (starts after a line break, sentence punctuation, an opening
    quotation mark or a bullet; ends at a line break or on sentence punctuation);
  * `document` only lists document-level categories, without duplicates;
  * no sentence is listed twice with the same category;
  * each document is 400-1200 words.

    python tests/corpus/holdout/check_labels.py            # exit 1 on any error
    python tests/corpus/holdout/check_labels.py --summary  # also print label counts
Needs only the standard library and PyYAML.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
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
ITEM_KEYS = {"category", "quote", "also"}
# A quoted sentence must start at the start of a line or after sentence-ending punctuation, an opening
# quotation mark or a bullet, and end at the end of a line or with sentence-ending punctuation.
BEFORE_OK = set(".!?:;“\"‘(•*–—·”’")
END_PUNCT = set(".!?:;”\"’)*")
MIN_WORDS, MAX_WORDS = 400, 1200


def check(labels_path: str, docs_dir: str) -> tuple[list[str], dict]:
    errors: list[str] = []
    with open(labels_path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("docs"), dict):
        return [f"{labels_path}: top level must be a mapping with a `docs` mapping"], {}
    docs = data["docs"]

    on_disk = {n for n in os.listdir(docs_dir) if n.endswith(".txt")}
    for name in sorted(on_disk - set(docs)):
        errors.append(f"{name}: document has no entry in labels.yaml")

    counts: Counter = Counter()
    doc_counts: Counter = Counter()
    clean: list[str] = []
    for name, entry in docs.items():
        path = os.path.join(docs_dir, name)
        if not os.path.isfile(path):
            errors.append(f"{name}: listed in labels.yaml but {path} does not exist")
            continue
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        words = len(text.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            errors.append(f"{name}: {words} words, expected {MIN_WORDS}-{MAX_WORDS}")
        entry = entry or {}
        if not isinstance(entry, dict):
            errors.append(f"{name}: entry must be a mapping")
            continue
        for key in set(entry) - ENTRY_KEYS:
            errors.append(f"{name}: unknown key {key!r}")

        seen: set[tuple[str, str]] = set()
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
                for key in set(item) - ITEM_KEYS:
                    errors.append(f"{where}: unknown key {key!r}")
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
                if not isinstance(quote, str) or not quote.strip():
                    errors.append(f"{where}: missing or empty quote")
                    continue
                if quote != quote.strip():
                    errors.append(f"{where}: quote has leading/trailing whitespace")
                n = text.count(quote)
                if n != 1:
                    errors.append(f"{where}: quote occurs {n} times (need exactly 1): {quote[:70]!r}")
                    continue
                start = text.index(quote)
                end = start + len(quote)
                before = text[:start].rstrip(" \t\u00a0")
                if before and not before.endswith("\n") and before[-1] not in BEFORE_OK:
                    errors.append(f"{where}: quote does not start a sentence (after {before[-15:]!r}): {quote[:60]!r}")
                after = text[end:end + 1]
                if after not in ("", "\n") and quote[-1] not in END_PUNCT:
                    errors.append(f"{where}: quote does not end a sentence (before {text[end:end + 15]!r}): {quote[-60:]!r}")
                key = (quote, cat)
                if key in seen:
                    errors.append(f"{where}: same quote and category listed twice")
                seen.add(key)
                if section == "spans":
                    counts[cat] += 1
                else:
                    counts[f"optional:{cat}"] += 1

        document = entry.get("document") or []
        if not isinstance(document, list):
            errors.append(f"{name}: `document` must be a list")
            document = []
        for cat in document:
            if cat not in DOC_CATEGORIES:
                errors.append(f"{name}: invalid document category {cat!r}")
        if len(set(document)) != len(document):
            errors.append(f"{name}: duplicate document categories")
        for cat in set(document):
            doc_counts[cat] += 1
        if not (entry.get("spans") or entry.get("optional") or document):
            clean.append(name)

    summary = {"docs": len(docs), "spans": counts, "document": doc_counts, "clean": clean}
    return errors, summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.yaml"))
    ap.add_argument("--docs", default=os.path.join(HERE, "docs"))
    ap.add_argument("--summary", action="store_true", help="print label counts per category")
    args = ap.parse_args()

    errors, summary = check(args.labels, args.docs)
    for e in errors:
        print("error:", e)
    if args.summary and summary:
        print(f"documents: {summary['docs']}")
        for cat in sorted(SPAN_CATEGORIES):
            print(f"  {cat:30} spans {summary['spans'][cat]:3}  optional {summary['spans']['optional:' + cat]:3}")
        for cat in sorted(DOC_CATEGORIES):
            print(f"  {cat:30} docs  {summary['document'][cat]:3}")
        print("clean documents:", ", ".join(summary["clean"]) or "none")
    if errors:
        print(f"{len(errors)} error(s)")
        return 1
    print("labels OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
