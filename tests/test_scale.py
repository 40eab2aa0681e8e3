"""Parallel files, the result cache, and streaming: same output whatever the options."""
from __future__ import annotations

import json
import os

import pytest

from claimlint.settings import Settings
from claimlint.linter import Linter
from helpers import ROOT, run_cli

CORPUS = ROOT / "tests" / "corpus" / "docs"


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """40 files copied from the corpus (enough for the engine to use workers)."""
    path = tmp_path_factory.mktemp("many")
    docs = sorted(CORPUS.iterdir())
    for i in range(40):
        src = docs[i % len(docs)]
        (path / f"f{i:02d}{src.suffix}").write_bytes(src.read_bytes())
    return path


def test_jobs_give_byte_identical_output(many):
    one = run_cli("check", ".", "--format", "json", "--no-cache", "-j", "1", cwd=many)
    two = run_cli("check", ".", "--format", "json", "--no-cache", "-j", "2", cwd=many)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert len(json.loads(one.stdout)["findings"]) > 100


def test_cache_returns_the_same_results_and_has_its_own_gitignore(many):
    fresh = run_cli("check", ".", "--format", "json", "--no-cache", "-j", "1", cwd=many)
    first = run_cli("check", ".", "--format", "json", "-j", "1", cwd=many)
    second = run_cli("check", ".", "--format", "json", "-j", "2", cwd=many)
    assert fresh.stdout == first.stdout == second.stdout
    cache = many / ".claimlint_cache"
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    assert (cache / "CACHEDIR.TAG").exists()
    entries = list((cache / "v1").rglob("*.json"))
    assert len(entries) == len({p.read_bytes() for p in many.iterdir() if p.is_file()})


def test_cache_is_invalidated_by_content_rules_and_packs(tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "pack: p\nrules:\n  - id: r\n    kind: phrase\n    category: cure-claim\n    message: m\n"
        "    rationale: r\n    references: [x]\n    phrases: [cure]\n    examples: {bad: [a cure], good: [b]}\n")
    page = tmp_path / "page.md"
    page.write_text("It is a cure.\n")
    engine = Linter(Settings(root=str(tmp_path), packs=["./pack.yaml"]), cache=True)
    assert len(engine.check_file(str(page)).findings) == 1
    assert engine.cache.misses == 1 and engine.cache.hits == 0
    assert len(engine.check_file(str(page)).findings) == 1
    assert engine.cache.hits == 1
    page.write_text("It is a remedy.\n")
    assert engine.check_file(str(page)).findings == []
    # Another severity for the rule is another cache key.
    engine2 = Linter(Settings(root=str(tmp_path), severity={"p/r": "error"}, packs=["./pack.yaml"]), cache=True)
    page.write_text("It is a cure.\n")
    assert engine2.check_file(str(page)).findings[0].severity == "error"
    # Editing the pack starts a new generation of the cache.
    (tmp_path / "pack.yaml").write_text((tmp_path / "pack.yaml").read_text().replace("[cure]", "[remedy]"))
    engine3 = Linter(Settings(root=str(tmp_path), packs=["./pack.yaml"]), cache=True)
    assert engine3.check_file(str(page)).findings == []
    gens = os.listdir(tmp_path / ".claimlint_cache" / "v1")
    assert len(gens) == 1


def test_cache_generation_follows_claimlint_s_own_code(monkeypatch):
    from claimlint import cache

    before = cache.engine_signature([], None)
    assert cache.engine_signature([], None) == before
    monkeypatch.setattr(cache, "_code_digest", "another-build")
    assert cache.engine_signature([], None) != before


def test_no_cache_and_cache_false_write_nothing(tmp_path):
    (tmp_path / "a.md").write_text("It is a cure.\n")
    run_cli("check", ".", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".claimlint_cache").exists()
    run_cli("check", ".", cwd=tmp_path)
    assert list((tmp_path / ".claimlint_cache" / "packs").glob("*.json"))  # compiled triggers
    (tmp_path / ".claimlint_cache").rename(tmp_path / "old")
    (tmp_path / ".claimlint.yaml").write_text("cache: false\n")
    run_cli("check", ".", cwd=tmp_path)
    assert not (tmp_path / ".claimlint_cache").exists()


def test_saved_triggers_are_the_derived_ones(tmp_path):
    from claimlint.linter import Linter

    fresh = Linter(Settings(root=str(tmp_path)))
    derived = {r.meta.id: fresh.prefilter.triggers(r) for r in fresh.rules}
    Linter(Settings(root=str(tmp_path)), cache=True)  # writes them
    loaded = Linter(Settings(root=str(tmp_path)), cache=True)
    for rule in loaded.rules:
        assert rule.meta.id in loaded.prefilter._triggers  # loaded, not derived on demand
        got, want = loaded.prefilter.triggers(rule), derived[rule.meta.id]
        for a, b in ((got.fire, want.fire), (got.analysis, want.analysis)):
            assert (a is None) == (b is None)
            if a is not None:
                assert [(g.words, g.substrings) for g in a.groups] == \
                    [(g.words, g.substrings) for g in b.groups]


def test_no_progress_bar_without_a_terminal(many):
    proc = run_cli("check", ".", "-j", "1", cwd=many)
    assert "files" not in proc.stderr and "\r" not in proc.stderr


def test_config_jobs_and_cache_keys(tmp_path):
    from claimlint.settings import Settings
    from claimlint.errors import ConfigError

    p = tmp_path / ".claimlint.yaml"
    p.write_text("jobs: 3\ncache: false\ncache-dir: build\n")
    cfg = Settings.load(str(p))
    assert cfg.jobs == 3 and cfg.cache is False and cfg.cache_dir == str(tmp_path / "build")
    p.write_text("jobs: 0\n")
    with pytest.raises(ConfigError, match="'jobs' must be 1 or more"):
        Settings.load(str(p))
