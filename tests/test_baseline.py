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


# -- writing: a unique temporary file, atomic, nothing left behind ----------------------------

import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402

from claimlint import baseline as baseline_mod  # noqa: E402
from claimlint.errors import ConfigError  # noqa: E402


def _project(tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    write(tmp_path / "post.md", CLAIM + "\n")
    return tmp_path


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    project = _project(tmp_path / "p")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.symlink(victim, project / "baseline.json.tmp")
    proc = run_cli("check", "post.md", "--write-baseline", "baseline.json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "precious\n"
    assert json.loads((project / "baseline.json").read_text())["findings"]
    assert sorted(p.name for p in project.iterdir()) == [".claimlint.yaml", ".claimlint_cache",
                                                          "baseline.json", "baseline.json.tmp",
                                                          "post.md"]


def test_a_baseline_that_is_a_link_out_of_the_project_is_refused(tmp_path):
    project = _project(tmp_path / "p")
    outside = tmp_path / "outside.json"
    outside.write_text("keep\n")
    os.symlink(outside, project / "baseline.json")
    proc = run_cli("check", "post.md", "--write-baseline", "baseline.json", cwd=project)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "baseline.json" in proc.stderr and "symbolic link" in proc.stderr
    assert outside.read_text() == "keep\n" and os.path.islink(project / "baseline.json")
    # A link to a file inside the project writes that file and keeps the link.
    (project / "real.json").write_text("{}")
    os.unlink(project / "baseline.json")
    os.symlink("real.json", project / "baseline.json")
    proc = run_cli("check", "post.md", "--write-baseline", "baseline.json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert os.path.islink(project / "baseline.json")
    assert json.loads((project / "real.json").read_text())["findings"]


def test_writing_keeps_the_mode_and_cleans_up_on_any_failure(tmp_path, monkeypatch):
    target = tmp_path / "baseline.json"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    monkeypatch.chdir(tmp_path)
    assert baseline_mod.write(str(target), []) == 0
    assert os.stat(target).st_mode & 0o777 == 0o640
    before = target.read_text()
    for exc in (OSError(28, "No space left on device"), KeyboardInterrupt()):
        def broken(fd, exc=exc):
            raise exc

        monkeypatch.setattr(os, "fsync", broken)
        with pytest.raises(type(exc)):
            baseline_mod.write(str(target), [])
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        assert target.read_text() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def _limit_file_size(limit: int):
    def preexec():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_full_disk_while_writing_the_baseline_is_one_clear_error(tmp_path):
    project = _project(tmp_path)
    for i in range(30):
        write(project / f"post{i}.md", CLAIM + "\n")
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", ".", "--no-cache",
                           "--write-baseline", "baseline.json"], cwd=project, capture_output=True,
                          text=True, preexec_fn=_limit_file_size(2000), timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "cannot write the baseline baseline.json" in proc.stderr
    assert not (project / "baseline.json").exists() and not (project / "baseline.json.tmp").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".claimlint-")]


# -- reading: bounded, regular files only, clear errors ---------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_or_fifo_baseline_is_an_error_not_a_hang(tmp_path):
    _project(tmp_path)
    proc = run_cli("check", "post.md", "--baseline", "/dev/zero", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    os.mkfifo(tmp_path / "fifo.json")
    proc = run_cli("check", "post.md", "--baseline", "fifo.json", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "fifo.json" in proc.stderr and "FIFO" in proc.stderr


def test_a_huge_baseline_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000)
    with pytest.raises(ConfigError, match="over"):
        baseline_mod.Baseline(str(big), max_bytes=1000)


@pytest.mark.parametrize("content,expected", [
    ("[" * 100_000, "nested too deeply"),
    ('{"version": 1, "findings": [' + "1" * 5000 + "]}", "cannot read the baseline"),
    ('{"version": 1, "findings": [{"path": [], "rule": "r", "fingerprint": "f"}]}', "lacks"),
    ("\ufeff{}", "cannot read the baseline"),
])
def test_a_malformed_baseline_is_a_clear_error(tmp_path, content, expected):
    _project(tmp_path)
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    proc = run_cli("check", "post.md", "--baseline", "b.json", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert expected in proc.stderr and "b.json" in proc.stderr
    (tmp_path / "b.json").write_bytes(b"\xff\xfe{")
    proc = run_cli("check", "post.md", "--baseline", "b.json", cwd=tmp_path)
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr
