"""The library interface: Settings resolved once, a Linter that checks texts and files."""
from __future__ import annotations

import os
import pickle

import pytest

import claimlint
from claimlint import ClaimlintError, FileResult, Linter, Settings
from claimlint.errors import ConfigError, UsageError
from helpers import run_json

CLAIMS = "Our drops cure insomnia. Studies show they work.\n"


def test_public_names_are_importable_lazily():
    for name in claimlint.__all__:
        assert getattr(claimlint, name) is not None
    with pytest.raises(AttributeError):
        claimlint.Nothing  # noqa: B018


def test_check_text_returns_findings_with_positions():
    result = Linter(Settings(packs=["starter"])).check_text(CLAIMS, path="post.md")
    assert isinstance(result, FileResult) and not result.errors
    cure = next(f for f in result.findings if f.rule == "starter/cure-words")
    assert (cure.line, cure.column, cure.excerpt) == (1, 11, "cure")
    assert CLAIMS[cure.start:cure.end] == "cure"
    assert cure.to_dict()["category"] == "cure-claim"


def test_format_comes_from_the_path_or_is_given():
    linter = Linter(Settings(packs=["starter"]))
    html = "<p>Our drops <b>cure</b> insomnia.</p>"
    as_html = linter.check_text(html, path="page.html").findings
    as_text = linter.check_text(html, path="page", format="html").findings
    assert [(f.line, f.column) for f in as_html] == [(f.line, f.column) for f in as_text] == [(1, 17)]


def test_the_convenience_function():
    found = claimlint.check_text(CLAIMS, "x.md", settings=Settings(packs=["starter"]))
    assert {f.rule for f in found} >= {"starter/cure-words"}


def test_settings_are_immutable_and_picklable(tmp_path):
    s = Settings(root=str(tmp_path), packs=["starter"], ignore=["starter/studies-show"],
                 severity={"starter/cure-words": "info"})
    with pytest.raises(AttributeError):
        s.packs = ("claims",)  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(s))
    assert again == s
    a = Linter(s).check_text(CLAIMS, "x.md").findings
    b = Linter(again).check_text(CLAIMS, "x.md").findings
    assert [f.to_dict() for f in a] == [f.to_dict() for f in b]
    assert [f.severity for f in a] == ["info"]


def test_overrides_extend_or_replace_as_documented(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".claimlint.yaml").write_text(
        "packs: [starter]\nignore: [starter/studies-show]\nexclude: [drafts/]\n")
    s = Settings.load(ignore=["starter/cure-words"], exclude=["old/"], select=["starter/*"])
    assert s.ignore == ("starter/studies-show", "starter/cure-words")  # added to
    assert s.exclude == ("drafts/", "old/")
    assert s.select == ("starter/*",)                                   # replaced
    assert s.packs == ("starter",) and s.config_file == ".claimlint.yaml"
    assert Settings.load(isolated=True).packs is None
    with pytest.raises(TypeError, match="did you mean 'fail_on'"):
        s.with_options(fail_onn="warning")


def test_pack_paths_become_absolute(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".claimlint.yaml").write_text("packs: [./house.yaml, starter]\n")
    monkeypatch.chdir(tmp_path)
    s = Settings.load(start="site", extend_packs=["extra/more.yaml"])
    assert s.packs == (str(tmp_path / "site" / "house.yaml"), "starter")
    assert s.extend_packs == (str(tmp_path / "extra" / "more.yaml"),)


def test_configuration_is_found_from_the_checked_path(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "posts").mkdir(parents=True)
    (site / ".claimlint.yaml").write_text("packs: [starter]\nignore: [starter/cure-words]\n")
    (site / "posts" / "a.md").write_text(CLAIMS)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    s = Settings.load(start=str(site / "posts" / "a.md"))
    assert s.ignore == ("starter/cure-words",) and s.root == str(site)
    # The command line does the same: the site's configuration applies from any folder.
    report, proc = run_json(str(site / "posts"), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr  # a warning only
    assert {f["rule"] for f in report["findings"]} == {"starter/studies-show"}


def test_bad_values_are_clear_errors(tmp_path):
    with pytest.raises(UsageError, match="fail-on must be one of"):
        Settings(fail_on="sometimes")
    with pytest.raises(UsageError, match="max-file-size"):
        Settings(max_file_size=float("inf"))
    with pytest.raises(UsageError, match="severity for 'x'"):
        Settings(severity={"x": "loud"})
    bad = tmp_path / ".claimlint.yaml"
    bad.write_text("max-file-size: .inf\n")
    with pytest.raises(ConfigError, match="'max-file-size' must be more than 0") as exc:
        Settings.load(str(bad))
    assert exc.value.line == 1
    with pytest.raises(ClaimlintError, match="unknown rule, pack or category"):
        Linter(Settings(select=["claims/cure-claimz"]))


def test_check_paths_yields_results_in_path_order(tmp_path):
    for name in ("b.md", "a.md", "c.txt"):
        (tmp_path / name).write_text(CLAIMS)
    (tmp_path / "bin.md").write_bytes(b"\x00\x01")
    linter = Linter(Settings(root=str(tmp_path), packs=["starter"]))
    results = list(linter.check_paths([str(tmp_path)]))
    assert [os.path.basename(r.path) for r in results] == ["a.md", "b.md", "bin.md", "c.txt"]
    assert results[2].errors and "binary" in results[2].errors[0].message
    assert all(r.findings for r in results if not r.errors)


def test_a_linter_writes_nothing_unless_asked(tmp_path):
    (tmp_path / "a.md").write_text(CLAIMS)
    list(Linter(Settings(root=str(tmp_path))).check_paths([str(tmp_path)]))
    assert not (tmp_path / ".claimlint_cache").exists()
    list(Linter(Settings(root=str(tmp_path)), cache=True).check_paths([str(tmp_path)]))
    assert (tmp_path / ".claimlint_cache").is_dir()


def test_rule_lookup():
    linter = Linter(Settings(packs=["starter"]))
    assert linter.rule("starter/cure-words").meta.category == "cure-claim"
    assert linter.rule("cure-words") is linter.rule("starter/cure-words")
    assert linter.rule("nope") is None


def test_a_check_the_caller_no_longer_wants_stops_with_cancelled():
    import claimlint

    linter = claimlint.Linter(claimlint.Settings())
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 2  # let the analysis and one rule through, then stop

    with pytest.raises(claimlint.Cancelled):
        linter.check_text("Our drops cure insomnia. " * 20, "a.md", cancelled=cancelled)
    assert len(asked) == 3
    # Never cancelled: the same findings as without the hook.
    assert linter.check_text("Our drops cure insomnia.", "a.md", cancelled=lambda: False).findings \
        == linter.check_text("Our drops cure insomnia.", "a.md").findings


def test_included_and_excluded_answer_as_a_folder_walk_does(tmp_path):
    import claimlint

    linter = claimlint.Linter(claimlint.Settings(root=str(tmp_path), exclude=("drafts/",)))
    assert linter.files.included(str(tmp_path / "post.md"))
    assert not linter.files.included(str(tmp_path / "notes.rst"))
    assert linter.files.excluded(str(tmp_path / "drafts" / "post.md"))
    assert linter.files.excluded(str(tmp_path / ".venv" / "x.md"))
    assert not linter.files.excluded(str(tmp_path / "post.md"))
