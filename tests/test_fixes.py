"""Fixes: only with --fix, safe ones by default, atomic and faithful to the file's bytes."""
from __future__ import annotations

import codecs
import json
import os
import stat

import pytest

from claimlint.errors import InputError
from claimlint.fixes import Edit, apply_edits, digest, match_case, write_fixed
from helpers import run_cli

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
    # Still reported (once: the rule whose rewrite cannot apply here and the uncited-evidence rule
    # report the same words), just not rewritten.
    found = [f for f in json.loads(proc.stdout)["findings"] if f["category"] == "missing-citation"]
    assert len(found) == 1 and found[0]["excerpt"].startswith("clinically")


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


# -- links, owners, hard links: the real file is fixed, or the fix is refused ------------------

def _fix(cwd, *paths, unsafe=False):
    return run_cli("check", *paths, "--fix", *(["--unsafe-fixes"] if unsafe else []), "--no-cache",
                   cwd=cwd)


def _leftovers(folder) -> list[str]:
    return [p.name for p in folder.rglob(".claimlint-fix*")]


def test_a_link_to_a_file_in_the_tree_fixes_the_real_file_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "page.md").write_text(UNUSED)
    os.symlink("real/page.md", tmp_path / "link.md")
    proc = _fix(tmp_path, "link.md")
    assert proc.returncode == 0, proc.stderr
    assert os.path.islink(tmp_path / "link.md")
    assert (tmp_path / "real" / "page.md").read_text() == "We open at nine.\n"
    assert _leftovers(tmp_path) == []


def test_a_link_out_of_the_tree_is_refused(tmp_path):
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "page.md").write_text(UNUSED)
    (outside / "other.md").write_text(UNUSED)
    os.symlink(outside / "page.md", project / "link.md")
    os.symlink(outside, project / "docs")
    (project / "own.md").write_text(UNUSED)
    proc = _fix(project, ".")  # a folder walk does not follow links that leave it
    assert proc.returncode == 0, proc.stderr
    assert (project / "own.md").read_text() == "We open at nine.\n"
    assert (outside / "page.md").read_text() == UNUSED and (outside / "other.md").read_text() == UNUSED
    (project / "own.md").write_text(UNUSED)
    proc = _fix(project, "link.md", "own.md")  # named, the link is read but never fixed
    assert proc.returncode == 2
    assert (outside / "page.md").read_text() == UNUSED and (outside / "other.md").read_text() == UNUSED
    assert os.path.islink(project / "link.md") and os.path.islink(project / "docs")
    assert "link.md: is reached through a symbolic link to" in proc.stderr and "not fixed" in proc.stderr
    assert (project / "own.md").read_text() == "We open at nine.\n"  # the rest is still fixed
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_owner_and_group_are_kept(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(UNUSED)
    os.chown(page, 4321, 4322)
    os.chmod(page, 0o664)
    proc = _fix(tmp_path, "page.md")
    assert proc.returncode == 0, proc.stderr
    st = os.stat(page)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o664)
    assert page.read_text() == "We open at nine.\n"


