#!/usr/bin/env python3
"""Check a hand-labelled corpus: FOLDER/labels.yaml against the documents in FOLDER/docs/.

    python tests/corpus/check_labels.py                                 # the project corpus (this folder)
    python tests/corpus/check_labels.py tests/corpus/holdout2 --summary  # another corpus, with label counts

Exit status 0 when everything checks out, 1 on any error. Needs only the standard library and PyYAML.

Every corpus gets these checks:
  * labels.yaml is a mapping with a `docs` mapping; every file in docs/ has an entry, every entry a file;
  * an entry uses only the keys `spans`, `optional` and `document`;
  * every `spans` / `optional` item is a mapping with only `category`, `quote` and `also`; its category
    and its `also` categories are span-level categories of shared/spec/taxonomy.md, and `also` does
    not repeat the category;
  * every quote is non-empty, has no leading or trailing whitespace, occurs exactly once in its
    document (case-sensitive, as the scorer matches) and starts and ends on a word boundary;
  * no quote is listed twice with the same category;
  * `document` is a list (use [] for none) of document-level categories, without repeats;
  * a document whose name contains "clean" carries no label of any kind;
  * when FOLDER/near_misses.yaml exists: every near-miss belongs to a labelled document, occurs exactly
    once in it and overlaps no labelled or optional quote.

Further checks are switched on per corpus in FOLDER/corpus.yaml (all off when a key is absent):
  words: [MIN, MAX]             every document has MIN to MAX words (whitespace-separated, after
                                removing HTML tags and entities and Markdown front matter, code
                                blocks and comments); outside that range is an error...
  words-warn-only: true         ...or, with this, only a warning.
  whole-sentences: true         every quote is a whole sentence or line: it starts at the start of a
                                line or after sentence punctuation, an opening quotation mark or a
                                bullet, and ends at the end of a line or on sentence punctuation.
  standalone-quotes: true       every quote is on one line, and the character before it is a line
                                break, space, bullet, quotation mark, dash or "(", the character after
                                it one of those or , . ; : ! ?
  one-label-per-sentence: true  a quote is listed only once per document, whatever the category (use
                                `also` for a second category), and no two quotes overlap.
"""
from __future__ import annotations

import argparse
import os
import re
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
SWITCHES = {"words-warn-only", "whole-sentences", "standalone-quotes", "one-label-per-sentence"}
# whole-sentences: what may stand before a quote (besides a line break) and what it may end on.
SENTENCE_BEFORE = set(".!?:;“\"‘(•*–—·”’")
SENTENCE_END = set(".!?:;”\"’)*")
# standalone-quotes: what may stand right before and right after a quote.
STANDALONE_AROUND = set(" \t\n\u00a0\"'“”‘’•✔*—-–(")
STANDALONE_AFTER = STANDALONE_AROUND | set(".,;:!?")


def load_yaml(path: str):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_settings(folder: str) -> tuple[dict, list[str]]:
    """FOLDER/corpus.yaml as a dict ({} when there is none) and the errors found in it."""
    path = os.path.join(folder, "corpus.yaml")
    if not os.path.exists(path):
        return {}, []
    settings = load_yaml(path) or {}
    if not isinstance(settings, dict):
        return {}, ["corpus.yaml: must be a mapping"]
    errors = [f"corpus.yaml: unknown setting {key!r}" for key in sorted(set(settings) - SWITCHES - {"words"})]
    words = settings.get("words")
    if words is not None and not (
        isinstance(words, list) and len(words) == 2 and all(isinstance(n, int) for n in words)
    ):
        errors.append("corpus.yaml: `words` must be [MIN, MAX]")
    for key in SWITCHES & set(settings):
        if not isinstance(settings[key], bool):
            errors.append(f"corpus.yaml: `{key}` must be true or false")
    return settings, errors


def count_words(name: str, text: str) -> int:
    """Whitespace-separated words, after removing HTML and Markdown markup that is not prose."""
    if name.endswith(".html"):
        text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"&[#\w]+;", " ", text)
    if name.endswith(".md"):
        text = re.sub(r"^---\n.*?\n---\n", " ", text, flags=re.S)
        text = re.sub(r"```.*?```", " ", text, flags=re.S)
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return len(text.split())


