"""End to end: the installed claimlint in a subprocess."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, run_cli, run_json

PROBE = str(Path(__file__).parent / "packs" / "probe.yaml")
BAD = "# Title\n\nOur drops cure insomnia. 87% of clients report improvement.\n"
CLEAN = "# Opening hours\n\nWe are open from nine to five on weekdays.\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "docs" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n", encoding="utf-8")
    return tmp_path


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / ("claimlint.exe" if os.name == "nt" else "claimlint")
    assert exe.exists() or shutil.which("claimlint")


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("claimlint ")


@pytest.mark.parametrize("module,dist", [
    ("click", "click"),        # imported by the command line itself
    ("regex", "regex"),        # imported with the rule kinds
    ("pathspec", "pathspec"),  # imported when a command runs
    ("spacy", "spacy"),        # imported only once a file needs analysing
])
def test_a_missing_dependency_is_one_clear_line(tmp_path, module, dist):
    (tmp_path / "a.md").write_text("Our drops cure insomnia.\n", encoding="utf-8")
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from claimlint.__main__ import run\n"
            "sys.argv = ['claimlint', 'check', 'a.md', '--no-cache']\n"
            "run()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"the package '{dist}' is not installed for {sys.executable}" in proc.stderr


def test_clean_copy_is_quiet_and_exits_zero(project):
    proc = run_cli("check", "docs/clean.md", cwd=project)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


def test_text_format_and_exit_code(project):
    proc = run_cli("check", "docs", cwd=project)
    assert proc.returncode == 1
    first = proc.stdout.splitlines()[0]
    assert first == "docs/bad.md:3:11: error [starter/cure-words] 'cure' promises a cure"
    assert "  | Our drops cure insomnia." in proc.stdout
    assert "  |           ^^^^" in proc.stdout
    assert "= help:" in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour when not a terminal
    assert "Found 2 problems (2 errors) in 1 of 2 files." in proc.stdout


def test_color_can_be_forced(project):
    proc = run_cli("check", "docs", "--color", "always", cwd=project)
    assert "\x1b[" in proc.stdout
    proc = run_cli("check", "docs", "--color", "auto", cwd=project, env={"NO_COLOR": "1"})
    assert "\x1b[" not in proc.stdout


def test_json_contract(project):
    report, proc = run_json("docs", cwd=project)
    assert proc.returncode == 1
    assert report["version"] == 1
    assert report["summary"] == {"files": 2, "findings": 2, "errors": 2, "warnings": 0, "info": 0}
    f = report["findings"][0]
    for key in ("path", "rule", "category", "severity", "message", "line", "column", "end_line",
                "end_column", "excerpt", "suggestion"):
        assert key in f
    assert f["path"] == "docs/bad.md" and f["category"] == "cure-claim"
    text = (project / "docs" / "bad.md").read_text()
    line = text.split("\n")[f["line"] - 1]
    assert line[f["column"] - 1:f["end_column"] - 1] == f["excerpt"] == "cure"
    assert [x["rule"] for x in report["findings"]] == ["starter/cure-words", "starter/uncited-percentage"]


def test_findings_are_sorted_by_path_whatever_the_argument_order(project):
    (project / "docs" / "a.md").write_text(BAD, encoding="utf-8")
    report, _ = run_json("docs/bad.md", "docs/a.md", cwd=project)
    assert [f["path"] for f in report["findings"]] == ["docs/a.md", "docs/a.md", "docs/bad.md", "docs/bad.md"]


def test_fail_on(project):
    assert run_cli("check", "docs", "--fail-on", "never", cwd=project).returncode == 0
    assert run_cli("check", "docs", "--select", "starter/studies-show", cwd=project).returncode == 0


def test_stdin_with_filename(project):
    proc = run_cli("check", "-", "--stdin-filename", "draft.html", "--format", "json", cwd=project,
                   stdin=b"<p>It will <b>cure</b> you.</p>")
    report = json.loads(proc.stdout)
    assert report["findings"][0]["path"] == "draft.html"
    assert report["findings"][0]["column"] == 15


def test_include_exclude(project):
    (project / "docs" / "notes.txt").write_text("This cures all.\n", encoding="utf-8")
    (project / "docs" / "skip").mkdir()
    (project / "docs" / "skip" / "x.md").write_text(BAD, encoding="utf-8")
    report, _ = run_json("docs", "--include", "*.txt", cwd=project)
    assert {f["path"] for f in report["findings"]} == {"docs/notes.txt"}
    report, _ = run_json("docs", "--exclude", "skip/", "--exclude", "bad.md", cwd=project)
    assert {f["path"] for f in report["findings"]} == {"docs/notes.txt"}
    # Configured excludes apply to files named explicitly too.
    (project / ".claimlint.yaml").write_text("packs: [starter]\nexclude: [docs/skip/]\n", encoding="utf-8")
    report, proc = run_json("docs/skip/x.md", cwd=project)
    assert report["findings"] == [] and proc.returncode == 0


def test_errors_exit_2_and_other_files_are_still_checked(project):
    (project / "docs" / "broken.txt").write_bytes(b"caf\xe9 cure\n")
    report, proc = run_json("docs", "docs/missing.md", "--include", "*.md", "--include", "*.txt",
                            cwd=project)
    assert proc.returncode == 2
    assert "docs/broken.txt:1:4: not valid UTF-8" in proc.stderr
    assert "docs/missing.md: no such file or directory" in proc.stderr
    assert {f["path"] for f in report["findings"]} == {"docs/bad.md"}
    assert len(report["diagnostics"]) == 2


def test_configuration_errors_exit_2(project):
    (project / ".claimlint.yaml").write_text("packs: [starter]\nfial-on: error\n", encoding="utf-8")
    proc = run_cli("check", "docs", cwd=project)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == "claimlint: error: .claimlint.yaml:2: unknown key 'fial-on' (did you mean 'fail-on'?)"


def test_unknown_rule_exit_2(project):
    proc = run_cli("check", "docs", "--select", "starter/nope", cwd=project)
    assert proc.returncode == 2 and "unknown rule, pack or category 'starter/nope'" in proc.stderr


def test_bad_pack_exit_2(project):
    (project / "bad.yaml").write_text("pack: b\nrules:\n  - id: x\n    kind: nope\n", encoding="utf-8")
    proc = run_cli("check", "docs", "--pack", "./bad.yaml", cwd=project)
    assert proc.returncode == 2 and "bad.yaml:4: rule 'x': unknown kind 'nope'" in proc.stderr


def test_missing_model_exit_2(project):
    proc = run_cli("check", "docs", "--model", "xx_missing_pipeline", cwd=project)
    assert proc.returncode == 2 and "not installed" in proc.stderr


def test_output_file(project):
    proc = run_cli("check", "docs", "--format", "json", "-o", "out/report.json", cwd=project)
    assert proc.returncode == 2  # the folder does not exist
    (project / "out").mkdir()
    proc = run_cli("check", "docs", "--format", "json", "-o", "out/report.json", cwd=project)
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads((project / "out" / "report.json").read_text())["summary"]["findings"] == 2


def test_output_file_is_replaced_whole_with_ordinary_permissions(project):
    out = project / "report.json"
    proc = run_cli("check", "docs", "--format", "json", "-o", "report.json", cwd=project)
    umask = os.umask(0)
    os.umask(umask)
    assert proc.returncode == 1 and out.stat().st_mode & 0o777 == 0o666 & ~umask
    # An existing report keeps its permissions.
    out.chmod(0o640)
    proc = run_cli("check", "docs", "--format", "json", "-o", "report.json", cwd=project)
    assert proc.returncode == 1 and out.stat().st_mode & 0o777 == 0o640
    # A run that writes no report leaves the earlier one as it was, and no temporary file behind.
    before = out.read_bytes()
    proc = run_cli("check", "docs", "--format", "json", "-o", "report.json",
                   "--write-baseline", "base.json", cwd=project)
    assert proc.returncode == 0 and out.read_bytes() == before and (project / "base.json").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".claimlint-")) == []


def test_rules_and_explain(project):
    proc = run_cli("rules", cwd=project)
    assert proc.returncode == 0 and "starter/cure-words" in proc.stdout and "FINDS" in proc.stdout
    proc = run_cli("rules", "--format", "json", cwd=project)
    assert {r["id"] for r in json.loads(proc.stdout)} >= {"starter/cure-words"}
    proc = run_cli("explain", "starter/cure-words", cwd=project)
    assert proc.returncode == 0
    for heading in ("What it finds", "Why it matters", "Regulation and guidance", "Examples that are reported"):
        assert heading in proc.stdout
    proc = run_cli("explain", "starter/cure-word", cwd=project)
    assert proc.returncode == 2 and "did you mean 'starter/cure-words'" in proc.stderr


def test_rule_examples_pass_for_shipped_packs():
    proc = run_cli("test")
    assert proc.returncode == 0, proc.stdout
    assert "examples behave as documented" in proc.stdout


def test_examples_folder_has_findings_and_a_clean_article():
    examples = ROOT / "examples"
    if not examples.is_dir():
        pytest.skip("examples/ not present")
    report, proc = run_json(str(examples), cwd=ROOT)
    paths = {Path(f["path"]).name for f in report["findings"]}
    assert "clean-article.md" not in paths
    assert len(paths) >= 3


def test_rules_reference_page_is_current():
    """docs/rules.md (where SARIF's helpUri points) is generated from the packs; regenerate it with
    `claimlint rules --isolated --all --format markdown > docs/rules.md` after editing a pack."""
    proc = run_cli("rules", "--isolated", "--all", "--format", "markdown", cwd=ROOT)
    assert proc.returncode == 0
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert proc.stdout == page, "docs/rules.md is out of date: regenerate it (see this test's docstring)"
    from claimlint.explain import RULES_DOC_URI, rule_slug

    assert RULES_DOC_URI.endswith("docs/rules.md#")
    for rule in json.loads(run_cli("rules", "--isolated", "--format", "json", cwd=ROOT).stdout):
        assert f'<a id="{rule_slug(rule["id"])}"></a>' in page


def test_extend_pack_adds_to_the_default_packs(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text((ROOT / "tests" / "packs" / "probe.yaml").read_text(encoding="utf-8"))
    page = tmp_path / "a.md"
    page.write_text("Our drops are a miracle cure for insomnia.\n")
    report, _ = run_json(str(page), "--isolated", "--extend-pack", str(pack))
    packs = {f["rule"].split("/")[0] for f in report["findings"]}
    assert {"claims", "probe"} <= packs
    report, _ = run_json(str(page), "--isolated", "--pack", str(pack))
    assert "claims" not in {f["rule"].split("/")[0] for f in report["findings"]}