def test_hard_links_are_rewritten_in_place_not_split(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(UNUSED)
    os.link(page, tmp_path / "same.md")
    inode = os.stat(page).st_ino
    proc = _fix(tmp_path, "page.md")
    assert proc.returncode == 0, proc.stderr
    assert os.stat(page).st_ino == os.stat(tmp_path / "same.md").st_ino == inode
    assert os.stat(page).st_nlink == 2
    assert (tmp_path / "same.md").read_text() == "We open at nine.\n"
    assert _leftovers(tmp_path) == []


def test_a_file_whose_owner_cannot_be_kept_is_rewritten_in_place(tmp_path, monkeypatch):
    from claimlint import fixes

    page = tmp_path / "page.md"
    page.write_text("old text\n")
    inode = os.stat(page).st_ino
    monkeypatch.setattr(fixes, "_keep_owner", lambda fd, st: False)
    write_fixed(str(page), "new\n", "utf-8", False, digest(b"old text\n"), root=str(tmp_path))
    assert page.read_text() == "new\n" and os.stat(page).st_ino == inode
    assert _leftovers(tmp_path) == []


def test_a_fifo_or_device_is_never_fixed(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(InputError, match="FIFO"):
        write_fixed(str(tmp_path / "pipe.md"), "x", "utf-8", False, digest(b""), root=str(tmp_path))


# -- interruptions and races ------------------------------------------------------------------

@pytest.mark.parametrize("stage,links", [("locked", 1), ("written", 1), ("locked", 2),
                                         ("backed-up", 2)])
def test_an_interruption_leaves_the_file_and_no_temporary_file(tmp_path, stage, links):
    page = tmp_path / "page.md"
    page.write_text("old text\n")
    if links == 2:
        os.link(page, tmp_path / "same.md")

    def interrupt(at):
        if at == stage:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_fixed(str(page), "new\n", "utf-8", False, digest(b"old text\n"), root=str(tmp_path),
                    _hook=interrupt)
    assert page.read_text() == "old text\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == (["page.md"] if links == 1 else
                                                          ["page.md", "same.md"])


@pytest.mark.parametrize("links", [1, 2])
def test_two_runs_racing_on_one_file_never_undo_each_other(tmp_path, links):
    import threading

    page = tmp_path / "page.md"
    page.write_text("old text\n")
    if links == 2:
        os.link(page, tmp_path / "same.md")
    expected = digest(b"old text\n")
    second: list = []

    def run_second():
        try:
            write_fixed(str(page), "second\n", "utf-8", False, expected, root=str(tmp_path))
            second.append("written")
        except InputError as exc:
            second.append(exc.message)

    thread = threading.Thread(target=run_second)

    def start_the_other_run(at):
        if at == "locked":  # the first run holds the lock and has checked the file
            thread.start()
            thread.join(0.3)  # the second run waits for the lock (or has not opened the file yet)

    write_fixed(str(page), "first\n", "utf-8", False, expected, root=str(tmp_path),
                _hook=start_the_other_run)
    thread.join(30)
    assert page.read_text() == "first\n"
    assert second == ["changed since claimlint read it; not fixed (run again)"]
    assert _leftovers(tmp_path) == []


# -- legacy encodings: only the fixed bytes change --------------------------------------------

def test_a_shift_jis_page_keeps_every_byte_outside_the_fix(tmp_path):
    # 0x879A is the NEC form of U+2235; Shift_JIS encodes U+2235 back as 0x81E6, so writing the
    # whole page again changed bytes far from the fix.
    head = b'<meta charset="shift_jis"><p>\x87\x9a \x93\xfa\x96{</p>\n'
    page = tmp_path / "page.html"
    page.write_bytes(head + b"<!-- claimlint-disable-next-line claims/cure-claim -->\n<p>We open at nine.</p>\n")
    proc = _fix(tmp_path, "page.html")
    assert proc.returncode == 0, proc.stderr
    assert page.read_bytes() == head + b"<p>We open at nine.</p>\n"


def test_a_fix_that_cannot_be_encoded_is_refused_for_that_file_only(tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "pack: t\nrules:\n  - id: r\n    kind: phrase\n    category: cure-claim\n    message: m\n"
        "    rationale: r\n    references: [x]\n    phrases: [cure]\n"
        "    examples: {bad: [a cure], good: [b]}\n    fix: {replace: 'remède', safe: true}\n",
        encoding="utf-8")
    (tmp_path / ".claimlint.yaml").write_text("packs: [./pack.yaml]\n")
    koi = '<meta charset="koi8-r"><p>Наш чай: a cure.</p>\n'.encode("koi8-r")
    (tmp_path / "a.html").write_bytes(koi)
    (tmp_path / "b.md").write_text("It is a cure.\n", encoding="utf-8")
    proc = _fix(tmp_path, "a.html", "b.md")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "a.html: the fix 'remède' cannot be written in KOI8-R" in proc.stderr
    assert (tmp_path / "a.html").read_bytes() == koi
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "It is a remède.\n"


def test_encode_fixed_splices_into_multibyte_and_utf16_text():
    from claimlint.fixes import encode_fixed

    text = "\u2235 \u65e5\u672c clinically proven \U0001f600 end\r\n"
    for enc, bom in (("cp932", False), ("utf-16-le", True), ("utf-8", True), ("gb18030", False)):
        if enc == "cp932":
            original = text.replace("\U0001f600", "x").encode(enc)
            original = original.replace(b"\x81\xe6", b"\x87\x9a")
            old = text.replace("\U0001f600", "x")
        else:
            prefix = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-8": codecs.BOM_UTF8}.get(enc, b"") if bom else b""
            original = prefix + text.encode(enc)
            old = text
        start = old.index("proven")
        edit = Edit(start, start + 6, "studied", False)
        new, _ = apply_edits(old, [edit])
        for given in ([edit], None):
            data = encode_fixed("a", original, new, enc, bom and enc != "cp932", given)
            cut = original.index("proven".encode(enc))
            rest = original[cut + len("proven".encode(enc)):]
            assert data == original[:cut] + "studied".encode(enc) + rest


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_during_fix_leaves_whole_files_and_no_temporary_files(tmp_path, sig):
    import signal
    import subprocess
    import sys
    import time

    original = UNUSED + "\nIt is a plain page.\n" * 50
    for i in range(300):
        (tmp_path / f"page{i:03}.md").write_text(original)
    proc = subprocess.Popen([sys.executable, "-m", "claimlint", "check", ".", "--fix", "-j", "1",
                             "--no-cache"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    fixed_one = original.replace(UNUSED, "We open at nine.\n", 1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.read_text() == fixed_one for p in sorted(tmp_path.glob("page0[0-4]*.md"))):
            break
        time.sleep(0.01)
    proc.send_signal(getattr(signal, sig))
    proc.wait(60)
    texts = {p.read_text() for p in tmp_path.glob("page*.md")}
    assert texts <= {original, fixed_one}
    assert _leftovers(tmp_path) == []
