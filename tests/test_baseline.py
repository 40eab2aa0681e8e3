"""Baselines: lines added above a baselined claim keep it suppressed; rewording brings it back."""
from __future__ import annotations

import json

from helpers import run_cli

CLAIM = "Our drops cure insomnia and 87% of users report better sleep."


def write(p, text):
    p.write_text(text, encoding="utf-8")


def test_baseline_round_trip(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    doc = tmp_path / "post.md"
    write(doc, f"# Sleep\n\n{CLAIM}\n")
    proc = run_cli("check", "post.md", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "Wrote 2 findings" in proc.stderr
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert {f["rule"] for f in data["findings"]} == {"starter/cure-words", "starter/uncited-percentage"}

    proc = run_cli("check", "post.md", "--baseline", "baseline.json", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""

    # Unrelated lines added above: the claim moves down, and stays baselined.
    write(doc, f"# Sleep\n\nA new introduction.\n\nAnother paragraph.\n\n{CLAIM}\n")
    proc = run_cli("check", "post.md", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout)["findings"] == [] and proc.returncode == 0

    # A new claim is reported; the old one stays quiet.
    write(doc, f"# Sleep\n\n{CLAIM}\n\nThis tonic is a cure-all.\n")
    proc = run_cli("check", "post.md", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    found = json.loads(proc.stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in found] == [("starter/cure-words", 5)]

    # The claim's sentence is reworded: it is reported again.
    write(doc, "# Sleep\n\nOur drops cure insomnia, and 87% of users report better sleep.\n")
    proc = run_cli("check", "post.md", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    assert len(json.loads(proc.stdout)["findings"]) == 2 and proc.returncode == 1


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs" / "post.md", CLAIM + "\n")
    run_cli("check", "docs", "--write-baseline", "baseline.json", cwd=tmp_path)
    proc = run_cli("check", ".", "--baseline", "../baseline.json", cwd=tmp_path / "docs")
    assert proc.returncode == 0 and proc.stdout == ""


def test_baseline_errors(tmp_path):
    proc = run_cli("check", ".", "--baseline", "missing.json", cwd=tmp_path)
    assert proc.returncode == 2 and "baseline file not found" in proc.stderr
    (tmp_path / "bad.json").write_text("{not json")
    proc = run_cli("check", ".", "--baseline", "bad.json", cwd=tmp_path)
    assert proc.returncode == 2 and "cannot read the baseline" in proc.stderr


def test_statistics(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    write(tmp_path / "a.md", f"{CLAIM}\n\nIt is a cure.\n")
    proc = run_cli("check", ".", "--statistics", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["2", "starter/cure-words", "error"]
    assert lines[-1].split() == ["3", "total"]
    proc = run_cli("check", ".", "--statistics", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