def locate(text: str, quote: str) -> list[int]:
    """Every start of `quote` in `text`, overlapping occurrences included."""
    starts, i = [], text.find(quote)
    while i >= 0:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def placement_errors(text: str, start: int, end: int, settings: dict) -> list[str]:
    """What is wrong with where the quote text[start:end] starts and ends."""
    quote, errors = text[start:end], []
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        errors.append("quote starts or ends inside a word")
    if settings.get("whole-sentences"):
        before = text[:start].rstrip(" \t\u00a0")
        if before and not before.endswith("\n") and before[-1] not in SENTENCE_BEFORE:
            errors.append(f"quote does not start a sentence (after {before[-15:]!r})")
        if text[end:end + 1] not in ("", "\n") and quote[-1] not in SENTENCE_END:
            errors.append(f"quote does not end a sentence (before {text[end:end + 15]!r})")
    if settings.get("standalone-quotes"):
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        if before not in STANDALONE_AROUND or after not in STANDALONE_AFTER:
            errors.append(f"quote does not stand alone (between {before!r} and {after!r})")
    return errors


def check_entry(name: str, entry, text: str, settings: dict, stats: dict) -> tuple[list[str], list[tuple[int, int]]]:
    """Errors in one document's labels, and the (start, end) of every quote located in the document."""
    errors: list[str] = []
    entry = entry or {}
    if not isinstance(entry, dict):
        return [f"{name}: entry must be a mapping"], []
    for key in sorted(set(entry) - ENTRY_KEYS):
        errors.append(f"{name}: unknown key {key!r}")

    located: dict[str, tuple[int, int]] = {}
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
            cat, quote = item.get("category"), item.get("quote")
            where += f" {str(quote)[:60]!r}"
            for key in sorted(set(item) - ITEM_KEYS):
                errors.append(f"{where}: unknown key {key!r}")
            if not isinstance(cat, str) or cat not in SPAN_CATEGORIES:
                errors.append(f"{where}: {cat!r} is not a span category")
                cat = repr(cat)
            also = item.get("also", [])
            if not isinstance(also, list):
                errors.append(f"{where}: `also` must be a list")
                also = []
            for extra in also:
                if extra not in SPAN_CATEGORIES or extra == cat:
                    errors.append(f"{where}: bad `also` category {extra!r}")
            if not isinstance(quote, str) or not quote.strip():
                errors.append(f"{where}: missing or empty quote")
                continue
            if quote != quote.strip():
                errors.append(f"{where}: quote has leading or trailing whitespace")
            if settings.get("standalone-quotes") and "\n" in quote:
                errors.append(f"{where}: quote spans more than one line")
            if (quote, cat) in seen:
                errors.append(f"{where}: listed twice with category {cat}")
            elif quote in located and settings.get("one-label-per-sentence"):
                errors.append(f"{where}: sentence listed twice (use `also` for a second category)")
            seen.add((quote, cat))
            starts = locate(text, quote)
            if len(starts) != 1:
                errors.append(f"{where}: quote found {len(starts)} times (must be exactly once)")
                continue
            start, end = starts[0], starts[0] + len(quote)
            errors.extend(f"{where}: {e}" for e in placement_errors(text, start, end, settings))
            located[quote] = (start, end)
            stats[section][cat] += 1

    if settings.get("one-label-per-sentence"):
        spans = sorted(located.items(), key=lambda kv: kv[1])
        for n, (q1, (_, e1)) in enumerate(spans):
            for q2, (s2, _) in spans[n + 1:]:
                if s2 < e1:
                    errors.append(f"{name}: overlapping quotes {q1[:40]!r} and {q2[:40]!r}")

    document = entry.get("document")
    if not isinstance(document, list):
        errors.append(f"{name}: `document` must be a list (use [] for none)")
        document = []
    for cat in document:
        if cat not in DOC_CATEGORIES:
            errors.append(f"{name}: {cat!r} is not a document category")
    if len(set(map(str, document))) != len(document):
        errors.append(f"{name}: duplicate document category")
    stats["document"].update(c for c in set(map(str, document)) if c in DOC_CATEGORIES)

    labelled = bool(entry.get("spans") or entry.get("optional") or document)
    if "clean" in name and labelled:
        errors.append(f"{name}: a clean document must have no spans, optional or document labels")
    if not labelled:
        stats["clean"].append(name)
    return errors, list(located.values())


