"""The result cache is untrusted input too: links in it are never followed, corrupt entries are
misses, and its key follows everything that decides the results."""
from __future__ import annotations

import json
import os

import pytest

from claimlint import cache
from claimlint.cache import CACHE_DIR, ResultCache
from claimlint.linter import Linter
from claimlint.settings import Settings
from conftest import run_cli

CLAIM = "Our drops cure insomnia.\n"


def snapshot(folder) -> dict:
    """Every file under ``folder`` with its bytes (links not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            if os.path.islink(p):
                out[p] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                with open(p, "rb") as fh:
                    out[p] = fh.read()
            else:
                out[p] = "dir"
    return out


@pytest.fixture
def victim(tmp_path):
    """A folder outside the project that a hostile repository points its cache links at."""
    v = tmp_path / "victim"
    v.mkdir()
    (v / "notes.txt").write_text("precious\n")
    (v / "sub").mkdir()
    (v / "sub" / "deep.txt").write_text("also precious\n")
    return v


@pytest.fixture
def project(tmp_path):
    p = tmp_path / "project"
    p.mkdir()
    (p / "page.md").write_text(CLAIM)
    return p


@pytest.mark.parametrize("no_cache", [False, True], ids=["cache", "no-cache"])
@pytest.mark.parametrize("marker", [".gitignore", "CACHEDIR.TAG"])
def test_a_linked_marker_file_is_never_written_through(project, victim, marker, no_cache):
    (project / CACHE_DIR).mkdir()
    os.symlink(victim / "notes.txt", project / CACHE_DIR / marker)
    os.symlink(victim / "created-by-link", project / CACHE_DIR / (
        "CACHEDIR.TAG" if marker == ".gitignore" else ".gitignore"))  # a dangling link
    before = snapshot(victim)
    proc = run_cli("check", ".", *(["--no-cache"] if no_cache else []), cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert snapshot(victim) == before
    assert not (victim / "created-by-link").exists()


@pytest.mark.parametrize("no_cache", [False, True], ids=["cache", "no-cache"])
@pytest.mark.parametrize("linked", ["v1", "packs"])
def test_a_linked_cache_subfolder_never_loses_its_targets_entries(project, victim, linked, no_cache):
    (project / CACHE_DIR).mkdir()
    if linked == "packs":  # a folder of files only: nothing stops the deletion halfway
        (victim / "sub" / "deep.txt").rename(victim / "deep.txt")
        (victim / "sub").rmdir()
    os.symlink(victim, project / CACHE_DIR / linked)
    before = snapshot(victim)
    for _ in range(2):
        proc = run_cli("check", ".", *(["--no-cache"] if no_cache else []), cwd=project)
        assert proc.returncode == 1, proc.stderr
    assert snapshot(victim) == before


def test_a_linked_cache_folder_is_not_used(project, victim):
    os.symlink(victim, project / CACHE_DIR)
    before = {p: v for p, v in snapshot(victim).items() if v != "dir"}
    for _ in range(2):
        proc = run_cli("check", ".", cwd=project)
        assert proc.returncode == 1, proc.stderr
    after = {p: v for p, v in snapshot(victim).items() if v != "dir"}
    assert after == before  # no file written, changed or removed in the link's target


def test_result_cache_refuses_links_anywhere_in_its_path(project, victim):
    sig = "s" * 24
    (project / CACHE_DIR).mkdir()
    os.symlink(victim, project / CACHE_DIR / "v1")
    rc = ResultCache(str(project), sig)
    rc.put("ab" + "0" * 62, [])
    assert rc.get("ab" + "0" * 62, "page.md") is None
    assert sorted(os.listdir(victim)) == ["notes.txt", "sub"]
    # The generation folder itself, and an entry's folder, as links.
    os.unlink(project / CACHE_DIR / "v1")
    (project / CACHE_DIR / "v1").mkdir()
    os.symlink(victim, project / CACHE_DIR / "v1" / sig)
    rc = ResultCache(str(project), sig)
    rc.put("ab" + "0" * 62, [])
    assert rc.get("ab" + "0" * 62, "page.md") is None and sorted(os.listdir(victim)) == ["notes.txt", "sub"]


def test_an_old_generation_is_removed_without_following_links_inside_it(project, victim):
    old = project / CACHE_DIR / "v1" / "old-generation"
    old.mkdir(parents=True)
    (old / "entry.json").write_text("[]")
    os.symlink(victim, old / "to-victim")
    os.symlink(victim / "notes.txt", old / "file-link")
    rc = ResultCache(str(project), "n" * 24)
    rc.put("cd" + "1" * 62, [])
    assert not old.exists()
    assert snapshot(victim) and (victim / "notes.txt").read_text() == "precious\n"
    assert (victim / "sub" / "deep.txt").exists()
    assert rc.get("cd" + "1" * 62, "page.md") == []


def _engine(project):
    return Linter(Settings(root=str(project), packs=["starter"]), cache=True)


def _entry(engine, project):
    """The cache entry written for page.md."""
    engine.check_file(str(project / "page.md"))
    entries = [p for p in (project / CACHE_DIR / "v1").rglob("*.json")]
    assert len(entries) == 1
    return entries[0]


@pytest.mark.parametrize("corrupt", [
    lambda rows: [dict(rows[0], severity="fatal")],
    lambda rows: [dict(rows[0], line="3")],
    lambda rows: [dict(rows[0], line=True)],
    lambda rows: [{k: v for k, v in rows[0].items() if k != "rule"}],
    lambda rows: [dict(rows[0], fix={"start": 1})],
    lambda rows: [dict(rows[0], fix={"start": 5, "end": 2, "replacement": "x", "applicability": "safe"})],
    lambda rows: [dict(rows[0], unknown_key=1)],
    lambda rows: {"not": "a list"},
    lambda rows: [1, 2, 3],
    lambda rows: "[" * 100_000,
], ids=["severity", "line-type", "bool-line", "missing-rule", "bad-fix", "backwards-fix",
        "unknown-key", "mapping", "numbers", "deep"])
def test_a_corrupt_entry_is_a_miss(project, corrupt):
    engine = _engine(project)
    entry = _entry(engine, project)
    rows = json.loads(entry.read_text())
    bad = corrupt(rows)
    entry.write_text(bad if isinstance(bad, str) else json.dumps(bad))
    again = _engine(project)
    result = again.check_file(str(project / "page.md"))
    assert again.cache.hits == 0 and again.cache.misses == 1
    assert [f.rule for f in result.findings] == [r["rule"] for r in rows]
    assert all(f.severity in ("error", "warning", "info") for f in result.findings)


def test_a_corrupt_entry_on_the_command_line_is_a_miss_not_a_traceback(project):
    run_cli("check", ".", cwd=project)
    entry = next((project / CACHE_DIR / "v1").rglob("*.json"))
    rows = json.loads(entry.read_text())
    entry.write_text(json.dumps([dict(rows[0], severity="catastrophic")]))
    proc = run_cli("check", ".", cwd=project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "catastrophic" not in proc.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_entry_that_is_a_link_to_a_device_or_a_fifo_is_a_miss(project, tmp_path):
    engine = _engine(project)
    entry = _entry(engine, project)
    entry.unlink()
    os.symlink("/dev/zero", entry)
    again = _engine(project)
    assert again.check_file(str(project / "page.md")).findings and again.cache.misses == 1
    entry.unlink()
    os.mkfifo(entry)
    again = _engine(project)
    assert again.check_file(str(project / "page.md")).findings and again.cache.misses == 1


def test_the_key_follows_the_versions_of_spacy_its_tables_and_the_model(monkeypatch):
    cache.dependency_versions.cache_clear()
    base = cache.engine_signature([], None)
    assert cache.engine_signature([], "en_core_web_sm") != base
    monkeypatch.setattr(cache, "_package_version",
                        lambda module, dist: "99.0" if module == "spacy" else "1.0.5")
    cache.dependency_versions.cache_clear()
    assert cache.engine_signature([], None) != base
    monkeypatch.setattr(cache, "_package_version",
                        lambda module, dist: "3.8.18" if module == "spacy" else "99.0")
    cache.dependency_versions.cache_clear()
    other = cache.engine_signature([], None)
    assert other != base
    monkeypatch.undo()
    cache.dependency_versions.cache_clear()
    assert cache.engine_signature([], None) == base


def test_the_versions_are_read_without_importing_spacy():
    import subprocess
    import sys

    code = ("import sys; from claimlint import cache; v = cache.dependency_versions(None); "
            "print(v.split(chr(0))[0], 'spacy' in sys.modules, 'importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
    from importlib import metadata

    assert out == ["spacy", metadata.version("spacy"), "False", "False"]


def test_a_model_folder_is_identified_by_its_meta_json(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_text('{"name": "m", "version": "1.0.0"}')
    cache.dependency_versions.cache_clear()
    first = cache.engine_signature([], str(model))
    (model / "meta.json").write_text('{"name": "m", "version": "1.0.1"}')
    cache.dependency_versions.cache_clear()
    assert cache.engine_signature([], str(model)) != first
