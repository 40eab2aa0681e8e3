"""Configuration files: discovery, validation, selection, overrides."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimlint.config import find_config
from claimlint.linter import Linter
from claimlint.settings import Settings
from claimlint.errors import ConfigError, UsageError

PROBE = str(Path(__file__).parent / "packs" / "probe.yaml")


def test_discovery_walks_up_and_nearest_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.claimlint]\nfail-on = 'warning'\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(str(sub)) == str(tmp_path / "pyproject.toml")
    (tmp_path / "a" / ".claimlint.yaml").write_text("fail-on: info\n")
    assert find_config(str(sub)) == str(tmp_path / "a" / ".claimlint.yaml")


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(str(tmp_path)) in (None,) or not find_config(str(tmp_path)).startswith(str(tmp_path))


def test_yaml_config_values(tmp_path):
    p = tmp_path / ".claimlint.yaml"
    p.write_text(
        "packs: [starter]\nselect: [starter/*]\nignore: [starter/studies-show]\n"
        "severity: {starter/cure-words: info}\nfail-on: warning\ninclude: ['*.md']\n"
        "exclude: [drafts/]\noverrides:\n  - files: ['legal/**']\n    ignore: [starter]\n"
        "max-file-size: 5\n")
    cfg = Settings.load(str(p))
    assert cfg.packs == ("starter",) and cfg.fail_on == "warning" and cfg.max_bytes == 5_000_000
    assert cfg.overrides[0].files == ("legal/**",) and cfg.root == str(tmp_path)


def test_pyproject_config_with_snake_case(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text("[tool.claimlint]\nfail_on = 'info'\nignore = ['starter/cure-words']\n")
    cfg = Settings.load(str(p))
    assert cfg.fail_on == "info" and cfg.ignore == ("starter/cure-words",)


@pytest.mark.parametrize("text,line,fragment", [
    ("fail-on: warning\nfial-on: error\n", 2, "unknown key 'fial-on'"),
    ("fail-on: sometimes\n", 1, "'fail-on' must be one of"),
    ("severity: {x: loud}\n", 1, "severity for 'x' must be one of"),
    ("overrides:\n  - paths: [a]\n", 2, "overrides: unknown key 'paths'"),
    ("select: 3\n", 1, "'select' must be a list of strings"),
    ("include: [\n", 2, "invalid YAML"),
])
def test_config_errors_name_file_and_line(tmp_path, text, line, fragment):
    p = tmp_path / ".claimlint.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as exc:
        Settings.load(str(p))
    assert exc.value.line == line and fragment in exc.value.message
    assert exc.value.path.endswith(".claimlint.yaml")


def test_toml_errors(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text("[tool.claimlint]\nbogus = 1\n")
    with pytest.raises(ConfigError, match="unknown key 'bogus'"):
        Settings.load(str(p))
    p.write_text("[tool.claimlint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        Settings.load(str(p))


def ids(engine, path="doc.md"):
    return [ar.id for ar in engine.rules_for(path)]


def test_select_ignore_globs_packs_categories():
    e = Linter(Settings(packs=["starter"], select=["starter/*"], ignore=["category:cure-claim"]))
    assert "starter/cure-words" not in ids(e) and "starter/studies-show" in ids(e)
    e = Linter(Settings(packs=["starter"], select=["starter/cure-words"]))
    assert ids(e) == ["starter/cure-words"]
    e = Linter(Settings(packs=["starter"], ignore=["starter"]))
    assert ids(e) == []


def test_unknown_rule_ids_are_usage_errors():
    with pytest.raises(UsageError, match="unknown rule, pack or category 'starter/cure-word'.*did you mean"):
        Linter(Settings(packs=["starter"], select=["starter/cure-word"]))
    # Globs that match nothing are fine (a pack may not be installed everywhere).
    Linter(Settings(packs=["starter"], ignore=["other/*"]))


def test_severity_overrides_and_per_path_overrides(tmp_path):
    p = tmp_path / ".claimlint.yaml"
    p.write_text("packs: [starter]\nseverity: {starter/*: info}\noverrides:\n"
                 "  - files: ['legal/**']\n    ignore: [starter/cure-words]\n    severity: {starter/studies-show: error}\n")
    e = Linter(Settings.load(str(p)))
    assert {ar.severity for ar in e.rules_for("doc.md")} == {"info"}
    legal = {ar.id: ar.severity for ar in e.rules_for("legal/terms.md")}
    assert "starter/cure-words" not in legal and legal["starter/studies-show"] == "error"


def test_toml_errors_name_the_line_of_the_value(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text('[project]\nname = "x"\n\n[tool.claimlint]\nignore = ["claims"]\n'
                 'fail-on = "sometimes"\n')
    with pytest.raises(ConfigError) as exc:
        Settings.load(str(p))
    assert exc.value.line == 6
    p.write_text('[tool.claimlint]\nignore = ["claims"]\n\n[[tool.claimlint.overrides]]\n'
                 'files = ["a/**"]\n\n[[tool.claimlint.overrides]]\nfiles = ["b/**"]\n'
                 'severity = {x = "loud"}\n')
    with pytest.raises(ConfigError) as exc:
        Settings.load(str(p))
    assert exc.value.line == 9 and "severity for 'x'" in exc.value.message
    p.write_text("[tool]\nclaimlint = 5\n")
    with pytest.raises(ConfigError, match="must be a table"):
        Settings.load(str(p))
