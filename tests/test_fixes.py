"""Fixes: only with --fix, safe ones by default, atomic and faithful to the file's bytes."""
from __future__ import annotations

import codecs
import json
import os
import stat

import pytest

from claimlint.errors import InputError
from claimlint.fixes import Edit, apply_edits, digest, match_case, write_fixed
from conftest import run_cli

UNUSED = "<!-- claimlint-disable-next-line claims/cure-claim -->\nWe open at nine.\n"
PROVEN = "Our clinically proven drops lift your mood today.\n"


def test_apply_edits_and_case():
    text = "Clinically proven. clinically proven."
    new, used = apply_edits(text, [Edit(0, 17, "Clinically studied", False),
                                   Edit(19, 36, "clinically studied", False),
                                   Edit(5, 8, "x", True)])  # overlaps the first: dropped
    assert new == "Clinically studied. clinically studied." and len(used) == 2
    assert match_case("clinically studied", "Clinically proven") == "Clinically studied"
    assert match_case("studied", "PROVEN") == "STUDIED"


def test_nothing_is_written_without_fix(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(UNUSED)
    run_cli("check", "page.md", cwd=tmp_path)
    assert page.read_text() == UNUSED


def test_fix_applies_safe_fixes_and_reports_the_rest(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(UNUSED + "\nIt is a cure. " + PROVEN)
    proc = run_cli("check", "page.md", "--fix", "--format", "json", cwd=tmp_path)
    assert page.read_text() == "We open at nine.\n\nIt is a cure. " + PROVEN
    rules = [(f["rule"], f["line"]) for f in json.loads(proc.stdout)["findings"]]
    assert ("claims/cure-claim", 3) in rules  # reported at its new line
    assert ("evidence/proven-claim", 3) in rules  # unsafe: left alone without --unsafe-fixes
    assert "Fixed 1 problem in 1 file." in proc.stderr


def test_unsafe_fixes(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PROVEN)
    run_cli("check", "page.md", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert page.read_text() == "Our clinically studied drops lift your mood today.\n"


def test_diff_prints_and_writes_nothing(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(UNUSED)
    proc = run_cli("check", "page.md", "--diff", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("--- a/page.md\n+++ b/page.md\n")
    assert "-<!-- claimlint-disable-next-line claims/cure-claim -->" in proc.stdout
    assert page.read_text() == UNUSED
    clean = tmp_path / "clean.md"
    clean.write_text("We open at nine.\n")
    assert run_cli("check", "clean.md", "--diff", cwd=tmp_path).returncode == 0


def test_fix_keeps_bom_line_endings_and_permissions(tmp_path):
    page = tmp_path / "page.md"
    raw = codecs.BOM_UTF8 + UNUSED.replace("\n", "\r\n").encode("utf-8")
    page.write_bytes(raw)
    os.chmod(page, 0o640)
    run_cli("check", "page.md", "--fix", cwd=tmp_path)
    assert page.read_bytes() == codecs.BOM_UTF8 + b"We open at nine.\r\n"
    assert stat.S_IMODE(os.stat(page).st_mode) == 0o640
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".claimlint-fix")]
    assert leftovers == []


def test_utf16_file_is_written_back_as_utf16(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(codecs.BOM_UTF16_LE + "# claimlint-disable-next-line claims/cure-claim\nHello.\n".encode("utf-16-le"))
    run_cli("check", "page.txt", "--fix", cwd=tmp_path)
    assert page.read_bytes() == codecs.BOM_UTF16_LE + "Hello.\n".encode("utf-16-le")


def test_a_file_changed_since_it_was_read_is_refused(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("old\n")
    stale = digest(b"something else")
    with pytest.raises(InputError, match="changed since claimlint read it"):
        write_fixed(str(page), "new\n", "utf-8", False, stale)
    assert page.read_text() == "old\n"
    write_fixed(str(page), "new\n", "utf-8", False, digest(b"old\n"))
    assert page.read_text() == "new\n"


def test_markup_inside_a_match_is_never_rewritten(tmp_path):
    page = tmp_path / "page.md"
    text = "Our **clinically** proven drops.\n"
    page.write_text(text)
    proc = run_cli("check", "page.md", "--fix", "--unsafe-fixes", "--format", "json", cwd=tmp_path)
    assert page.read_text() == text
    assert any(f["rule"] == "evidence/proven-claim" for f in json.loads(proc.stdout)["findings"])


def test_stdin_cannot_be_fixed(tmp_path):
    proc = run_cli("check", "-", "--fix", cwd=tmp_path, stdin=b"It is a cure.")
    assert proc.returncode == 2 and "standard input cannot be fixed" in proc.stderr


def test_fix_appears_in_json(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PROVEN)
    proc = run_cli("check", "page.md", "--format", "json", cwd=tmp_path)
    fixes = [f["fix"] for f in json.loads(proc.stdout)["findings"] if "fix" in f]
    assert fixes == [{"start": 4, "end": 21, "replacement": "clinically studied", "applicability": "unsafe"}]


def test_pack_fix_validation():
    from claimlint.errors import PackError
    from claimlint.packs import load_pack_text

    base = ("pack: t\nrules:\n  - id: r\n    kind: {kind}\n    category: cure-claim\n    message: m\n"
            "    rationale: r\n    references: [x]\n    examples: {{bad: [a], good: [b]}}\n{extra}")
    with pytest.raises(PackError, match="unknown placeholder"):
        load_pack_text(base.format(kind="phrase", extra="    phrases: [cure]\n    fix: {replace: '{nope}'}\n"), "t.yaml")
    with pytest.raises(PackError, match="document-level rule has no match"):
        load_pack_text(base.format(kind="requires", extra="    when: [a]\n    require: [b]\n    fix: {replace: x}\n"), "t.yaml")
    rule = load_pack_text(base.format(kind="regex", extra="    regex: ['(?P<w>cure)s?']\n    fix: {replace: '{w}', safe: true}\n"), "t.yaml").rules[0]
    assert rule.meta.fix == {"replace": "{w}", "safe": True}


def test_diff_lines_end_only_at_newlines():
    from claimlint.fixes import unified_diff

    old = "x\u2028y\x0cz\u0085\nclinically proven\n"
    new = "x\u2028y\x0cz\u0085\nclinically studied\n"
    diff = unified_diff("a.md", old, new)
    lines = diff.split("\n")
    assert lines[-1] == ""
    assert all(line[:1] in (" ", "-", "+", "@") for line in lines[:-1]), diff
    assert " x\u2028y\x0cz\u0085" in lines and "-clinically proven" in lines
