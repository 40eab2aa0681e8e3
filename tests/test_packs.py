"""Rule packs: loading, validation errors with file:line, built-in packs."""
from __future__ import annotations

import textwrap

import pytest

from claimlint.errors import PackError
from claimlint.packs import builtin_names, load_pack, load_pack_text

HEADER = """\
pack: demo
rules:
"""
RULE = """\
  - id: r1
    kind: phrase
    category: cure-claim
    message: "found {match}"
    rationale: Because.
    references: [FTC guidance]
    phrases: [cure]
    examples: {bad: [It cures.], good: [Fine.]}
"""


def load(text: str):
    return load_pack_text(textwrap.dedent(text), "pack.yaml")


def error_of(text: str) -> PackError:
    with pytest.raises(PackError) as exc:
        load(text)
    return exc.value


def test_valid_pack_loads_with_namespaced_ids():
    pack = load(HEADER + RULE)
    assert pack.name == "demo"
    assert [r.meta.id for r in pack.rules] == ["demo/r1"]
    assert pack.rules[0].meta.severity == "warning"


@pytest.mark.parametrize("mutation,line,fragment", [
    (("    phrases: [cure]", "    phrase: [cure]"), 9, "unknown key 'phrase' (did you mean 'phrases'?)"),
    (("    kind: phrase", "    kind: phrases"), 4, "unknown kind 'phrases'"),
    (("    category: cure-claim", "    category: cure-claims"), 5, "unknown category 'cure-claims'"),
    (("    references: [FTC guidance]", "    references: 3"), 8, "'references' must be a list of strings"),
    (("    message: \"found {match}\"", "    message: \"found {nope}\""), 6, "unknown placeholder {nope}"),
    (("    severity: warning\n" if False else "    rationale: Because.", "    rationale: [a]"), 7,
     "'rationale' must be a string"),
])
def test_validation_errors_name_the_line(mutation, line, fragment):
    old, new = mutation
    err = error_of(HEADER + RULE.replace(old, new))
    assert err.path == "pack.yaml" and err.line == line
    assert fragment in err.message
    assert str(err).startswith(f"pack.yaml:{line}: ")


def test_missing_required_key():
    err = error_of(HEADER + RULE.replace("    rationale: Because.\n", ""))
    assert "missing required key 'rationale'" in err.message and err.line == 3


def test_duplicate_ids():
    err = error_of(HEADER + RULE + RULE)
    assert err.line == 11 and "duplicate rule id 'r1' (first defined on line 3)" in err.message


def test_duplicate_yaml_keys():
    err = error_of(HEADER + RULE.replace("    rationale: Because.", "    rationale: A.\n    rationale: B."))
    assert err.line == 8 and "duplicate key 'rationale'" in err.message


def test_malformed_yaml():
    err = error_of("pack: demo\nrules: [\n  - id: x\n")
    assert err.message.startswith("invalid YAML") and err.line is not None


def test_invalid_regex():
    rule = RULE.replace("    kind: phrase", "    kind: regex").replace("    phrases: [cure]", "    regex: ['(unclosed']")
    err = error_of(HEADER + rule)
    assert err.line == 9 and "invalid regex '(unclosed'" in err.message


def test_yaml_1_1_booleans_stay_words():
    pack = load(HEADER + RULE.replace("[cure]", "[no, off, yes]"))
    assert pack.rules[0].terms.phrases == ["no", "off", "yes"]


def test_unsafe_yaml_tags_are_rejected():
    err = error_of("pack: !!python/object/apply:os.system ['echo hi']\nrules: []\n")
    assert "invalid YAML" in err.message


def test_extra_categories_must_be_declared():
    rule = RULE.replace("category: cure-claim", "category: brand-voice")
    assert "unknown category" in error_of(HEADER + rule).message
    pack = load("pack: demo\ncategories: [brand-voice]\nrules:\n" + rule)
    assert pack.rules[0].meta.category == "brand-voice"


def test_defaults_apply_to_every_rule():
    pack = load("pack: demo\ndefaults: {severity: error}\nrules:\n" + RULE)
    assert pack.rules[0].meta.severity == "error"


def test_examples_need_a_bad_one():
    err = error_of(HEADER + RULE.replace("{bad: [It cures.], good: [Fine.]}", "{good: [Fine.]}"))
    assert "at least one 'bad' example" in err.message


def pattern_pack(token: str) -> str:
    """The demo pack with its rule turned into a pattern rule of one token spec."""
    return HEADER + RULE.replace("    kind: phrase", "    kind: pattern").replace(
        "    phrases: [cure]", "    patterns:\n      - [" + token + "]")


