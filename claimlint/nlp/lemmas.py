"""English lemmas from spaCy's lookup tables (the ``spacy-lookups-data`` package).

Loaded straight from the package's data file, without importing spaCy, so that the pre-filter can
expand a rule's words into every inflected form before deciding whether spaCy is needed at all.
"""
from __future__ import annotations

import functools
import gzip
import json

# Where the lookup table's answer is wrong for claim language: comparatives and superlatives keep
# their own form ("better" is not "well"), and a few plurals and verbs are mis-mapped.
_OVERRIDES = {
    "better": "better", "best": "best", "worse": "worse", "worst": "worst",
    "more": "more", "most": "most", "less": "less", "least": "least", "fewer": "fewer",
    "does": "do", "data": "data", "media": "media", "news": "news", "left": "left",
    "saw": "see", "lives": "life", "aids": "aids", "means": "means", "us": "us",
    "first": "first", "second": "second", "third": "third", "found": "find",
}


@functools.lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Lower-case surface form -> lemma. Empty when spacy-lookups-data is not installed."""
    try:
        import importlib.resources

        path = importlib.resources.files("spacy_lookups_data").joinpath("data", "en_lemma_lookup.json.gz")
        with path.open("rb") as fh:
            raw: dict[str, str] = json.loads(gzip.decompress(fh.read()))
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        raw = {}
    table: dict[str, str] = {}
    for form, lemma in raw.items():
        low = form.lower()
        if low == form or low not in table:
            table[low] = lemma.lower()
    table.update(_OVERRIDES)
    return table


def lemma(word: str) -> str:
    low = word.lower()
    return lemma_table().get(low, low)


@functools.lru_cache(maxsize=1)
def _inverse() -> dict[str, list[str]]:
    """Lemma -> the forms that have it (read only)."""
    inv: dict[str, list[str]] = {}
    for form, lem in lemma_table().items():
        got = inv.get(lem)
        if got is None:
            inv[lem] = [form]
        else:
            got.append(form)
    return inv


def _regular(word: str) -> set[str]:
    """Regular English inflections of ``word`` (a superset is fine: used for pre-filtering)."""
    out = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d", word + "er",
           word + "est", word + "r", word + "st"}
    if word.endswith("e"):
        out |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2:
        out |= {word[:-1] + "ies", word[:-1] + "ied", word[:-1] + "ier", word[:-1] + "iest"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        out |= {word + word[-1] + "ed", word + word[-1] + "ing", word + word[-1] + "er",
                word + word[-1] + "est"}
    return out


@functools.lru_cache(maxsize=None)
def forms(word: str) -> frozenset[str]:
    """Every lower-case surface form whose lemma may be ``lemma(word)``."""
    low = word.lower()
    lem = lemma(low)
    out = set(_regular(low)) | set(_regular(lem)) | {lem}
    inv = _inverse()
    out.update(inv.get(lem, ()))
    out.update(inv.get(low, ()))
    return frozenset(out)
