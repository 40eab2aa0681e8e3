"""``--format html``: the self-contained HTML report.

Driven directly with real documents and findings (highlights, overlapping spans, escaping,
banners, the summary, a 500-file report, streaming), end to end through the command line, and in
a real browser (headless Chromium: the DOM it builds and a screenshot), skipped when there is no
Chromium."""
from __future__ import annotations

import gc
import io
import os
import re
import shutil
import subprocess
import weakref
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claimlint import sources
from claimlint.settings import Settings
from claimlint.linter import Linter
from claimlint.findings import FileError, FileResult, Finding, Summary
from claimlint.formats import FORMAT_NAMES, FORMATS, FormatOptions, get_formatter
from claimlint.formats.html import CATEGORIES, HtmlFormatter, segments
from claimlint.kinds.base import RuleMeta
from helpers import ROOT, run_cli

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ARTIFACTS = ROOT / "test-artifacts"

DOC = ("# Sleep drops\n\n"
       "Our drops cure insomnia and are completely safe.\n\n"
       "87% of clients report improvement within four weeks. "
       "Studies show it works better than pills.\n")

# -- an HTML tree from the stdlib parser, with tag balance checked --------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Tree(HTMLParser):
    """Every element (tag, attributes, parent, text inside it); unbalanced tags are errors."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.errors: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append("unclosed: " + ", ".join(e["tag"] for e in self.stack))

    def _element(self, tag, attrs) -> dict:
        el = {"tag": tag, "attrs": dict(attrs), "parent": self.stack[-1] if self.stack else None,
              "text": [], "pos": self.getpos()}
        self.elements.append(el)
        return el

    def handle_starttag(self, tag, attrs):
        el = self._element(tag, attrs)
        if tag == "mark" and any(e["tag"] == "mark" for e in self.stack):
            self.errors.append(f"<mark> inside <mark> at {self.getpos()}")
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes "
                               f"{self.stack[-1]['tag'] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for el in self.stack:
            el["text"].append(data)

    # queries
    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[dict]:
        out = []
        for el in self.elements:
            if tag and el["tag"] != tag:
                continue
            if cls and cls not in el["attrs"].get("class", "").split():
                continue
            if any(el["attrs"].get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(el)
        return out

    def by_id(self, id_: str) -> dict | None:
        found = [el for el in self.elements if el["attrs"].get("id") == id_]
        assert len(found) <= 1, f"duplicate id {id_!r}"
        return found[0] if found else None


def text(el: dict) -> str:
    return "".join(el["text"])


def inside(el: dict, ancestor: dict) -> bool:
    p = el["parent"]
    while p is not None:
        if p is ancestor:
            return True
        p = p["parent"]
    return False


def well_formed(report: str) -> Tree:
    tree = Tree(report)
    assert not tree.errors, tree.errors[:5]
    ids = [el["attrs"]["id"] for el in tree.elements if "id" in el["attrs"]]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes[:5]}"
    return tree


# -- building results ------------------------------------------------------------------------

_ENGINE = None


def engine() -> Linter:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Linter(Settings())
    return _ENGINE


def checked(text: str, path: str = "docs/post.md") -> FileResult:
    """A FileResult as the CLI hands it to a formatter that needs documents."""
    doc = sources.parse(text, path)
    result = engine().check_document(doc)
    result.document = doc
    return result


def rules() -> dict:
    return {r.meta.id: r.meta for r in engine().rules}


def render(results: list[FileResult], rule_metas: dict | None = None, **options) -> str:
    from test_formats import render as render_format

    return render_format("html", results,
                         rules=rules() if rule_metas is None else rule_metas, **options)


def finding(doc, start: int, end: int, **kw) -> Finding:
    line, col = doc.position(start)
    end_line, end_col = doc.position(end)
    base = dict(path=doc.path, rule="claims/cure-claim", category="cure-claim", severity="error",
                message=f"{doc.text[start:end]!r} is a finding", line=line, column=col,
                end_line=end_line, end_column=end_col, excerpt=doc.text[start:end],
                suggestion="Say what it may help with.", start=start, end=end, scope="span")
    base.update(kw)
    return Finding(**base)


def meta(rule_id: str, **kw) -> RuleMeta:
    pack, name = rule_id.split("/")
    base = dict(id=rule_id, name=name, pack=pack, kind="phrase", category="cure-claim",
                severity="error", message="'{match}' promises a cure",
                rationale="Calling a product a cure is a disease claim.",
                references=["FTC Health Products Compliance Guidance (2022)"],
                suggestion="Say what '{match}' may help with instead.", examples={},
                url=None, enabled=True, path="rules/claims.yaml", line=1)
    base.update(kw)
    return RuleMeta(**base)


def marks_of(tree: Tree, fid: str) -> list[dict]:
    return [m for m in tree.find("mark") if fid in m["attrs"].get("data-f", "").split()]


def finding_ids(tree: Tree, doc_n: int = 1) -> list[str]:
    return [el["attrs"]["id"] for el in tree.elements
            if re.fullmatch(rf"d{doc_n}f\d+", el["attrs"].get("id", ""))]


# -- the registry ----------------------------------------------------------------------------

def test_html_is_a_registered_human_format_that_needs_documents():
    assert "html" in FORMATS and "html" in FORMAT_NAMES
    cls = get_formatter("html")
    assert cls is HtmlFormatter and cls.name == "html"
    assert cls.machine is False and cls.needs_documents is True
    assert "html" in run_cli("check", "--help").stdout


def test_segments_cut_at_every_boundary():
    assert segments(10, [(2, 5, "a"), (4, 8, "b")]) == [
        (0, 2, []), (2, 4, ["a"]), (4, 5, ["a", "b"]), (5, 8, ["b"]), (8, 10, [])]
    # nested, clamped, empty spans widened to one character, nothing at all
    assert segments(6, [(0, 6, "a"), (2, 3, "b"), (4, 99, "c"), (-5, 1, "d")]) == [
        (0, 1, ["a", "d"]), (1, 2, ["a"]), (2, 3, ["a", "b"]), (3, 4, ["a"]), (4, 6, ["a", "c"])]
    assert segments(4, [(2, 2, "z"), (4, 4, "e")]) == [(0, 2, []), (2, 3, ["z"]), (3, 4, ["e"])]
    assert segments(0, [(0, 0, "x")]) == []
    assert segments(3, []) == [(0, 3, [])]


# -- highlights ------------------------------------------------------------------------------

def test_every_span_finding_is_highlighted_with_its_own_text():
    result = checked(DOC)
    spans = [f for f in result.findings if f.scope == "span"]
    assert len(spans) >= 4, [f.rule for f in result.findings]
    tree = well_formed(render([result]))
    ids = finding_ids(tree)
    assert len(ids) == len(result.findings)
    for fid, f in zip(ids, result.findings):
        if f.scope != "span":
            continue
        marks = marks_of(tree, fid)
        assert marks, f"no highlight for {f.rule}"
        assert "".join(text(m) for m in marks) == DOC[f.start:f.end]
        for m in marks:
            cls = m["attrs"]["class"].split()
            assert "hl" in cls
            # hover: the title names the message, the rule, its rationale, regulation and rewrite
            title = m["attrs"]["title"]
            assert f.message in title and f.rule in title
            meta_ = rules()[f.rule]
            assert " ".join(meta_.rationale.split()) in title
            assert all(" ".join(r.split()) in title for r in meta_.references)
            assert f.suggestion in title
        # click: the highlight links to the finding's card, which explains it in full
        link = [el for el in tree.find("a") if inside(el, marks[0])][0]
        card = tree.by_id(link["attrs"]["href"][1:])
        assert card is not None and "card" in card["attrs"]["class"].split()
        assert f.message in text(card) and f.rule in text(card)
        assert " ".join(rules()[f.rule].rationale.split()) in text(card)
        assert f.suggestion in text(card)
    cure = [f for f in spans if f.category == "cure-claim"][0]
    cure_marks = marks_of(tree, ids[result.findings.index(cure)])
    assert "c-cure-claim" in cure_marks[0]["attrs"]["class"].split()
    # the original text, all of it, in a pre-wrap block
    block = tree.find("div", cls="text")[0]
    assert text(block) == DOC
    assert "white-space:pre-wrap" in render([result]).replace(" ", "")


def test_overlapping_findings_are_split_into_well_formed_segments():
    doc = sources.parse("Our miracle drops cure insomnia forever and are completely safe.\n",
                        "post.txt")
    t = doc.text
    spans = [(4, 31), (12, 22), (18, 22), (23, 57), (64, 64), (40, 500)]
    findings = [finding(doc, a, b, rule=f"claims/r{i}",
                        category=list(CATEGORIES)[i % 5]) for i, (a, b) in enumerate(spans)]
    report = render([FileResult(doc.path, findings=findings, document=doc)], rule_metas={})
    tree = well_formed(report)
    assert text(tree.find("div", cls="text")[0]) == t
    for i, (a, b) in enumerate(spans):
        a, b = min(a, len(t)), min(b, len(t))
        if a == b:  # an empty span is shown as one character
            a, b = (a, a + 1) if a < len(t) else (a - 1, a)
        got = "".join(text(m) for m in marks_of(tree, f"d1f{i + 1}"))
        assert got == t[a:b], (i, got, t[a:b])
    # the piece "cure" is covered by three findings: one mark, marked as shared
    cure = [m for m in tree.find("mark") if text(m) == "cure"][0]
    assert cure["attrs"]["data-f"].split() == ["d1f1", "d1f2", "d1f3"]
    assert "multi" in cure["attrs"]["class"].split()
    assert cure["attrs"]["title"].count("[claims/r") == 3
    # the narrowest finding gives the colour and the link
    assert "c-cure-claim" in cure["attrs"]["class"].split()  # r2 -> categories[2]
    assert [el for el in tree.find("a") if inside(el, cure)][0]["attrs"]["href"] == "#d1f3"


def test_crlf_line_endings_are_not_doubled_at_a_highlight_boundary():
    doc = sources.parse("Our drops cure insomnia.\r\nThey work.\r\n", "post.txt")
    f = finding(doc, 10, 26)  # "cure insomnia.\r" ends between CR and LF
    tree = well_formed(render([FileResult(doc.path, findings=[f], document=doc)],
                              rule_metas={}))
    shown = text(tree.find("div", cls="text")[0])
    # a browser reads CRLF and a lone CR as one line break each
    shown = shown.replace("\r\n", "\n").replace("\r", "\n")
    assert shown == "Our drops cure insomnia.\nThey work.\n"


def test_real_overlapping_findings_from_the_engine_stay_well_formed():
    text_ = ("Clinically proven: 90% of users are cured of insomnia for good, guaranteed.\n"
             "Studies show our drops are completely safe and better than pills.\n")
    result = checked(text_, "post.txt")
    tree = well_formed(render([result]))
    for fid, f in zip(finding_ids(tree), result.findings):
        if f.scope == "span":
            assert "".join(text(m) for m in marks_of(tree, fid)) == text_[f.start:f.end]


# -- escaping --------------------------------------------------------------------------------

HOSTILE = (f"Our drops cure insomnia {SCRIPT} for good.\n\n"
           f"87% of clients report {IMG} improvement within four weeks.\n"
           "Colour \x1b[31mred\x1b[0m, a NUL \x00, a bidi \u202e override and a lone \udcff.\n")


def hostile_report(**options) -> tuple[str, FileResult]:
    path = f'docs/{IMG}{SCRIPT}\udcff.txt'
    doc = sources.parse(HOSTILE, path)
    result = engine().check_document(doc)
    assert result.findings, "the hostile document should have findings"
    result.document = doc
    for f in result.findings:  # and hostile text from the pack, in every field
        f.message += f" {SCRIPT}"
        f.suggestion = f"Rewrite {IMG}"
    metas = {rid: meta(rid, rationale=f"Because {SCRIPT} \x1b[1m",
                       references=[f"Rule {IMG}"], url="javascript:alert(1)")
             for rid in {f.rule for f in result.findings}}
    diag = FileError(f"docs/{SCRIPT}.md", f"not valid UTF-8 {IMG}", 2, 3)
    broken = FileResult(diag.path, errors=[diag])
    return render([result, broken], rule_metas=metas, **options), result


def test_hostile_text_is_escaped_everywhere():
    report, result = hostile_report()
    tree = well_formed(report)
    assert "<script>alert" not in report and "<img" not in report.lower()
    assert not tree.find("img")
    assert all(not k.startswith("on") for el in tree.elements for k in el["attrs"])
    scripts = tree.find("script")
    assert len(scripts) == 1 and "alert" not in text(scripts[0])
    # ...and shown as text: in the document, the path, messages, rule text, the diagnostic
    block = tree.find("div", cls="text")[0]
    assert SCRIPT in text(block) and IMG in text(block)
    assert f"{IMG}{SCRIPT}" in text(tree.find("summary")[0])
    card = tree.find("li", cls="card")[0]
    assert f"Because {SCRIPT}" in text(card) and f"Rule {IMG}" in text(card)
    assert f"Rewrite {IMG}" in text(card)
    assert any(f"not valid UTF-8 {IMG}" in text(el) for el in tree.find("div", cls="banner"))
    # a javascript: URL from a pack is never a link
    assert all(not el["attrs"].get("href", "#").lower().startswith("javascript")
               for el in tree.find("a"))
    # no terminal control, no NUL, no bidi override, nothing that cannot be UTF-8
    assert "\x1b" not in report and "\x00" not in report and "\u202e" not in report
    report.encode("utf-8")
    assert "\u241b[31mred" in text(block)  # ESC shown as the control picture


def test_never_writes_ansi_colour_even_when_colour_is_asked_for():
    report, _ = hostile_report(color=True)
    assert "\x1b" not in report
    assert "\x1b" not in render([checked(DOC)], color=True)


def test_content_security_policy_forbids_every_external_load():
    report = render([checked(DOC)])
    tree = well_formed(report)
    csp = [el["attrs"]["content"] for el in tree.find("meta")
           if el["attrs"].get("http-equiv", "").lower() == "content-security-policy"]
    assert len(csp) == 1
    directives = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["img-src"] == ["data:"]
    assert directives["style-src"] == ["'unsafe-inline'"]
    nonce = tree.find("script")[0]["attrs"]["nonce"]
    assert directives["script-src"] == [f"'nonce-{nonce}'"] and len(nonce) >= 16
    # nothing refers to anything outside the file
    assert not tree.find("link") and not tree.find("img") and not tree.find("iframe")
    assert all("src" not in el["attrs"] for el in tree.elements)
    assert "@import" not in report and "url(" not in report
    assert render([checked(DOC)]) != report  # a fresh nonce for every report


# -- document-level findings, summary, index -------------------------------------------------

def test_document_level_findings_are_banners_at_the_top_of_their_document():
    result = checked(DOC)
    doc_level = [f for f in result.findings if f.scope == "document"]
    assert doc_level, [f.rule for f in result.findings]
    tree = well_formed(render([result]))
    details = tree.find("details", cls="doc")[0]
    banners = tree.find("div", cls="banner")
    assert len(banners) == len(doc_level)
    block = tree.find("div", cls="text")[0]
    for f, banner in zip(doc_level, banners):
        assert inside(banner, details)
        assert banner["pos"] < block["pos"]  # before the text
        assert f.message in text(banner) and f.rule in text(banner)
        assert " ".join(rules()[f.rule].rationale.split()) in text(banner)
        assert not marks_of(tree, banner["attrs"]["id"])  # a banner, not a highlight
        # its "first seen" place is an anchor in the text
        anchor = tree.by_id(banner["attrs"]["id"] + "-t")
        assert anchor is not None and inside(anchor, block)


def test_summary_counts_by_category_and_severity():
    results = [checked(DOC, "a.md"), checked("Nothing to see: we open at nine.\n", "b.md"),
               checked("Our cream cures eczema. Studies show it works.\n", "c.md")]
    findings = [f for r in results for f in r.findings]
    tree = well_formed(render(results))
    summary = tree.by_id("summary")
    by_cat = Counter(f.category for f in findings)
    for row in tree.find("tr"):
        if "data-category" in row["attrs"]:
            cat = row["attrs"]["data-category"]
            assert text(row).strip().endswith(str(by_cat.get(cat, 0))), cat
            assert inside(row, summary)
    assert {r["attrs"]["data-category"] for r in tree.find("tr") if "data-category" in r["attrs"]
            } >= set(CATEGORIES)
    by_sev = Counter(f.severity for f in findings)
    for s in ("error", "warning", "info"):
        row = tree.find("tr", data_severity=s)[0]
        assert text(row).strip().endswith(str(by_sev.get(s, 0)))
    tiles = {el["attrs"]["data-count"]: text(el) for el in tree.find("div", cls="tile")}
    assert tiles["documents"].startswith("3") and tiles["findings"].startswith(str(len(findings)))
    assert tiles["with findings"].startswith("2")
    # the chart: one bar per category, as inline SVG
    bars = tree.find("rect", cls="bar")
    assert len(bars) == len(CATEGORIES) and tree.find("svg")
    widths = {g["attrs"]["data-category"]: float(b["attrs"]["width"])
              for g in tree.find("g") for b in bars if b["parent"] is g}
    top = max(by_cat.values())
    assert all(widths[c] > 0 for c in by_cat)
    assert all(widths[c] == 0 for c in CATEGORIES if c not in by_cat)
    assert max(widths.values()) == widths[[c for c, n in by_cat.items() if n == top][0]]
    # per document: the index
    rows = [el for el in tree.find("tr") if inside(el, tree.by_id("index"))][1:]
    cells = [[text(td) for td in tree.find("td") if td["parent"] is row] for row in rows]
    assert [c[1] for c in cells] == [r.path for r in results]
    assert [c[2] for c in cells] == [str(len(r.findings)) for r in results]


def test_a_file_that_could_not_be_checked_is_reported():
    diag = FileError("docs/broken.md", "not valid UTF-8", 2, 7)
    late = FileError("docs/post.md", "rule 'x' failed")
    tree = well_formed(render([FileResult("docs/broken.md", errors=[diag]),
                               FileResult("docs/post.md", errors=[late])]))
    assert "docs/broken.md:2:7: not valid UTF-8" in text(tree.find("div", cls="banner")[0])
    listed = [text(li) for li in tree.find("li") if inside(li, tree.by_id("summary"))]
    assert listed == [str(diag), str(late)]  # each once


def test_no_files_is_still_a_valid_report():
    tree = well_formed(render([]))
    assert tree.by_id("summary") and tree.by_id("index") and not tree.find("details")


def test_five_hundred_files_have_an_index_and_collapsed_documents():
    doc_text = "Our drops cure insomnia. Studies show they work.\n"
    results = []
    for i in range(500):
        doc = sources.parse(doc_text, f"docs/page-{i:03}.md")
        fs = [] if i % 5 == 4 else [
            finding(doc, 10, 14),
            finding(doc, 25, 37, rule="evidence/missing-citation", category="missing-citation",
                    severity="warning"),
            finding(doc, 0, 24, rule="disclosures/missing-risk-disclosure",
                    category="missing-risk-disclosure", scope="document")]
        results.append(FileResult(doc.path, findings=fs, document=doc))
    report = render(results)
    tree = well_formed(report)
    docs = tree.find("details", cls="doc")
    assert len(docs) == 500
    assert all("open" not in d["attrs"] for d in docs)  # collapsed by default
    links = [a for a in tree.find("a") if inside(a, tree.by_id("index"))]
    assert len(links) == 500
    assert {a["attrs"]["href"] for a in links} == {"#" + d["attrs"]["id"] for d in docs}
    assert [text(a) for a in links] == [r.path for r in results]
    tiles = {el["attrs"]["data-count"]: text(el) for el in tree.find("div", cls="tile")}
    assert tiles["documents"].startswith("500") and tiles["findings"].startswith("1200")
    assert tiles["errors"].startswith("800") and tiles["warnings"].startswith("400")
    assert tiles["with findings"].startswith("400")
    assert len(tree.find("mark")) == 800 and len(tree.find("div", cls="banner")) == 400
    # written after the documents (streaming), shown before them (CSS order, no script needed)
    assert tree.by_id("summary")["pos"] > docs[-1]["pos"]
    css = text(tree.find("style")[0]).replace(" ", "")
    assert ".page{display:flex;flex-direction:column" in css
    assert "#summary{order:1}" in css and "#documents{order:3}" in css


def test_documents_are_written_as_they_arrive_and_not_kept():
    out = io.StringIO()
    formatter = HtmlFormatter(out, FormatOptions(rules=rules()))
    formatter.begin()
    result = checked(DOC)
    ref = weakref.ref(result.document)
    formatter.file(result)
    assert "Sleep drops" in out.getvalue() and "<mark" in out.getvalue()
    result.document = None
    del result
    gc.collect()
    assert ref() is None, "the formatter keeps the document"
    formatter.end(Summary())
    well_formed(out.getvalue())


def test_a_result_without_its_document_still_lists_its_findings():
    doc = sources.parse(DOC, "docs/post.md")
    f = finding(doc, 20, 24)
    tree = well_formed(render([FileResult(doc.path, findings=[f])]))
    assert not tree.find("mark")
    assert f.message in text(tree.find("li", cls="card")[0])


# -- the command line ------------------------------------------------------------------------

def test_cli_writes_the_report_and_keeps_the_exit_code(tmp_path):
    if not (ROOT / "examples").is_dir():
        pytest.skip("examples/ not present")
    out = tmp_path / "report.html"
    proc = run_cli("check", "examples/", "--format", "html", "-o", str(out), cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    report = out.read_text(encoding="utf-8")
    tree = well_formed(report)
    assert len(tree.find("details", cls="doc")) == len(
        [p for p in (ROOT / "examples").iterdir() if p.is_file()])
    assert tree.find("mark") and tree.by_id("summary")
    assert "\x1b" not in report
    # the same report on standard output, even with --color always
    proc = run_cli("check", "examples/", "--format", "html", "--color", "always", cwd=ROOT)
    assert proc.returncode == 1 and proc.stdout.startswith("<!DOCTYPE html>")
    assert "\x1b" not in proc.stdout


def test_cli_exit_code_is_zero_for_clean_files(tmp_path):
    (tmp_path / "clean.md").write_text("We are open from nine to five.\n", encoding="utf-8")
    proc = run_cli("check", "--isolated", ".", "--format", "html", "-o", "r.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    tree = well_formed((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "no findings" in text(tree.find("summary")[0])


# -- a real browser --------------------------------------------------------------------------

def chromium() -> str:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
                 "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium (/usr/bin/chromium, chromium, chromium-browser or google-chrome "
                "on PATH): the report is not checked in a real browser; install it with "
                "`apt-get install chromium`")


PWN_SCRIPT = ("<script>document.documentElement.setAttribute('data-pwned','script');"
              "var d=document.createElement('div');d.id='pwned-script';"
              "document.body.appendChild(d)</script>")
PWN_IMG = ('"><img src=x id=pwned-img onerror="document.documentElement.setAttribute('
           "'data-pwned','img');var d=document.createElement('div');d.id='pwned-onerror';"
           'document.body.appendChild(d)">')
BROWSER_HOSTILE = (f"Miracle drops\n\nOur drops cure insomnia {SCRIPT} for good.\n\n"
                   f"87% of clients report {IMG} improvement within four weeks.\n\n"
                   f"{PWN_SCRIPT}\n{PWN_IMG}\n")


def run_chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
           "--virtual-time-budget=2000", *args, url]
    env = dict(os.environ, HOME=str(tmp_path))
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    except subprocess.TimeoutExpired:  # pragma: no cover - a hung browser
        pytest.fail(f"Chromium did not finish: {' '.join(cmd)}")


@pytest.fixture(scope="module")
def browser_report(tmp_path_factory):
    """The report of examples/* plus hostile documents, and the dumped DOM."""
    if not (ROOT / "examples").is_dir():
        pytest.skip("examples/ not present")
    chromium()
    tmp = tmp_path_factory.mktemp("browser")
    docs = tmp / "docs"
    docs.mkdir()
    for p in (ROOT / "examples").iterdir():
        if p.is_file():
            shutil.copy(p, docs / p.name)
    (docs / "0-hostile.txt").write_text(BROWSER_HOSTILE, encoding="utf-8")
    (docs / "0-hostile.md").write_text(BROWSER_HOSTILE, encoding="utf-8")
    (docs / "0-hostile.html").write_text(f"<p>{BROWSER_HOSTILE}</p>", encoding="utf-8")
    (docs / f'{IMG}.txt').write_text("Our drops cure insomnia.\n", encoding="utf-8")
    report = tmp / "report.html"
    proc = run_cli("check", "--isolated", "docs", "--format", "html", "-o", str(report), cwd=tmp)
    assert proc.returncode == 1, proc.stderr
    dumped = run_chromium(tmp, report.as_uri(), "--dump-dom")
    assert dumped.returncode == 0 and "<html" in dumped.stdout, dumped.stderr[-2000:]
    return tmp, report, dumped.stdout


def test_browser_builds_the_report_and_runs_only_its_own_script(browser_report):
    tmp, report, dom = browser_report
    tree = Tree(dom)  # as the browser serialised it
    root = tree.find("html")[0]
    # the report's own script ran (the CSP nonce lets it) ...
    assert root["attrs"].get("data-report-ready") == "1", "the report's script did not run"
    # ... and nothing the documents carry did
    assert "data-pwned" not in root["attrs"]
    for id_ in ("pwned-script", "pwned-img", "pwned-onerror"):
        assert tree.by_id(id_) is None, f"the hostile payload created #{id_}"
    assert not tree.find("img")
    assert len(tree.find("script")) == 1
    # the hostile text is on the page, as text
    shown = "".join(text(el) for el in tree.find("div", cls="text"))
    assert SCRIPT in shown and IMG in shown and PWN_SCRIPT in shown and PWN_IMG in shown
    assert any(IMG in text(el) for el in tree.find("summary"))  # the hostile file name
    # highlights, summary, index, documents collapsed
    marks = tree.find("mark")
    assert len(marks) >= 20
    assert all(m["attrs"].get("title") and m["attrs"].get("data-f") for m in marks)
    assert any(text(m) == "cure" for m in marks)
    assert tree.by_id("summary") and len(tree.find("rect", cls="bar")) == len(CATEGORIES)
    docs = tree.find("details", cls="doc")
    assert len(docs) == len(list((tmp / "docs").iterdir()))
    assert not any("open" in d["attrs"] for d in docs)
    assert len([a for a in tree.find("a") if inside(a, tree.by_id("index"))]) == len(docs)


def test_browser_click_on_a_highlight_opens_and_closes_its_panel(browser_report, tmp_path):
    _, report, _ = browser_report
    page = report.read_text(encoding="utf-8")
    nonce = re.search(r'<script nonce="([^"]+)">', page).group(1)
    probe = (f"<script nonce=\"{nonce}\">(function(){{"
             "var a=document.querySelector('mark.hl a');var root=document.documentElement;"
             "root.setAttribute('data-probe-ids',a.parentNode.getAttribute('data-f'));a.click();"
             "var pop=document.querySelector('.popup');"
             "root.setAttribute('data-probe-open',pop.hidden?'0':'1');"
             "root.setAttribute('data-probe-text',pop.textContent);"
             "root.setAttribute('data-probe-hash',location.hash);"
             "a.click();root.setAttribute('data-probe-closed',pop.hidden?'1':'0');})();</script>")
    probed = tmp_path / "probe.html"
    probed.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    dumped = run_chromium(tmp_path, probed.as_uri(), "--dump-dom")
    root = Tree(dumped.stdout).find("html")[0]["attrs"]
    assert root.get("data-probe-open") == "1", dumped.stderr[-2000:]
    assert root.get("data-probe-closed") == "1"
    assert root.get("data-probe-hash") == ""  # the script handled the click, no navigation
    first = root["data-probe-ids"].split()[0]
    tree = Tree(page)
    card = tree.by_id(first)
    rule = text([el for el in tree.find("span", cls="rule") if inside(el, card)][0])
    assert rule in root["data-probe-text"] and "Why" in root["data-probe-text"]


def test_browser_screenshot(browser_report):
    tmp, report, _ = browser_report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    if shot.exists():
        shot.unlink()
    # "#open-all" opens every document, so the screenshot shows highlights under the summary
    proc = run_chromium(tmp, report.as_uri() + "#open-all", f"--screenshot={shot}",
                        "--window-size=1280,2000", "--hide-scrollbars")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.exists(), proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000, "the screenshot is nearly empty"
    # the report itself, beside the screenshot, for people looking at the artifacts
    shutil.copy(report, ARTIFACTS / "html-report.html")
