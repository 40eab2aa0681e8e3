"""Odd and hostile input: each file is checked correctly or named in one clear line; the others
are still checked; exit code 2 only when something could not be checked."""
from __future__ import annotations

import codecs
import json
import os
import sys

import pytest

from claimlint import sources
from claimlint.settings import Settings
from claimlint.linter import Linter
from helpers import run_cli

CLAIM = "Our drops cure insomnia.\n"


def check(folder, *args):
    proc = run_cli("check", ".", "--format", "json", "--no-cache", *args, cwd=folder)
    return json.loads(proc.stdout), proc


@pytest.fixture
def folder(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\ninclude: ['*.md', '*.txt', '*.html']\n")
    (tmp_path / "good.md").write_text(CLAIM)
    return tmp_path


def paths_with_findings(report):
    return {f["path"] for f in report["findings"]}


def test_empty_file_is_fine(folder):
    (folder / "empty.md").write_bytes(b"")
    report, proc = check(folder)
    assert proc.returncode == 1 and paths_with_findings(report) == {"good.md"}
    assert report["diagnostics"] == []


def test_binary_invalid_utf8_and_undeclared_latin1_are_named(folder):
    (folder / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "broken.txt").write_bytes(b"ok line\ncaf\xe9 cure\n")
    (folder / "latin.html").write_bytes("<p>caf\u00e9 cure</p>".encode("latin-1"))
    report, proc = check(folder)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3
    assert "image.md: binary file" in proc.stderr
    assert "broken.txt:2:4: not valid UTF-8 (byte 0xE9 at line 2, column 4)" in proc.stderr
    assert "latin.html:1:7: not valid UTF-8" in proc.stderr
    assert paths_with_findings(report) == {"good.md"}


def test_declared_latin1_and_utf16_are_checked(folder):
    page = '<meta charset="windows-1252"><p>Caf\u00e9 drops cure colds.</p>'
    (folder / "declared.html").write_bytes(page.encode("cp1252"))
    (folder / "wide.txt").write_bytes(codecs.BOM_UTF16_LE + CLAIM.encode("utf-16-le"))
    report, proc = check(folder)
    assert proc.returncode == 1 and not report["diagnostics"]
    found = {(f["path"], f["line"], f["column"]) for f in report["findings"] if f["rule"] == "starter/cure-words"}
    assert ("declared.html", 1, page.index("cure") + 1) in found and ("wide.txt", 1, 11) in found


def test_a_file_over_the_size_limit_is_named(folder):
    with open(folder / "huge.txt", "wb") as fh:
        line = b"Plain words about opening hours and parking, nothing else at all here.\n"
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    report, proc = check(folder)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "huge.txt: file is 52.4 MB, over the 20 MB limit (raise max-file-size in the configuration to check it)"
    assert paths_with_findings(report) == {"good.md"}


def test_a_one_megabyte_line_is_checked(folder):
    text = ("Plain words about opening hours and parking. " * 23000) + "This tonic is a cure-all."
    assert len(text) > 1_000_000 and "\n" not in text
    (folder / "line.txt").write_text(text)
    report, proc = check(folder)
    assert proc.returncode == 1 and not report["diagnostics"]
    hit = [f for f in report["findings"] if f["path"] == "line.txt"][0]
    assert hit["line"] == 1 and hit["column"] == text.index("cure-all") + 1


def test_missing_path_broken_symlink_and_symlink_loop(folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "page.md").write_text(CLAIM)
    os.symlink("..", folder / "sub" / "loop")
    os.symlink("nowhere.md", folder / "dangling.md")
    report, proc = check(folder, "missing.md")
    assert proc.returncode == 2
    assert "missing.md: no such file or directory" in proc.stderr
    assert "dangling.md: broken symbolic link" in proc.stderr
    assert paths_with_findings(report) == {"good.md", "sub/page.md"}


def test_unreadable_file_in_a_folder(folder, monkeypatch):
    (folder / "secret.md").write_text(CLAIM)
    real_open = os.open

    def guarded(path, *a, **k):  # as if not readable (the tests may run as root)
        if str(path).endswith("secret.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.chdir(folder)
    monkeypatch.setattr(os, "open", guarded)
    engine = Linter(Settings(root=str(folder), packs=["starter"]))
    results = {r.path: r for r in engine.check_paths(["."])}
    assert [str(d) for d in results["secret.md"].errors] == ["secret.md: permission denied"]
    assert results["good.md"].findings


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_file_name_that_is_not_utf8(folder):
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "wb") as fh:
        fh.write(CLAIM.encode())
    report, proc = check(folder)
    assert proc.returncode == 1
    assert "caf\\xe9.md" in paths_with_findings(report)


def test_control_characters_are_shown_not_obeyed(folder):
    (folder / "ansi.txt").write_text("It is a cure\x1b[31m and red.\n")
    proc = run_cli("check", "ansi.txt", "--color", "never", cwd=folder)
    assert proc.returncode == 1 and "\x1b" not in proc.stdout
    from claimlint.formats.text import TextFormatter
    from claimlint.findings import Finding

    shown = TextFormatter(None).render(Finding("a\x1b[2J.md", "r", "c", "error", "m\x07", 1, 1, 1, 2,
                                               "x", None, context="x\x1b[31m", context_end=1))
    assert "\x1b" not in shown and "\x07" not in shown and "\\x1b" in shown


def test_yaml_alias_bomb_is_refused(tmp_path):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (tmp_path / "bomb.yaml").write_text("pack: bomb\n" + "\n".join(levels) + "\nrules: []\n")
    proc = run_cli("rules", "--isolated", "--pack", "./bomb.yaml", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "expands to" in proc.stderr and "bomb.yaml:1" in proc.stderr


def test_pack_cannot_run_code(tmp_path):
    (tmp_path / "evil.yaml").write_text(
        "pack: !!python/object/apply:os.system ['touch pwned']\nrules: []\n")
    proc = run_cli("rules", "--isolated", "--pack", "./evil.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and not (tmp_path / "pwned").exists()


def test_sources_never_guess_an_encoding():
    with pytest.raises(Exception) as exc:
        sources.load("x.txt", data=b"\xff\xfe\xfd not utf16 without a real bom? \xc3")
    assert "x.txt" in str(exc.value)


def test_a_reader_or_pipeline_bug_loses_only_its_own_file(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("Our drops cure insomnia.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Our drops cure insomnia.\n", encoding="utf-8")
    engine = Linter(Settings(root=str(tmp_path)))
    real = sources.read_markdown

    def broken(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(sources, "read_markdown", broken)
    a, b = engine.check_paths([str(tmp_path)])
    assert a.findings == [] and "internal error while reading the file (RecursionError" in \
        a.errors[0].message
    assert [f.rule for f in b.findings if f.rule == "claims/cure-claim"] and not b.errors
    monkeypatch.setattr(sources, "read_markdown", real)
    monkeypatch.setattr(engine, "check_document", lambda doc, rules=None: 1 / 0)
    assert "internal error while checking the file (ZeroDivisionError" in \
        engine.check_file(str(tmp_path / "b.txt")).errors[0].message


# -- regressions found by the property tests (tests/test_properties.py) ------------------------

def test_cli_exit_status_on_meta_charset_rot13(tmp_path):
    (tmp_path / "a.html").write_bytes(b"<meta charset=rot13><p>Caf\xe9 cures insomnia</p>")
    proc = run_cli("check", "--isolated", "a.html", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2


def test_engine_crashes_on_lone_surrogate():
    doc = sources.parse("It cures \ud800 cancer.", "a.txt")
    Linter(Settings()).check_document(doc)




# -- a full disk, a closed output: one line and exit code 2 -----------------------------------

def _limit_file_size(limit: int):
    def preexec():
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
@pytest.mark.parametrize("fmt", ["json", "html", "text"])
def test_a_full_disk_while_writing_the_report_is_one_clear_error(folder, fmt):
    import subprocess

    for i in range(20):
        (folder / f"page{i}.md").write_text(CLAIM * 20)
    (folder / "report.out").write_text("the previous report\n")
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", ".", "--no-cache",
                           "--format", fmt, "-o", "report.out"], cwd=folder, capture_output=True,
                          text=True, preexec_fn=_limit_file_size(4000), timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "File too large" in proc.stderr or "No space" in proc.stderr
    assert (folder / "report.out").read_text() == "the previous report\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_standard_output_on_a_full_device_is_one_clear_error(folder):
    import subprocess

    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "claimlint", "check", ".", "--no-cache"],
                              cwd=folder, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.startswith("claimlint: error: cannot write") and "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith("No space left on device") and proc.stderr.count("\n") == 1


def test_an_internal_error_is_one_line_and_exit_code_2(folder, tmp_path):
    import subprocess

    boot = tmp_path / "boot"
    boot.mkdir()
    (boot / "sitecustomize.py").write_text(
        "import sys, claimlint.cli\n"
        "c = sys.modules['claimlint.cli.check']\n"
        "def boom(*a, **k):\n    raise AttributeError('a bug\\nover two lines')\n"
        "c.run_check = boom\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(boot), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", "."], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.startswith("claimlint: error: internal error (AttributeError: a bug over two lines)")
    assert len(proc.stderr.strip().splitlines()) == 1
    env["CLAIMLINT_TRACEBACK"] = "1"
    proc = subprocess.run([sys.executable, "-m", "claimlint", "check", "."], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert "Traceback" in proc.stderr


# -- FIFOs and devices in the tree ------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero") or not hasattr(os, "mkfifo"),
                    reason="needs /dev/zero and FIFOs")
def test_fifos_and_links_to_devices_are_named_and_the_rest_checked(folder):
    os.mkfifo(folder / "pipe.md")
    os.symlink("/dev/zero", folder / "zero.md")
    os.symlink("/dev/urandom", folder / "random.txt")
    proc = run_cli("check", ".", "--format", "json", cwd=folder, timeout=60)
    report = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert paths_with_findings(report) == {"good.md"}
    # Links that leave the folder are not followed in a folder walk; named, they are read.
    assert proc.stderr.strip().splitlines() == [
        "pipe.md: is a FIFO (named pipe), not a regular file; not checked"]
    proc = run_cli("check", "pipe.md", "zero.md", "random.txt", "good.md", cwd=folder, timeout=60)
    assert proc.returncode == 2 and sorted(proc.stderr.strip().splitlines()) == [
        "pipe.md: is a FIFO (named pipe), not a regular file; not checked",
        "random.txt: is a character device, not a regular file; not checked",
        "zero.md: is a character device, not a regular file; not checked",
    ]
