"""Accuracy on real pages: the shipped packs against ../shared/eval/real.

../shared/eval/real holds 100 excerpts of public health-marketing pages from many businesses,
labelled by hand against the taxonomy (gold.yaml). This test scores all 100 with
../shared/eval/score.py, running this interpreter's claimlint (``--isolated --no-cache``), and
fails when precision, recall or F1, overall or of any category, falls below the level the packs
reached (less a margin of 0.02, so that the test does not fail on a change of one sentence).

Twenty-five of the pages are set aside for a blind check and are never used to develop or tune
rules: r101, r103, r107, r112, r116, r124, r204, r206, r207, r217, r218, r225, r301, r306, r311,
r312, r318, r321, r403, r406, r412, r413, r419, r421, r425. They are scored here only as part of
the totals, and a failure prints only the summary table: to see what was missed or reported
wrongly, score the other 75 pages on their own (``score.py --gold`` with their labels).

Levels reached when the thresholds were set (all 100 pages): P 0.914, R 0.898, F1 0.906.
The blind 25 on their own: before any rule was changed P 0.71, R 0.63, F1 0.67; after the rule
work P 0.79, R 0.68, F1 0.73.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest

from helpers import SHARED

REAL = SHARED / "eval" / "real"
SCORER = SHARED / "eval" / "score.py"

BLIND = ("r101 r103 r107 r112 r116 r124 r204 r206 r207 r217 r218 r225 r301 r306 r311 r312 r318 "
         "r321 r403 r406 r412 r413 r419 r421 r425").split()

# The level reached on all 100 pages, less 0.02 (rounded down): precision, recall, F1.
OVERALL = {"precision": 0.89, "recall": 0.87, "f1": 0.88}   # reached 0.914, 0.898, 0.906
CATEGORY = {
    "efficacy-statistic": (0.85, 0.93, 0.89),             # reached 0.878, 0.956, 0.915
    "missing-citation": (0.91, 0.85, 0.88),               # reached 0.933, 0.874, 0.902
    "cure-claim": (0.93, 0.88, 0.91),                     # reached 0.952, 0.909, 0.930
    "risk-minimization": (0.91, 0.95, 0.93),              # reached 0.935, 0.977, 0.956
    "superiority-claim": (0.77, 0.69, 0.73),              # reached 0.794, 0.711, 0.750
    "missing-risk-disclosure": (0.93, 0.92, 0.93),        # reached 0.958, 0.945, 0.952
    "missing-offlabel-disclosure": (0.85, 0.98, 0.91),    # reached 0.875, 1.000, 0.933
    "missing-typicality-disclosure": (0.88, 0.73, 0.79),  # reached 0.900, 0.750, 0.818
}


def _table(result: dict) -> str:
    rows = [f"{'category':32} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for cat, r in [*result["per_category"].items(), ("overall", result["overall"])]:
        rows.append(f"{cat:32} {r['precision']:6.2f} {r['recall']:6.2f} {r['f1']:6.2f} "
                    f"{r['tp']:4} {r['fp']:3} {r['fn']:3}")
    return "\n".join(rows)


@pytest.fixture(scope="module")
def real_result():
    if not (REAL / "gold.yaml").exists() or not SCORER.exists():
        pytest.skip("../shared/eval/real is not present beside the project (the labelled real "
                    "pages and the scorer live there)")
    cmd = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "claimlint", "check", "--format",
                                            "json", "--isolated", "--no-cache"))
    proc = subprocess.run([sys.executable, str(SCORER), "--gold", str(REAL / "gold.yaml"),
                           "--docs", str(REAL / "texts"), "--cmd", cmd, "--json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_blind_pages_are_part_of_the_labels():
    if not (REAL / "gold.yaml").exists():
        pytest.skip("../shared/eval/real is not present beside the project")
    import yaml

    with open(REAL / "gold.yaml", encoding="utf-8") as fh:
        docs = yaml.safe_load(fh)["docs"]
    assert len(docs) == 100
    assert {f"{d}.txt" for d in BLIND} <= set(docs)


def test_real_pages_overall(real_result):
    o = real_result["overall"]
    table = _table(real_result)
    for key, floor in OVERALL.items():
        assert o[key] >= floor, f"overall {key} {o[key]:.3f} < {floor}\n{table}"


@pytest.mark.parametrize("category", sorted(CATEGORY))
def test_real_pages_per_category(real_result, category):
    got = real_result["per_category"][category]
    table = _table(real_result)
    for key, floor in zip(("precision", "recall", "f1"), CATEGORY[category]):
        assert got[key] >= floor, f"{category} {key} {got[key]:.3f} < {floor}\n{table}"