@pytest.mark.parametrize("token,fragment", [
    ("{POS: {IN: 5}}", "IN takes a list"),
    ("{LOWER: cure, OP: '++'}", "OP must be one of"),
    ("{TEXT: {REGEX: '(open'}}", "invalid REGEX"),
    ("{IS_DIGIT: maybe}", "must be true or false"),
    ("{LOWER: {ISIN: [a]}}", "unknown predicate 'ISIN'"),
])
def test_invalid_token_patterns_are_caught_on_load(token, fragment):
    err = error_of(pattern_pack(token))
    assert err.line == 10 and fragment in err.message


def test_unknown_pattern_attribute_is_caught_on_load():
    err = error_of(pattern_pack("{LOWR: cure}"))
    assert "unknown token attribute 'LOWR'" in err.message and "LOWER" in err.message


def test_builtin_packs_load_and_unknown_ones_fail():
    for name in builtin_names():
        assert load_pack(name).rules
    with pytest.raises(PackError, match="unknown built-in pack 'nope'"):
        load_pack("nope")


def test_user_pack_by_path(tmp_path):
    p = tmp_path / "brand.yaml"
    p.write_text(HEADER + RULE, encoding="utf-8")
    assert load_pack(str(p)).name == "demo"
    with pytest.raises(PackError, match="not found"):
        load_pack(str(tmp_path / "missing.yaml"))


@pytest.mark.parametrize("mutation,fragment", [
    (("message: \"found {match}\"", "message: \"found {match\""), "message: "),
    (("references: [FTC guidance]", "references: []"), "'references' must name at least one"),
])
def test_more_rule_errors(mutation, fragment):
    err = error_of(HEADER + RULE.replace(*mutation))
    assert fragment in err.message and err.line


@pytest.mark.parametrize("token,fragment", [
    ("{_: {negatd: false}}", "unknown extension 'negatd'"),
    ("{DEP: nsubj}", "no dependency parser"),
    ("{LENGTH: long}", "LENGTH takes a number"),
])
def test_token_pattern_attribute_values(token, fragment):
    assert fragment in error_of(pattern_pack(token)).message


def test_fuzzy_regex_has_no_prefilter_literals():
    from claimlint.saferegex import regex_literals

    assert regex_literals("(?:clinically proven){e<=1}") is None
    assert regex_literals(r"clinically\s+proven") == frozenset({"clinically"})


def test_pack_path_on_the_command_line_is_relative_to_the_working_directory(tmp_path):
    from helpers import run_cli

    (tmp_path / "sub").mkdir()
    (tmp_path / ".claimlint.yaml").write_text("fail-on: error\n")
    (tmp_path / "sub" / "local.yaml").write_text(textwrap.dedent(HEADER + RULE))
    proc = run_cli("rules", "--pack", "./local.yaml", cwd=tmp_path / "sub")
    assert proc.returncode == 0 and "demo/r1" in proc.stdout


# -- YAML values that used to escape as bare exceptions ------------------------------------------

@pytest.mark.parametrize("value,fragment", [
    ("1" * 5000, "a number of 5,000 characters is too long"),
    ("0x" + "f" * 5000, "too long"),
    ("1:" * 3000 + "1", "too long"),
    ("2001-12-14t21:59:43.10-99:00", "is not a valid timestamp"),
    ("9999-99-99", "is not a valid timestamp (month must be in 1..12)"),
])
def test_yaml_values_that_cannot_be_built_name_their_line(value, fragment):
    from claimlint.errors import ClaimlintError
    from claimlint.yamlutil import load_yaml

    with pytest.raises(ClaimlintError) as exc:
        load_yaml(f"pack: p\nrules:\n  - x: {value}\n", "p.yaml")
    assert exc.value.path == "p.yaml" and exc.value.line == 3
    assert fragment in exc.value.message


def test_a_huge_integer_in_a_configuration_is_one_clear_error(tmp_path):
    from conftest import run_cli

    (tmp_path / ".claimlint.yaml").write_text("jobs: " + "9" * 5000 + "\n")
    (tmp_path / "a.md").write_text("Hello.\n")
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("claimlint: error: .claimlint.yaml:1:7: invalid YAML: a number")


def test_a_huge_pack_file_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    from claimlint import packs
    from claimlint.errors import PackError

    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_text("pack: big\nrules: []\n" + "# padding\n" * 500)
    packs._load_file.cache_clear()
    with pytest.raises(PackError, match="rule pack is over"):
        packs.load_pack(str(big))
