"""The machine-readable formats (sarif, github, junit, json-lines) and concise: driven directly
with hand-made findings, and end to end through the command line."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from claimlint.findings import FileError, FileResult, Finding, Summary
from claimlint.formats import FORMAT_NAMES, FORMATS, FormatOptions, get_formatter
from claimlint.kinds.base import RuleMeta
from helpers import SHARED, run_cli

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CONTROL = "\x01\x1b[31m\x7f"
HOSTILE = f"87% of clients {SCRIPT} report {IMG} improvement {CONTROL} within four weeks."

BAD_DOC = ("# Our drops\n\nOur drops cure insomnia.\n\n"
           "87% of clients report improvement within four weeks.\n")
CLEAN_DOC = "# Opening hours\n\nWe are open from nine to five on weekdays.\n"


# -- helpers ---------------------------------------------------------------------------------

def finding(**kw) -> Finding:
    base = dict(path="docs/post.md", rule="claims/cure-claim", category="cure-claim",
                severity="error", message="'cure' promises a cure", line=3, column=11,
                end_line=3, end_column=15, excerpt="cure",
                suggestion="Say what the treatment may help with.", start=20, end=24,
                scope="span", context="Our drops cure insomnia.", context_start=10,
                context_end=14, fingerprint="932319f8b1c20b06ef27")
    base.update(kw)
    return Finding(**base)


def meta(rule_id="claims/cure-claim", **kw) -> RuleMeta:
    pack, name = rule_id.split("/")
    base = dict(id=rule_id, name=name, pack=pack, kind="phrase", category="cure-claim",
                severity="error", message="'{match}' promises a cure",
                rationale="Calling a product a cure is a disease claim.",
                references=["FTC Health Products Compliance Guidance (2022)", "UK CAP Code 12.1"],
                suggestion="Say what '{match}' may help with instead.",
                examples={"bad": ["Our drops cure insomnia."],
                          "good": ["Our drops are not a cure."]},
                url=None, enabled=True, path="rules/claims.yaml", line=20)
    base.update(kw)
    return RuleMeta(**base)


RULES = {
    "claims/cure-claim": meta(),
    "evidence/efficacy-statistic": meta("evidence/efficacy-statistic", kind="statistic",
                                        category="efficacy-statistic", severity="warning",
                                        message="Efficacy figure '{quantity}' has no citation",
                                        url="https://example.org/rules/efficacy statistic"),
    "claims/superlative-claim": meta("claims/superlative-claim", severity="info",
                                     category="superiority-claim"),
    "claims/never-used": meta("claims/never-used"),
}


def render(fmt: str, results: list[FileResult], **options) -> str:
    """Drive a formatter as the CLI does."""
    out = io.StringIO()
    opts = FormatOptions(rules=options.pop("rules", RULES), tool_version="0.1.0", **options)
    formatter = get_formatter(fmt)(out, opts)
    formatter.begin()
    summary = Summary()
    for r in results:
        formatter.file(r)
        summary.add(r)
    formatter.end(summary)
    return out.getvalue()


def unreadable(path: str, message: str) -> FileResult:
    """The result of a file that could not be checked at all."""
    return FileResult(path, errors=[FileError(path, message)])


def sample_results() -> list[FileResult]:
    return [
        FileResult("docs/clean.md"),
        FileResult("docs/post.md", findings=[
            finding(),
            finding(rule="evidence/efficacy-statistic", category="efficacy-statistic",
                    severity="warning", message="Efficacy figure '87%' has no citation",
                    line=5, column=1, end_line=5, end_column=53,
                    excerpt="87% of clients report improvement within four weeks.",
                    fingerprint="4c86896cc56171340f27"),
            finding(rule="claims/superlative-claim", category="superiority-claim",
                    severity="info", message="'the best' claims to be the best", line=7,
                    column=4, end_line=7, end_column=12, excerpt="the best",
                    fingerprint="aaaaaaaaaaaaaaaaaaaa"),
        ]),
        FileResult("docs/broken.md", errors=[FileError("docs/broken.md",
                                                             "not valid UTF-8", 2, 7)]),
    ]


def hostile_results() -> list[FileResult]:
    path = f'docs/{IMG},b:c%.txt'
    return [FileResult(path, findings=[finding(
        path=path, message=f"Efficacy figure '87%' has no citation {SCRIPT} {CONTROL}",
        excerpt=HOSTILE, suggestion=f"Cite it {IMG}", context=HOSTILE)])]


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the official SARIF schema is not at {SARIF_SCHEMA} (../shared is not "
                    "beside the project, as in CI): SARIF is not validated against it")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def write_project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def check(tmp_path: Path, fmt: str, *paths: str, **kw):
    return run_cli("check", "--isolated", "--format", fmt, *(paths or ["."]), cwd=tmp_path, **kw)


# -- the registry ----------------------------------------------------------------------------

def test_every_format_is_registered_and_importable():
    for name in ("text", "json", "sarif", "github", "junit", "json-lines", "concise"):
        assert name in FORMATS and name in FORMAT_NAMES
        cls = get_formatter(name)
        assert cls.name == name
    assert get_formatter("concise").machine is False
    for name in ("sarif", "github", "junit", "json-lines"):
        assert get_formatter(name).machine is True


def test_cli_lists_the_new_formats():
    proc = run_cli("check", "--help")
    for name in ("sarif", "github", "junit", "json-lines", "concise"):
        assert name in proc.stdout


# -- sarif -----------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema():
    log = json.loads(render("sarif", sample_results()))
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_empty_run_validates():
    log = json.loads(render("sarif", []))
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_tool_and_rule_metadata():
    run = json.loads(render("sarif", sample_results()))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimlint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/claimlint/claimlint"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in driver["rules"]}
    # only the rules that are referenced
    assert set(rules) == {"claims/cure-claim", "evidence/efficacy-statistic",
                          "claims/superlative-claim"}
    cure = rules["claims/cure-claim"]
    assert cure["name"] == "cure-claim"
    assert cure["shortDescription"]["text"] == "'\u2026' promises a cure"
    assert cure["fullDescription"]["text"] == "Calling a product a cure is a disease claim."
    assert cure["helpUri"] == ("https://github.com/claimlint/claimlint/blob/main/docs/rules.md"
                               "#claims-cure-claim")
    assert cure["defaultConfiguration"]["level"] == "error"
    assert cure["properties"] == {"category": "cure-claim", "kind": "phrase", "pack": "claims",
                                  "tags": ["compliance", "cure-claim"],
                                  "problem.severity": "error"}
    help_text, help_md = cure["help"]["text"], cure["help"]["markdown"]
    for part in ("Calling a product a cure", "How to fix", "Say what '\u2026' may help with",
                 "- FTC Health Products Compliance Guidance (2022)", "- UK CAP Code 12.1",
                 "Our drops cure insomnia.", "Our drops are not a cure."):
        assert part in help_text
    assert "**How to fix:**" in help_md and "- UK CAP Code 12\\.1" not in help_md
    assert "- UK CAP Code 12.1" in help_md
    stat = rules["evidence/efficacy-statistic"]
    assert stat["shortDescription"]["text"] == "Efficacy figure '\u2026' has no citation"
    assert stat["helpUri"] == "https://example.org/rules/efficacy%20statistic"  # the rule's url
    assert stat["defaultConfiguration"]["level"] == "warning"
    assert rules["claims/superlative-claim"]["defaultConfiguration"]["level"] == "note"
    assert rules["claims/superlative-claim"]["properties"]["problem.severity"] == "recommendation"


def test_sarif_results():
    run = json.loads(render("sarif", sample_results()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    first = results[0]
    assert first["message"]["text"] == "'cure' promises a cure"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/post.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 15,
                             "snippet": {"text": "cure"}}
    assert first["partialFingerprints"] == {"claimlintFingerprint/v1": "932319f8b1c20b06ef27"}
    assert first["properties"] == {"category": "cure-claim", "scope": "span"}


def test_sarif_diagnostics_become_notifications_once():
    results = sample_results()
    log = json.loads(render("sarif", results))  # diagnostics both in results and in end()
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    assert len(notes) == 1
    assert notes[0]["level"] == "error"
    assert "not valid UTF-8" in notes[0]["message"]["text"]
    loc = notes[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/broken.md"
    assert loc["region"] == {"startLine": 2, "startColumn": 7}
    # a diagnostic given only to end() is reported too
    log = json.loads(render("sarif", [unreadable("gone.md", "no such file or directory")]))
    assert_valid_sarif(log)
    assert len(log["runs"][0]["invocations"][0]["toolExecutionNotifications"]) == 1


def test_sarif_rule_missing_from_the_options_still_has_a_descriptor():
    f = finding(rule="local/unknown-rule")
    log = json.loads(render("sarif", [FileResult(f.path, findings=[f])], rules={}))
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["results"][0]["ruleIndex"] == 0
    assert run["tool"]["driver"]["rules"] == [{
        "id": "local/unknown-rule",
        "helpUri": "https://github.com/claimlint/claimlint/blob/main/docs/rules.md"
                   "#local-unknown-rule"}]


def test_rule_links_are_web_addresses_only():
    from claimlint.explain import RULES_DOC_URI, rule_url

    class Meta:
        def __init__(self, url):
            self.url = url

    assert rule_url(Meta("https://example.org/a b"), "p/r") == "https://example.org/a%20b"
    for hostile in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https:/x",
                    "//example.org/r", "vbscript:msgbox"):
        assert rule_url(Meta(hostile), "p/r") == RULES_DOC_URI + "p-r", hostile


def test_sarif_paths_are_relative_percent_encoded_uris():
    paths = ["docs/a b%.md", "docs/ünï.md", "C:/not-a-drive-on-posix.md", "../up.md",
             "/abs/path with space.md"]
    results = [FileResult(p, findings=[finding(path=p)]) for p in paths]
    log = json.loads(render("sarif", results))
    assert_valid_sarif(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"]]
    assert uris[0] == {"uri": "docs/a%20b%25.md", "uriBaseId": "%SRCROOT%"}
    assert uris[1] == {"uri": "docs/%C3%BCn%C3%AF.md", "uriBaseId": "%SRCROOT%"}
    assert uris[3] == {"uri": "../up.md", "uriBaseId": "%SRCROOT%"}
    if not uris[2]["uri"].startswith("file:"):  # POSIX: a folder named "C:"
        assert uris[2]["uri"] == "C%3A/not-a-drive-on-posix.md"
    assert uris[4]["uri"].startswith("file:///") and "%20" in uris[4]["uri"]
    assert "uriBaseId" not in uris[4]


def test_sarif_escapes_hostile_text():
    text = render("sarif", hostile_results(),
                  rules={"claims/cure-claim": meta(rationale=f"Rationale {SCRIPT}",
                                                   examples={"bad": [IMG], "good": []})})
    for raw in ("<script>", "<img", "\x01", "\x1b"):
        assert raw not in text
    log = json.loads(text)
    assert_valid_sarif(log)
    res = log["runs"][0]["results"][0]
    assert res["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == HOSTILE
    assert SCRIPT in res["message"]["text"] and CONTROL in res["message"]["text"]
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["fullDescription"]["text"] == f"Rationale {SCRIPT}"
    md = rule["help"]["markdown"]
    assert "<script>" not in md and "<img" not in md  # escaped for Markdown, not raw HTML
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_sarif_end_to_end_validates(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC, "docs/clean.md": CLEAN_DOC,
                             "notes/hostile.txt": HOSTILE + "\n"})
    proc = check(tmp_path, "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} == rule_ids
    assert "claims/cure-claim" in rule_ids
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and "{" not in rule["shortDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert "docs/bad.md" in uris and "notes/hostile.txt" in uris
    assert all(r["partialFingerprints"]["claimlintFingerprint/v1"] for r in run["results"])
    assert "<script>" not in proc.stdout


def test_sarif_end_to_end_output_file_and_diagnostics(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC})
    proc = check(tmp_path, "sarif", "docs", "missing.md", "-o", "report.sarif")
    assert proc.returncode == 2
    assert proc.stdout == ""
    log = json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for n in inv["toolExecutionNotifications"]] == ["missing.md"]


def _fingerprints(log: dict) -> dict[str, tuple[str, int]]:
    out = {}
    for r in log["runs"][0]["results"]:
        fp = r["partialFingerprints"]["claimlintFingerprint/v1"]
        out[fp] = (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
    return out


def test_sarif_fingerprints_are_stable(tmp_path):
    doc = tmp_path / "post.md"
    doc.write_text(BAD_DOC, encoding="utf-8")
    first = _fingerprints(json.loads(check(tmp_path, "sarif", "post.md").stdout))
    again = _fingerprints(json.loads(check(tmp_path, "sarif", "post.md").stdout))
    assert first and first == again
    assert len(first) == len(json.loads(check(tmp_path, "sarif", "post.md").stdout)
                             ["runs"][0]["results"])  # distinct per finding
    # lines added above every finding: same fingerprints, lines moved down
    doc.write_text("Welcome.\n\nWe are open on weekdays.\n\n" + BAD_DOC, encoding="utf-8")
    shifted = _fingerprints(json.loads(check(tmp_path, "sarif", "post.md").stdout))
    assert set(shifted) == set(first)
    moved = [fp for fp in first if first[fp][1] > 1]
    assert moved
    for fp in moved:
        assert shifted[fp] == (first[fp][0], first[fp][1] + 4)


# -- github ----------------------------------------------------------------------------------

def test_github_commands():
    out = render("github", sample_results())
    lines = out.splitlines()
    assert lines == [
        "::error file=docs/post.md,line=3,col=11,endLine=3,endColumn=15,"
        "title=claims/cure-claim::'cure' promises a cure",
        "::warning file=docs/post.md,line=5,col=1,endLine=5,endColumn=53,"
        "title=evidence/efficacy-statistic::Efficacy figure '87%25' has no citation",
        "::notice file=docs/post.md,line=7,col=4,endLine=7,endColumn=12,"
        "title=claims/superlative-claim::'the best' claims to be the best",
        "::error file=docs/broken.md,line=2,col=7::not valid UTF-8",
    ]


def test_github_escaping():
    f = finding(path="docs/a,b:c%.md", rule="pack:odd,rule",
                message="50% faster: cures pain, anxiety\nand more\r\nnow")
    line = render("github", [FileResult(f.path, findings=[f])])
    assert line.count("\n") == 1 and line.endswith("\n")
    props, message = line[2:].rstrip("\n").split("::", 1)
    assert message == "50%25 faster: cures pain, anxiety%0Aand more%0D%0Anow"
    assert props.startswith("error ")
    fields = dict(p.split("=", 1) for p in props[len("error "):].split(","))
    assert fields["file"] == "docs/a%2Cb%3Ac%25.md"
    assert fields["title"] == "pack%3Aodd%2Crule"
    assert set(fields) == {"file", "line", "col", "endLine", "endColumn", "title"}


def test_github_multiline_span_has_no_columns():
    f = finding(line=3, column=5, end_line=4, end_column=2)
    line = render("github", [FileResult(f.path, findings=[f])])
    assert line.startswith("::error file=docs/post.md,line=3,endLine=4,title=claims/cure-claim::")


def test_github_hostile_document_stays_one_command_per_finding():
    out = render("github", hostile_results())
    assert len(out.splitlines()) == 1
    assert out.startswith("::error file=docs/\"><img src=x onerror=alert(1)>%2Cb%3Ac%25.txt,")


def test_github_diagnostic_given_only_at_the_end():
    out = render("github", [unreadable("gone, really: yes.md", "no such file\nor folder")])
    assert out == "::error file=gone%2C really%3A yes.md::no such file%0Aor folder\n"


def test_github_end_to_end(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC, "docs/clean.md": CLEAN_DOC})
    proc = check(tmp_path, "github", "docs", "missing.md")
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    assert lines and all(re.match(r"::(error|warning|notice) file=", x) for x in lines)
    assert any(x.startswith("::error file=docs/bad.md,line=") and "title=claims/cure-claim::" in x
               for x in lines)
    assert "::error file=missing.md::" in proc.stdout
    assert not any("docs/clean.md" in x for x in lines)


# -- junit -----------------------------------------------------------------------------------

def _junit(text: str):
    junitparser = pytest.importorskip("junitparser")
    return junitparser.JUnitXml.fromstring(text.encode("utf-8"))


def test_junit_structure_and_counts():
    text = render("junit", sample_results())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("name") == "claimlint"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "3", "1")
    assert float(root.get("time")) >= 0

    xml = _junit(text)
    suites = {s.name: s for s in xml}
    assert set(suites) == {"docs/clean.md", "docs/post.md", "docs/broken.md"}
    clean = list(suites["docs/clean.md"])
    assert len(clean) == 1 and clean[0].is_passed
    assert suites["docs/clean.md"].tests == 1 and suites["docs/clean.md"].failures == 0
    post = suites["docs/post.md"]
    assert (post.tests, post.failures, post.errors) == (3, 3, 0)
    cases = list(post)
    assert [c.name for c in cases] == ["claims/cure-claim at 3:11",
                                       "evidence/efficacy-statistic at 5:1",
                                       "claims/superlative-claim at 7:4"]
    assert all(c.classname == "docs/post.md" and c.is_failure for c in cases)
    fail = cases[0].result[0]
    assert fail.message == "'cure' promises a cure" and fail.type == "error"
    assert "'cure' promises a cure" in fail.text
    assert "excerpt: cure" in fail.text and "help: Say what the treatment may help with." in fail.text
    assert cases[1].result[0].type == "warning"
    raw_case = root.find("testsuite[@name='docs/post.md']/testcase")
    assert raw_case.get("file") == "docs/post.md" and raw_case.get("line") == "3"
    broken = list(suites["docs/broken.md"])
    assert len(broken) == 1 and broken[0].is_error
    assert "not valid UTF-8" in broken[0].result[0].message
    assert suites["docs/broken.md"].errors == 1


def test_junit_counts_match_what_junitparser_recomputes():
    xml = _junit(render("junit", sample_results()))
    tests, failures, errors = xml.tests, xml.failures, xml.errors
    xml.update_statistics()
    assert (xml.tests, xml.failures, xml.errors) == (tests, failures, errors) == (5, 3, 1)


def test_junit_escapes_hostile_text():
    text = render("junit", hostile_results())
    assert "<script>" not in text and "<img" not in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    root = ET.fromstring(text.encode("utf-8"))  # well-formed
    suite = root.find("testsuite")
    assert suite.get("name") == f'docs/{IMG},b:c%.txt'
    failure = suite.find("testcase/failure")
    assert SCRIPT in failure.get("message")
    assert "\x01" not in failure.text and "\x1b" not in failure.text
    assert f"87% of clients {SCRIPT} report {IMG} improvement [31m\x7f within" in failure.text
    case = list(list(_junit(text))[0])[0]
    assert case.is_failure and SCRIPT in case.result[0].message


def test_junit_diagnostic_given_only_at_the_end():
    xml = _junit(render("junit", [FileResult("a.md"), unreadable("gone.md", "no such file")]))
    assert (xml.tests, xml.failures, xml.errors) == (2, 0, 1)
    suites = {s.name: s for s in xml}
    assert list(suites["gone.md"])[0].is_error


def test_junit_empty_run():
    xml = _junit(render("junit", []))
    assert (xml.tests, xml.failures, xml.errors) == (0, 0, 0)


def test_junit_end_to_end(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC, "docs/clean.md": CLEAN_DOC,
                             "docs/hostile.txt": HOSTILE + "\n"})
    proc = check(tmp_path, "junit", "docs")
    assert proc.returncode == 1, proc.stderr
    xml = _junit(proc.stdout)
    suites = {s.name: s for s in xml}
    assert set(suites) == {"docs/bad.md", "docs/clean.md", "docs/hostile.txt"}
    assert suites["docs/clean.md"].failures == 0 and all(c.is_passed for c in suites["docs/clean.md"])
    assert suites["docs/bad.md"].failures >= 2
    assert xml.failures == sum(s.failures for s in xml) == xml.tests - 1
    findings = json.loads(check(tmp_path, "json", "docs").stdout)["findings"]
    assert xml.failures == len(findings)
    assert "<script>" not in proc.stdout


# -- json-lines ------------------------------------------------------------------------------

def test_json_lines_one_object_per_finding():
    results = sample_results() + hostile_results()
    results[1].findings[0].message = "line\u2028separator\u0085and\nnewline"
    out = render("json-lines", results)
    lines = out.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(out.splitlines()) == len(lines) == 4  # no stray line breaks anywhere
    objs = [json.loads(x) for x in lines]
    expected = [f.to_dict() for r in results for f in r.findings]
    assert objs == expected
    assert "<script>" not in out


def test_json_lines_end_to_end_matches_json(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC, "docs/clean.md": CLEAN_DOC})
    proc = check(tmp_path, "json-lines", "docs", "missing.md")
    assert proc.returncode == 2
    objs = [json.loads(x) for x in proc.stdout.splitlines()]
    assert objs
    assert "missing.md" in proc.stderr and "missing.md" not in proc.stdout
    as_json = json.loads(check(tmp_path, "json", "docs").stdout)["findings"]
    assert objs == as_json


def test_json_lines_nothing_found_prints_nothing(tmp_path):
    write_project(tmp_path, {"clean.md": CLEAN_DOC})
    proc = check(tmp_path, "json-lines")
    assert proc.returncode == 0 and proc.stdout == ""


# -- concise ---------------------------------------------------------------------------------

CONCISE_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) "
                          r"\[(?P<rule>[^\]]+)\] (?P<msg>.+)$")


def test_concise_lines():
    out = render("concise", sample_results())
    lines = out.splitlines()
    assert lines == [
        "docs/post.md:3:11: error [claims/cure-claim] 'cure' promises a cure",
        "docs/post.md:5:1: warning [evidence/efficacy-statistic] Efficacy figure '87%' has no "
        "citation",
        "docs/post.md:7:4: info [claims/superlative-claim] 'the best' claims to be the best",
        "Found 3 problems.",
    ]


def test_concise_singular_and_silent_when_clean():
    one = [FileResult("a.md", findings=[finding(path="a.md")])]
    assert render("concise", one).splitlines()[-1] == "Found 1 problem."
    assert render("concise", [FileResult("clean.md")]) == ""


def test_concise_keeps_hostile_text_on_one_line_without_escape_sequences():
    results = hostile_results()
    results[0].findings[0].message = "first\nsecond \x1b[2J\u202e"
    out = render("concise", results)
    lines = out.splitlines()
    assert len(lines) == 2
    assert "\x1b" not in out and "\u202e" not in out
    assert lines[0].endswith("first second \\x1b[2J\\u202e")


def test_concise_colour_only_when_asked():
    results = sample_results()
    assert "\x1b[" not in render("concise", results)
    coloured = render("concise", results, color=True)
    assert "\x1b[" in coloured
    assert "error" in coloured and "[claims/cure-claim]" in coloured


def test_concise_end_to_end(tmp_path):
    write_project(tmp_path, {"docs/bad.md": BAD_DOC, "docs/clean.md": CLEAN_DOC})
    proc = check(tmp_path, "concise", "docs")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"Found \d+ problems?\.", lines[-1])
    for line in lines[:-1]:
        m = CONCISE_LINE.match(line)
        assert m, line
        assert m["path"] == "docs/bad.md"
    assert int(lines[-1].split()[1]) == len(lines) - 1
    assert "|" not in proc.stdout  # no context lines
    assert "\x1b[" not in proc.stdout  # not a terminal: no colour
    clean = check(tmp_path, "concise", "docs/clean.md")
    assert clean.returncode == 0 and clean.stdout == ""


# -- json ------------------------------------------------------------------------------------

@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_json_is_valid_whatever_line_separators_the_text_holds(odd):
    results = sample_results()
    f = results[1].findings[0]
    f.message = f"line{odd}separator"
    f.excerpt = f"cure{odd}all"
    results[1].path = f.path = f"docs/odd{odd}name.md"
    results.append(unreadable(f"docs/bad{odd}file.md", f"cannot read{odd}it"))
    out = render("json", results)
    data = json.loads(out)
    assert data["findings"][0]["message"] == f"line{odd}separator"
    assert data["findings"][0]["excerpt"] == f"cure{odd}all"
    assert data["findings"][0]["path"] == f"docs/odd{odd}name.md"
    assert data["diagnostics"][-1]["message"] == f"cannot read{odd}it"
    assert "\u2028" not in out and "\u2029" not in out and "\u0085" not in out


def test_json_end_to_end_with_a_line_separator_in_the_text(tmp_path):
    write_project(tmp_path, {"docs/bad\u2028name.md": "Our drops cure\u2028insomnia.\u0085 It is a cure.\n"})
    proc = check(tmp_path, "json", "docs")
    data = json.loads(proc.stdout)
    assert data["findings"] and proc.returncode == 1