def check_near_misses(name: str, near_misses, text: str, labelled: list[tuple[int, int]]) -> tuple[list[str], int]:
    """Errors in one document's near_misses.yaml entries, and how many near-misses are fine."""
    errors, ok = [], 0
    if not isinstance(near_misses, list):
        return [f"near_misses.yaml: {name}: must be a list"], 0
    for item in near_misses:
        quote = item.get("quote") if isinstance(item, dict) else None
        where = f"near_misses.yaml: {name}: {str(quote)[:70]!r}"
        if not isinstance(quote, str) or not quote:
            errors.append(f"{where}: missing quote")
            continue
        starts = locate(text, quote)
        if len(starts) != 1:
            errors.append(f"{where}: found {len(starts)} times (must be exactly once)")
            continue
        a, b = starts[0], starts[0] + len(quote)
        if any(a < e and s < b for s, e in labelled):
            errors.append(f"{where}: overlaps a labelled sentence")
        ok += 1
    return errors, ok


def check(folder: str, settings: dict) -> tuple[list[str], list[str], dict]:
    """(errors, warnings, stats) for the corpus in `folder`."""
    errors: list[str] = []
    warnings: list[str] = []
    stats: dict = {"spans": Counter(), "optional": Counter(), "document": Counter(), "formats": Counter(),
                   "clean": [], "docs": 0, "near": None}
    labels_path, docs_dir = os.path.join(folder, "labels.yaml"), os.path.join(folder, "docs")
    if not os.path.isfile(labels_path) or not os.path.isdir(docs_dir):
        return [f"{folder}: needs labels.yaml and a docs/ folder"], warnings, stats
    data = load_yaml(labels_path)
    if not isinstance(data, dict) or not isinstance(data.get("docs"), dict):
        return ["labels.yaml: top level must be a mapping with a `docs` mapping"], warnings, stats
    gold = data["docs"]
    stats["docs"] = len(gold)

    near: dict = {}
    near_path = os.path.join(folder, "near_misses.yaml")
    if os.path.exists(near_path):
        data = load_yaml(near_path) or {}
        near = (data.get("docs") or {}) if isinstance(data, dict) else None
        stats["near"] = 0
        if not isinstance(near, dict):
            errors.append("near_misses.yaml: top level must be a mapping with a `docs` mapping")
            near = {}
    for name in near:
        if name not in gold:
            errors.append(f"near_misses.yaml: {name} is not in labels.yaml")
    for name in sorted(os.listdir(docs_dir)):
        if not name.startswith(".") and name not in gold:
            errors.append(f"{name}: document in docs/ has no entry in labels.yaml")

    words = settings.get("words")
    for name, entry in gold.items():
        path = os.path.join(docs_dir, name)
        if not os.path.isfile(path):
            errors.append(f"{name}: listed in labels.yaml but not found in docs/")
            continue
        stats["formats"][os.path.splitext(name)[1]] += 1
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        if words:
            n = count_words(name, text)
            if not words[0] <= n <= words[1]:
                (warnings if settings.get("words-warn-only") else errors).append(
                    f"{name}: {n} words, expected {words[0]}-{words[1]}")
        entry_errors, labelled = check_entry(name, entry, text, settings, stats)
        errors.extend(entry_errors)
        if name in near:
            near_errors, ok = check_near_misses(name, near[name], text, labelled)
            errors.extend(near_errors)
            stats["near"] += ok
    return errors, warnings, stats


def print_summary(stats: dict) -> None:
    print("documents: " + ", ".join(f"{n} {ext}" for ext, n in sorted(stats["formats"].items())))
    for cat in sorted(SPAN_CATEGORIES):
        print(f"  {cat:32} {stats['spans'][cat]:4} spans  {stats['optional'][cat]:3} optional")
    for cat in sorted(DOC_CATEGORIES):
        print(f"  {cat:32} {stats['document'][cat]:4} documents")
    print(f"clean documents (no label of any kind): {', '.join(stats['clean']) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=HERE,
                    help="corpus folder holding labels.yaml, docs/ and optionally corpus.yaml and "
                         "near_misses.yaml (default: the folder of this script)")
    ap.add_argument("--summary", action="store_true", help="also print label counts per category")
    args = ap.parse_args(argv)

    settings, errors = load_settings(args.folder)
    warnings: list[str] = []
    stats = None
    if not errors:
        errors, warnings, stats = check(args.folder, settings)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    if stats and stats["docs"]:
        near = "" if stats["near"] is None else f", {stats['near']} near-misses"
        print(f"{os.path.relpath(args.folder)}: {stats['docs']} documents, {sum(stats['spans'].values())} labelled spans, "
              f"{sum(stats['optional'].values())} optional, {sum(stats['document'].values())} document-level "
              f"labels, {len(stats['clean'])} clean documents{near}")
        if args.summary:
            print_summary(stats)
    if errors:
        print(f"FAILED: {len(errors)} error(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
