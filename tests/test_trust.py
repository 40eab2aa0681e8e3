"""A run loses no text, never leaves the checked tree, and fails with one line and exit 2: the
command line and the --jobs workers (the readers, fixes, cache and baseline files have theirs in
their own test modules)."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from claimlint.cli import main
from claimlint.linter import PARALLEL_MIN_FILES, Linter
from claimlint.settings import Settings
from helpers import run_cli, run_json

UNUSED = "<!-- claimlint-disable-next-line claims/cure-claim -->\nWe open at nine.\n"
CLAIMS = "It cures insomnia. Studies show it works.\n"


def _corpus(folder, n: int = PARALLEL_MIN_FILES + 2, text: str = UNUSED) -> list:
    pages = []
    for i in range(n):
        page = folder / f"p{i:02}.md"
        page.write_text(text + f"Page {i}.\n")
        pages.append(page)
    return pages


def test_diff_with_findings_left_prints_the_diff_only(tmp_path):
    (tmp_path / "a.md").write_text(UNUSED + "\nOur drops cure insomnia.\n")
    for fmt in ("text", "json", "concise"):
        proc = run_cli("check", "a.md", "--isolated", "--diff", "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert proc.stdout.startswith("--- a/a.md\n+++ b/a.md\n"), proc.stdout
        assert "error [" not in proc.stdout and "\"findings\"" not in proc.stdout  # no findings mixed in


def test_a_select_glob_that_matches_no_rule_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text(CLAIMS)
    proc = run_cli("check", "a.md", "--isolated", "--select", "claimz/*", cwd=tmp_path)
    assert proc.returncode == 2 and "'claimz/*' matches no rule" in proc.stderr
    # ... while an ignore glob may name a pack that is not installed here.
    proc = run_cli("check", "a.md", "--isolated", "--ignore", "claimz/*", cwd=tmp_path)
    assert proc.returncode == 1


def test_the_report_never_replaces_a_checked_file(tmp_path):
    (tmp_path / "a.md").write_text(CLAIMS)
    proc = run_cli("check", ".", "--isolated", "--format", "json", "-o", "a.md", cwd=tmp_path)
    assert proc.returncode == 2 and "is one of the files being checked" in proc.stderr
    assert (tmp_path / "a.md").read_text() == CLAIMS


def test_jobs_never_exceed_the_cores(tmp_path, monkeypatch):
    import importlib

    check = importlib.import_module("claimlint.cli.check")
    monkeypatch.setattr(check, "_cpu_count", lambda: 2)
    assert check._workers(1_000_000) == 2 and check._workers(None) == 2
    assert check._workers(1) == 1
    (tmp_path / ".claimlint.yaml").write_text("jobs: 1000000\n")
    _corpus(tmp_path, text=CLAIMS)
    proc = run_cli("check", ".", "--format", "json", cwd=tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stderr


def test_a_bug_is_one_line_and_exit_2(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Linter, "check_paths", broken)
    (tmp_path / "a.md").write_text(CLAIMS)
    result = CliRunner().invoke(main, ["check", "--isolated", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert "internal error (RuntimeError" in result.output and "Traceback" not in result.output


def test_an_interrupted_run_exits_2_with_one_line(tmp_path):
    _corpus(tmp_path, 60, text=CLAIMS * 40)
    proc = subprocess.Popen([sys.executable, "-m", "claimlint", "check", "--isolated", "-j", "1",
                             "--no-cache", "."], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=2.0)  # still starting or checking: interrupt it
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 1 and "Found" in out:
        pytest.skip("the run finished before it was interrupted")
    assert proc.returncode == 2, (proc.returncode, err[-500:])
    assert "Traceback" not in err and "interrupted" in err


def test_a_file_name_that_is_not_utf8_can_be_fixed(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.md"
    with open(name, "wb") as fh:
        fh.write(UNUSED.encode())
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", "--isolated", "--fix", "."],
                          cwd=tmp_path, capture_output=True)
    assert b"Traceback" not in proc.stderr and proc.returncode == 0, proc.stderr
    with open(name, "rb") as fh:
        assert fh.read() == b"We open at nine.\n"


def test_a_page_level_finding_keeps_its_fingerprint_when_its_sentence_changes(tmp_path):
    page = tmp_path / "a.md"
    page.write_text("# Sleep drops\n\nOur drops cure insomnia for good.\n")
    before, _ = run_json("a.md", "--isolated", cwd=tmp_path)
    page.write_text("# Sleep drops, now in mint\n\nOur drops cure insomnia for good.\n")
    after, _ = run_json("a.md", "--isolated", cwd=tmp_path)

    def prints(report, scope):
        return {f["rule"]: f["fingerprint"] for f in report["findings"] if f["scope"] == scope}

    assert prints(before, "document") == prints(after, "document") != {}
    assert prints(before, "span") == prints(after, "span")  # the claim's own sentence is the same


# -- --jobs ----------------------------------------------------------------------------------

def test_parallel_fix_refuses_a_file_changed_after_it_was_checked(tmp_path, monkeypatch):
    """Workers check the files; a page edited (a save hook, an editor) before the parent writes
    the fix is left as the writer saved it, never patched with offsets of the old text."""
    pages = _corpus(tmp_path)
    edited = pages[3]
    real = Linter._reattach

    def edit_then_reattach(self, result, path):
        if path.endswith(edited.name):
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("A line the writer just added.\n")
        return real(self, result, path)

    monkeypatch.setattr(Linter, "_reattach", edit_then_reattach)
    result = CliRunner().invoke(main, ["check", "--isolated", "--fix", "-j", "2", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "changed while it was being checked" in result.output
    assert edited.read_text() == UNUSED + "Page 3.\nA line the writer just added.\n"
    assert all(p.read_text().startswith("We open at nine.") for p in pages if p != edited)


def test_two_concurrent_fix_runs_lose_no_line(tmp_path):
    pages = _corpus(tmp_path, 40)
    argv = [sys.executable, "-m", "claimlint", "check", "--isolated", "--fix", "--no-cache", "."]
    runs = [subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)]
    for r in runs:
        r.communicate(timeout=300)
    for i, p in enumerate(pages):
        assert p.read_text() == f"We open at nine.\nPage {i}.\n", p.name


def test_jobs_1_and_2_agree_when_a_rule_fails_on_a_file(tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "pack: slow\nrules:\n  - id: r\n    kind: regex\n    category: cure-claim\n"
        "    severity: error\n    message: m\n    rationale: r\n    references: [x]\n"
        "    regex: ['(a|aa)+$', 'cure']\n    examples: {bad: [a cure]}\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    _corpus(docs, text="It is a cure.\n")
    (docs / "p00.md").write_text("It is a cure. " + "a" * 5000 + "!\n")
    outputs = []
    for jobs in ("1", "2"):
        proc = run_cli("check", "docs", "--isolated", "--pack", str(pack), "--format", "html",
                       "-j", jobs, "--no-cache", cwd=tmp_path, timeout=300)
        assert proc.returncode == 2 and "exceeded its time limit" in proc.stderr
        outputs.append(re.sub(r'nonce="[^"]*"|nonce-[^\'" ]*|generated [^<]*', "", proc.stdout))
    assert outputs[0] == outputs[1]
    assert "It is a cure. aaaa" in outputs[1]  # the page's text is in the report


def _die_on_doomed(paths):
    # Module level, so the pool can send it to a worker by name.
    import claimlint.parallel as parallel

    if any(p.endswith(os.environ["CLAIMLINT_TEST_DOOMED"]) for p in paths):
        os._exit(9)  # as if the kernel killed the worker
    return [parallel._worker.check_file(p) for p in paths]


def test_a_worker_the_system_kills_costs_its_file_only(tmp_path, monkeypatch):
    import claimlint.parallel as parallel

    pages = _corpus(tmp_path, text=CLAIMS)
    monkeypatch.setenv("CLAIMLINT_TEST_DOOMED", pages[5].name)
    doomed = pages[5].name
    monkeypatch.setattr(parallel, "_check", _die_on_doomed)  # workers are forked: they see it too
    linter = Linter(Settings(root=str(tmp_path)))
    results = list(linter.check_paths([str(tmp_path)], jobs=2))
    assert [os.path.basename(r.path) for r in results] == [p.name for p in pages]
    stopped = [r for r in results if r.errors]
    assert [os.path.basename(r.path) for r in stopped] == [doomed]
    assert "stopped by the system" in stopped[0].errors[0].message
    assert all(r.findings for r in results if not r.errors)


def test_json_report_with_an_unreadable_file_is_valid(tmp_path):
    # The JSON contract holds even when files could not be checked.
    (tmp_path / "a.md").write_text(CLAIMS)
    (tmp_path / "b.md").write_bytes(b"caf\xe9 cures insomnia")
    proc = run_cli("check", ".", "--isolated", "--format", "json", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert proc.returncode == 2 and report["diagnostics"]


# -- time -------------------------------------------------------------------------------------

def test_longest_is_not_quadratic_and_keeps_its_answer():
    import random
    import time

    from claimlint.kinds.terms import longest

    def reference(spans):
        taken = []
        for s, e in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
            if all(e <= ts or s >= te for ts, te in taken):
                taken.append((s, e))
        return sorted(taken)

    rng = random.Random(7)
    for _ in range(3000):
        spans = [(a, a + rng.randint(1, 6)) for a in (rng.randint(0, 25) for _ in range(10))]
        assert longest(spans) == reference(spans)
    many = [(i, i + 1) for i in range(0, 120_000, 2)] + [(i, i + 3) for i in range(0, 120_000, 5)]
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    assert len(longest(many)) > 30_000
    assert time.process_time() - t0 < 20  # quadratic took minutes on this many spans


def test_a_rule_s_searches_share_one_budget_per_document(tmp_path):
    """An anchored pattern is searched sentence by sentence: each search has its time limit,
    and all of a rule's searches in a document share one budget, so a hostile page cannot make
    a run take hours with exit code 0."""
    import time

    from claimlint import sources
    from claimlint.linter import ActiveRule
    from test_kinds import rule_from

    rule = rule_from("kind: regex\nregex: ['^(a|aa)+$']\n")
    doc = sources.parse("\n\n".join(["a" * 3000 + "!"] * 200), "x.txt")
    t0 = time.perf_counter()
    result = Linter(Settings(packs=[])).check_document(doc, [ActiveRule(rule, "warning")])
    took = time.perf_counter() - t0
    assert result.errors and "exceeded its time limit" in result.errors[0].message
    assert took < 30, took  # 200 searches of 0.25 s each would be 50 s


# -- one finding per span and category (a claim is reported once) ----------------------------

def test_two_rules_of_one_category_on_the_same_words_report_it_once(tmp_path):
    text = "Our blend is clinically proven to calm nerves.\n"
    found = Linter(Settings()).check_document(sources_parse(text, "a.md")).findings
    same = [(f.rule, f.start, f.end) for f in found if f.category == "missing-citation"]
    assert same == [("evidence/proven-claim", 13, 30)]  # the rule with a rewrite is the one kept
    # Suppress that rule and the other one still reports the words.
    text = ("Our blend is clinically proven to calm nerves. "
            "<!-- claimlint-disable-line evidence/proven-claim -->\n")
    found = Linter(Settings()).check_document(sources_parse(text, "a.md")).findings
    assert [f.rule for f in found if f.category == "missing-citation"] == ["evidence/missing-citation"]


def sources_parse(text, name):
    from claimlint import sources

    return sources.parse(text, name)


# -- a committed configuration cannot point claimlint outside the project ---------------------

@pytest.mark.parametrize("line,said", [
    ("cache-dir: ../outside", "cache-dir '../outside' is outside the project"),
    ("model: ../pipelines/evil", "must be the name of an installed spaCy pipeline, not a path"),
], ids=["cache-dir", "model"])
def test_config_values_that_leave_the_project_are_refused(tmp_path, line, said):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".claimlint.yaml").write_text(line + "\n")
    (project / "a.md").write_text(CLAIMS)
    proc = run_cli("check", ".", cwd=project)
    assert proc.returncode == 2 and said in proc.stderr and ".claimlint.yaml:1:" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # nothing written outside


def test_config_cache_dir_inside_the_project_is_used(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("cache-dir: build/lint\n")
    (tmp_path / "a.md").write_text(CLAIMS)
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1
    assert (tmp_path / "build" / "lint" / ".claimlint_cache").is_dir()


def test_standard_input_is_read_up_to_the_size_limit_only(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("max-file-size: 0.01\n")
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", "-", "--stdin-filename",
                           "in.md"], cwd=tmp_path, input=b"x" * 2_000_000, capture_output=True,
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().startswith("in.md: the input is over the")


@pytest.mark.parametrize("body", [
    "[tool.other]\nx = " + "1" * 5000 + "\n",
    "[tool.other]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
], ids=["huge-integer", "deep-array"])
def test_a_pyproject_claimlint_cannot_parse_is_not_a_traceback(tmp_path, body):
    # Found while looking for [tool.claimlint]: a pyproject.toml that cannot be parsed has none.
    (tmp_path / "pyproject.toml").write_text(body)
    (tmp_path / "a.md").write_text(CLAIMS)
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "internal" not in proc.stderr
    # Named as the configuration, it is an error naming the file.
    proc = run_cli("check", ".", "--config", "pyproject.toml", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("claimlint: error: pyproject.toml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_configuration_that_is_a_fifo_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / ".claimlint.yaml")
    os.mkfifo(tmp_path / "pyproject.toml")
    (tmp_path / "a.md").write_text(CLAIMS)
    proc = run_cli("check", ".", cwd=tmp_path, timeout=60)  # not configuration files: skipped
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    proc = run_cli("check", ".", "--config", ".claimlint.yaml", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
