"""Cost proportional to document size: the sorted span indexes the rules use answer exactly what
the scans they replace answered, and a document's findings are those of its blocks checked in
chunks."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from claimlint.kinds.spans import SpanIndex, in_ranges
from claimlint.linter import Linter
from claimlint.settings import Settings
from helpers import ROOT

spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(
    lambda t: (min(t), max(t))), max_size=12)
point = st.integers(-2, 44)


@given(spans, point, point)
def test_span_index_answers_what_a_scan_answers(items, x, y):
    s, e = min(x, y), max(x, y)
    index = SpanIndex(items)
    assert index.contains(s, e) == any(a <= s and e <= b for a, b in items)
    assert in_ranges(items)(s, e) == any(a <= s and e <= b for a, b in items)
    assert index.holds_point(s) == any(a <= s < b for a, b in items)
    assert index.overlaps(s, e) == any(a < e and s < b for a, b in items)
    assert index.any_within(s, e) == any(s <= a and b <= e for a, b in items)
    assert list(index.iter_from(s)) == sorted(t for t in items if t[0] >= s)


def _paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "corpus" / "docs").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            para = " ".join(para.split())
            if len(para.split()) >= 6:
                out.append(para)
    return out


PARAGRAPHS = _paragraphs()
LINTER = Linter(Settings(packs=["claims", "evidence", "disclosures", "drugs"]))


def _span_findings(text: str, shift: int = 0) -> list[tuple]:
    result = LINTER.check_text(text, path="page.txt")
    assert not result.errors
    return [(f.rule, f.start + shift, f.end + shift, f.message, f.context)
            for f in result.findings if f.scope == "span"]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.randoms(use_true_random=False), st.integers(2, 40), st.integers(1, 8))
def test_findings_of_a_document_are_those_of_its_chunks(rng: random.Random, n: int, size: int):
    """Sentences never cross blocks, so the sentence-level findings of a document are the union
    of those of its blocks checked in chunks of ``size`` blocks, each on its own."""
    paras = [rng.choice(PARAGRAPHS) for _ in range(n)]
    whole = _span_findings("\n\n".join(paras) + "\n")
    chunked = []
    offset = 0
    for i in range(0, n, size):
        chunk = "\n\n".join(paras[i:i + size]) + "\n"
        chunked += _span_findings(chunk, offset)
        offset += len(chunk) + 1  # the chunk's own "\n" and the next blank line's
    assert sorted(whole) == sorted(chunked)
