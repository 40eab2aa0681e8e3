#!/usr/bin/env python3
"""Long fuzz run for claimlint's readers and engine (not part of the default test run).

It drives the generators and checkers of ``tests/test_properties.py`` with Hypothesis over a large
example budget, adds byte-level inputs fed through ``claimlint.sources.load(path, data=bytes)`` for
``.md``, ``.html``, ``.txt`` and ``.docx``, and hostile repositories, configurations, baselines and
cache folders checked by the command line in a temporary folder (the ``cli-*`` targets, see
scripts/README.md), and checks the same properties:

* parsing and checking never raise; ``load`` raises nothing but ``InputError``;
* no rule fails (a rule exception becomes a diagnostic, which counts as a failure here);
* every finding's span lies in the text and its line/column/excerpt agree with it;
* every block's offset map covers its prose and maps into the text, in order;
* a second run gives the same results.

Unlike a test, a failure does not stop the run: every failure is recorded, deduplicated by
exception type and location (the innermost claimlint frame, or the property that broke), reduced
to a small input where the input is a string or bytes, and printed at the end with how many inputs
were tried and how long the run took.

    python scripts/fuzz.py --minutes 15 --seed 1
    python scripts/fuzz.py --budget 20000 --targets markdown,html

Exit status: 0 when nothing failed, 1 when something did.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hyp_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from claimlint.errors import InputError  # noqa: E402


def _load_props():
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))  # the property tests import the tests' helpers
    spec = importlib.util.spec_from_file_location("claimlint_test_properties",
                                                  ROOT / "tests" / "test_properties.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


P = _load_props()
PACKAGE_DIR = str(ROOT / "claimlint")


# ================================================================================================
# Byte-level and docx generators
# ================================================================================================

ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
             "utf-32-be", "latin-1", "cp1252", "shift_jis", "koi8-r", "utf-7"]
BOMS = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}
CHARSETS = ["utf-8", "UTF-8", "utf8", "latin-1", "iso-8859-1", "windows-1252", "cp1252", "shift_jis",
            "koi8-r", "utf-16", "utf-16le", "utf-32", "utf-7", "ascii", "us-ascii", "bogus",
            "x-user-defined", "rot13", "hex", "base64", "idna", "punycode", "undefined",
            "unicode_escape", "raw_unicode_escape", "cp037", "utf_8_sig", "mbcs", "zlib", "uu"]


def _text_for(ext: str) -> st.SearchStrategy:
    if ext == ".md":
        return st.one_of(P.markdown_documents(), P.unicode_text)
    if ext == ".html":
        return st.one_of(P.html_documents(), P.unicode_text)
    return st.one_of(P.unicode_text, P.markdown_documents(), P.html_documents())


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` with a few random byte-level edits (flip, insert, delete, truncate, splice)."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup"]))
        pos = draw(st.integers(0, len(b))) if b else 0
        if op == "flip" and pos < len(b):
            b[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            b[pos:pos] = draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80",
                                               b"\xf4\x90\x80\x80", b"\r", b"\n", b"\r\n", b"<",
                                               b"&", b"\xef\xbb\xbf", b"\x80"]))
        elif op == "delete" and pos < len(b):
            del b[pos:pos + draw(st.integers(1, 8))]
        elif op == "truncate":
            del b[pos:]
        elif op == "dup" and pos < len(b):
            b[pos:pos] = b[pos:pos + draw(st.integers(1, 64))]
    return bytes(b)


@st.composite
def byte_inputs(draw, ext: str) -> bytes:
    """Arbitrary bytes, or a generated document in some encoding, maybe mutated afterwards."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=4000))
    text = draw(_text_for(ext))
    if ext == ".html" and draw(st.booleans()):
        charset = draw(st.sampled_from(CHARSETS))
        quote = draw(st.sampled_from(["", "\"", "'"]))
        text = draw(st.sampled_from([
            f"<meta charset={quote}{charset}{quote}>",
            f"<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">",
        ])) + text
    enc = draw(st.sampled_from(ENCODINGS))
    data = text.encode(enc, errors=draw(st.sampled_from(["replace", "ignore", "surrogatepass"]))
                       if enc.startswith("utf") else draw(st.sampled_from(["replace", "ignore"])))
    data = BOMS.get(enc, b"") * draw(st.integers(0, 1)) + data
    if draw(st.integers(0, 2)) == 0:
        data = draw(mutated(data))
    return data


XML_TEXT = st.one_of(P.prose(max_size=6), st.sampled_from(P.CLAIMS)).map(
    lambda s: P.xml_safe(s).replace("&", "&amp;").replace("<", "&lt;"))


def _run_xml(children: list[str]) -> str:
    return "<w:r>" + "".join(children) + "</w:r>"


@st.composite
def docx_body(draw, depth: int = 0) -> str:
    """Random (mostly well-formed) WordprocessingML body content."""
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["p", "p", "p", "tbl", "sdt", "junk"] if depth < 2 else ["p"]))
        if kind == "p":
            style = draw(st.sampled_from(["", "Heading1", "Title", "ListBullet", "NoSuchStyle",
                                          "Heading", ""]))
            ppr = f"<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>" if style else ""
            runs = []
            for _ in range(draw(st.integers(0, 4))):
                bits = draw(st.lists(st.one_of(
                    XML_TEXT.map(lambda s: f"<w:t xml:space=\"preserve\">{s}</w:t>"),
                    st.sampled_from(["<w:tab/>", "<w:br/>", "<w:cr/>", "<w:noBreakHyphen/>",
                                     "<w:softHyphen/>", "<w:t/>", "<w:sym w:char=\"F04A\"/>",
                                     "<w:fldChar w:fldCharType=\"begin\"/>", "<w:ptab/>"])),
                    max_size=4))
                run = _run_xml(bits)
                wrap = draw(st.integers(0, 9))
                if wrap == 0:
                    run = f"<w:hyperlink r:id=\"rIdNope\">{run}</w:hyperlink>"
                elif wrap == 1:
                    run = f"<w:ins w:id=\"1\" w:author=\"a\">{run}</w:ins>"
                elif wrap == 2:
                    run = f"<w:smartTag>{run}</w:smartTag>"
                runs.append(run)
            parts.append(f"<w:p>{ppr}{''.join(runs)}</w:p>")
        elif kind == "tbl":
            rows = []
            for _ in range(draw(st.integers(0, 3))):
                cells = []
                for _ in range(draw(st.integers(0, 3))):
                    tcpr = draw(st.sampled_from(["", "<w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>",
                                                 "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>",
                                                 "<w:tcPr><w:vMerge/></w:tcPr>",
                                                 "<w:tcPr><w:gridSpan w:val=\"0\"/></w:tcPr>",
                                                 "<w:tcPr><w:gridSpan w:val=\"x\"/></w:tcPr>",
                                                 "<w:tcPr><w:vMerge w:val=\"bogus\"/></w:tcPr>"]))
                    cell = f"<w:tc>{tcpr}{draw(docx_body(depth + 1))}</w:tc>"
                    if draw(st.integers(0, 5)) == 0:
                        cell = f"<w:sdt><w:sdtContent>{cell}</w:sdtContent></w:sdt>"
                    cells.append(cell)
                trpr = draw(st.sampled_from(["", "", "<w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>",
                                             "<w:trPr><w:gridAfter w:val=\"2\"/></w:trPr>"]))
                row = f"<w:tr>{trpr}{''.join(cells)}</w:tr>"
                if draw(st.integers(0, 5)) == 0:
                    row = f"<w:sdt><w:sdtContent>{row}</w:sdtContent></w:sdt>"
                rows.append(row)
            grid = "<w:tblGrid>" + "<w:gridCol/>" * draw(st.integers(0, 3)) + "</w:tblGrid>"
            parts.append(f"<w:tbl>{grid}{''.join(rows)}</w:tbl>")
        elif kind == "sdt":
            parts.append(f"<w:sdt><w:sdtContent>{draw(docx_body(depth + 1))}</w:sdtContent></w:sdt>")
        else:
            parts.append(draw(st.sampled_from(["<w:bogus/>", "<w:p>", "</w:p>", "<w:t>x</w:t>",
                                               "<w:bookmarkStart w:id=\"0\"/>", "&#0;", "&amp;",
                                               "<w:sectPr/>"])))
    return "".join(parts)


@st.composite
def docx_inputs(draw) -> tuple[str, bytes, object]:
    """("a.docx", bytes, what they were made from) -- the last part is what a report shows."""
    kind = draw(st.sampled_from(["paragraphs", "xml", "xml", "mutated"]))
    if kind == "paragraphs":
        paras = draw(P.docx_paragraphs())
        return "a.docx", P.build_docx(paras), {"paragraphs": paras}
    if kind == "xml":
        body = draw(docx_body())
        return "a.docx", P.docx_with_document_xml(body), {"document.xml body": body}
    paras = draw(P.docx_paragraphs())
    return "a.docx", draw(mutated(P.build_docx(paras))), {"mutated docx of paragraphs": paras}


# ================================================================================================
# Targets
# ================================================================================================

def run_text(payload):
    text, path = payload
    P.check_text(text, path)


def run_bytes(payload):
    path, data = payload[:2]
    P.check_bytes(path, data)


def run_encoded(payload):
    """load() of an encoded text gives the same document and findings as parse() of the text."""
    text, path, enc = payload
    data = text.encode(enc, errors="surrogatepass")
    try:
        doc = P.sources.load(path, data=data)
    except InputError:
        return
    expect = text[1:] if enc == "utf-8" and text.startswith("\ufeff") else text
    P._require(doc.text == expect, "load-text", lambda: f"decoded {doc.text!r} != {expect!r}")
    result = P.check_doc(doc, twice=False)
    direct = P.check_text(expect, path, twice=False)
    P._require(P.snapshot(result) == P.snapshot(direct), "load-vs-parse",
               lambda: f"{P.snapshot(result)} != {P.snapshot(direct)}")


def run_newlines(payload):
    text, path = payload
    P.check_newline_styles(text, path)


REPEAT_UNITS = ["[a](", "![", "[", "]", "> ", ">", "- ", "1. ", "* ", "`", "``", "<!--", "-->", "*a",
                "_a", "~~", "\\", "&amp", "&#", "<a ", "<a href=x>", "<b>", "</b>", "<p>", "<div>",
                "<pre>", "<sup>", "<!x ", "| a ", "\n", "\r", "\r\n", "\t", "    ", "# ", "[^", "]:",
                "---\n", "cure ", "87% ", "studies show ", "\u00a0", "\U0001f600", "<", "&"]
SLOW_PARSE_SECONDS = 10.0


@st.composite
def repeated(draw) -> tuple[str, str]:
    """A short unit repeated up to thousands of times: deep nesting, long runs, big inputs."""
    unit = draw(st.one_of(st.sampled_from(REPEAT_UNITS), st.sampled_from(P.MD_ODD + P.HTML_ODD),
                          P.md_inline(), P.prose(max_size=3)))
    n = draw(st.integers(1, 8000))
    text = draw(st.sampled_from(["", "x ", "> ", "- "])) + (unit * n)[:60000]
    return text, draw(PATHS)


def run_repeated(payload):
    """Parsing stays fast (no quadratic blow-up on repeated input), then every property holds."""
    text, path = payload
    t0 = time.perf_counter()
    P.sources.parse(text, path)
    took = time.perf_counter() - t0
    P._require(took < SLOW_PARSE_SECONDS, "slow-parse",
               lambda: f"parsing {len(text)} characters took {took:.1f} s")
    P.check_text(text, path, twice=False)


# ================================================================================================
# Command-line targets: hostile repositories, configurations, baselines and cache folders
# ================================================================================================
#
# Each input is a small project laid out in a fresh temporary folder -- beside it an "outside"
# folder standing for the rest of the machine, that links point into -- and checked by running
# `python -m claimlint check` in it, with a time limit and a memory limit. A failure is a traceback
# (or claimlint's own "internal error" line), an exit code other than 0, 1 or 2, a run that hangs,
# too much memory, or any change to the outside folder or to the temporary folder around the
# project. Links only ever point into the temporary folder or at /dev/zero, /dev/urandom,
# /dev/null and /dev/full: nothing outside it can be harmed.

CLI_TIMEOUT = 45            # seconds for one claimlint run
CLI_MEMORY = 4 << 30        # address space of one run (RLIMIT_AS)
CLI_MAX_RSS = 1_500_000     # kilobytes of resident memory that count as a blow-up
DEVICES = ["/dev/zero", "/dev/urandom", "/dev/null", "/dev/full"]
ODD_NAMES = ["-", "--fix.md", "-rf.md", " lead.md", "trail .md", "new\nline.md", "tab\t.md",
             "caf\u00e9.md", "\u202eevil.md", "\u0085nel.md", "\u2028ls.md", "x" * 240 + ".md",
             "a:b.md", "*.md", "[x].md", "?.md", "\\back.md", ".hidden.md", "..dots.md", "#h.md",
             "!.md", "%41.md", "\U0001f600.md", "CON.md", "a.MD", "a.Html", "a.mdx", "a.docx",
             "a.rst", "a.text", "a.yaml", "noext"]
BYTE_NAMES = [b"caf\xe9.md", b"\xff\xfe.md", b"bad\x80.txt", b"\xed\xa0\x80.md"]
DIRS = ["", "", "sub/", "a/b/", "node_modules/", ".claimlint_cache/", ".git/", "drafts/", "c d/"]
CLAIM_TEXT = st.one_of(st.sampled_from(P.CLAIMS), P.prose(max_size=6))


def _file_content(draw, ext: str) -> bytes:
    kind = draw(st.sampled_from(["claim", "md", "html", "bytes", "empty", "big-line", "docx",
                                 "directive", "utf16"]))
    if kind == "docx" or (ext == ".docx" and kind != "bytes"):
        return P.build_docx(draw(P.docx_paragraphs()))
    if kind == "md":
        return draw(P.markdown_documents()).encode("utf-8", "surrogatepass")
    if kind == "html":
        return draw(P.html_documents()).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "empty":
        return b""
    if kind == "big-line":
        return (draw(st.sampled_from([")", "(", "!?", "'", "*", "a", " "])) * 30000).encode() + \
            draw(CLAIM_TEXT).encode()
    if kind == "directive":
        return (draw(st.sampled_from(P.DIRECTIVES + [
            "<!-- claimlint-disable-line claims/cure-claim -->", "<!-- claimlint-disabel -->",
            "<!-- claimlint-disable claims/cure-claimz -->", "<!-- claimlint-enable -->"]))
            + "\n" + draw(CLAIM_TEXT) + "\n").encode()
    if kind == "utf16":
        return b"\xff\xfe" + draw(CLAIM_TEXT).encode("utf-16-le")
    return (draw(CLAIM_TEXT) + "\n").encode("utf-8", "surrogatepass")


@st.composite
def _name(draw) -> object:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(BYTE_NAMES))
    if draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(ODD_NAMES))
    return draw(st.sampled_from(["page", "post", "about", "x"])) + \
        draw(st.sampled_from([".md", ".html", ".txt", ".docx", ".mdx", ".htm", ".markdown"]))


@st.composite
def layout_entries(draw) -> list:
    """What a hostile repository holds: files, links in and out, devices, FIFOs, deep trees."""
    out = []
    for _ in range(draw(st.integers(1, 10))):
        where = draw(st.sampled_from(DIRS))
        name = draw(_name())
        kind = draw(st.sampled_from(["file", "file", "file", "link", "link", "device", "fifo",
                                     "deep", "socket", "loop"]))
        if kind == "file":
            ext = os.path.splitext(name if isinstance(name, str) else name.decode("latin-1"))[1]
            out.append(("file", where, name, _file_content(draw, ext)))
        elif kind == "link":
            # Relative targets stay inside the temporary folder from any of DIRS ("..", from the
            # project itself, is the temporary folder); OUT is the outside folder, absolute.
            target = draw(st.sampled_from(["OUT/victim.md", "OUT", "OUT/sub", "nowhere.md", ".",
                                           "..", "page.md", "sub", "OUT/sub/deep.md"]))
            out.append(("link", where, name, target))
        elif kind == "device":
            out.append(("link", where, name, draw(st.sampled_from(DEVICES))))
        elif kind == "fifo":
            out.append(("fifo", where, name))
        elif kind == "deep":
            out.append(("deep", draw(st.sampled_from([20, 100, 300, 1100])), name,
                        _file_content(draw, ".md")))
        elif kind == "socket":
            out.append(("socket", where, "s.md"))
        else:
            out.append(("link", where, draw(st.sampled_from(["loop", "loop.md"])), "."))
    return out


YAML_HOSTILE = [
    "jobs: " + "9" * 5000, "max-file-size: 1e400", "max-file-size: 0x" + "f" * 5000,
    "include: " + "[" * 3000 + "]" * 3000, "a: &a [1,2]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdef", "bcdefg")),
    "packs: [./p.yaml]", "packs: [./zero.yaml]", "packs: [./fifo.yaml]", "packs: [./slow.yaml]",
    "baseline: /dev/zero", "baseline: fifo.json", "cache-dir: OUT", "cache-dir: sub",
    "cache-dir: page.md", "exclude: ['**', '!**']", "include: ['*']", "include: ['**/*', '/']",
    "severity: {'*': fatal}", "overrides: [{files: ['**'], ignore: ['*']}]", "model: ../OUT",
    "jobs: 0", "jobs: -1", "fail-on: 2001-13-45", "select: [!!binary AAAA]",
    "packs: !!python/object/apply:os.system ['touch PWNED']", "\t- tab", "\x00", "{", "- [",
    "? [a]\n: 1", "include: ['\u202e*.md']",
]
PACKS = [
    "pack: p\nrules:\n  - id: r\n    kind: regex\n    category: cure-claim\n    message: m\n"
    "    rationale: r\n    references: [x]\n    regex: ['(?:(?:(?:tea){1000}){1000}){1000}']\n"
    "    examples: {bad: [tea], good: [b]}\n",
    "pack: p\nrules:\n  - id: r\n    kind: phrase\n    category: cure-claim\n    message: m\n"
    "    rationale: r\n    references: [x]\n    phrases: [cure]\n    examples: {bad: [a cure], good: [b]}\n"
    "    fix: {replace: 'rem\u00e8de \u2014 \U0001f600', safe: true}\n",
    "pack: p\nrules: " + "[" * 2000 + "]" * 2000 + "\n",
    "pack: " + "1" * 5000 + "\nrules: []\n",
]


@st.composite
def hostile_configs(draw) -> dict:
    kind = draw(st.sampled_from(["yaml", "yaml", "pyproject", "link"]))
    if kind == "yaml":
        body = "\n".join(draw(st.lists(st.sampled_from(YAML_HOSTILE), min_size=1, max_size=3)))
        return {"file": ".claimlint.yaml", "text": body, "pack": draw(st.sampled_from(PACKS))}
    if kind == "pyproject":
        body = draw(st.sampled_from([
            "[tool.claimlint]\njobs = " + "1" * 5000, "[tool.claimlint]\ninclude = " + "[" * 3000,
            "[tool.claimlint]\nmax-file-size = inf", "[tool.claimlint]\npacks = [\"./zero.yaml\"]",
            "[tool]\nx = 0x" + "f" * 5000, "[tool.claimlint]\nexclude = \"x\"", "\x00"]))
        return {"file": "pyproject.toml", "text": body, "pack": draw(st.sampled_from(PACKS))}
    return {"file": ".claimlint.yaml", "link": draw(st.sampled_from(DEVICES + ["OUT/victim.md"])),
            "pack": draw(st.sampled_from(PACKS))}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@st.composite
def hostile_baselines(draw) -> dict:
    kind = draw(st.sampled_from(["json", "deep", "bigint", "link", "fifo", "dir", "bytes",
                                 "entries", "write-link", "write-tmp-link"]))
    if kind == "json":
        return {"read": json.dumps(draw(JSON_VALUES)).encode()}
    if kind == "deep":
        return {"read": b"[" * draw(st.integers(1000, 200_000))}
    if kind == "bigint":
        return {"read": b'{"version": 1, "findings": [' + b"7" * 6000 + b"]}"}
    if kind == "link":
        return {"read-link": draw(st.sampled_from(DEVICES + ["OUT/victim.md", "OUT"]))}
    if kind == "fifo":
        return {"read-fifo": True}
    if kind == "dir":
        return {"read-dir": True}
    if kind == "bytes":
        return {"read": draw(st.binary(max_size=500))}
    if kind == "entries":
        rows = draw(st.lists(st.fixed_dictionaries({"path": JSON_VALUES, "rule": JSON_VALUES,
                                                    "fingerprint": JSON_VALUES}), max_size=5))
        return {"read": json.dumps({"version": 1, "findings": rows}).encode()}
    if kind == "write-link":
        return {"write-link": draw(st.sampled_from(["OUT/victim.md", "/dev/null", "page.md"]))}
    return {"write-tmp-link": "OUT/victim.md"}


@st.composite
def hostile_caches(draw) -> dict:
    """Links where the cache's files and folders go, and entries to corrupt after a first run."""
    links = draw(st.dictionaries(
        st.sampled_from([".gitignore", "CACHEDIR.TAG", "v1", "packs", ""]),
        st.sampled_from(["OUT", "OUT/victim.md", "OUT/new-file", "/dev/zero", "/dev/null"]),
        max_size=2))
    corrupt = draw(st.sampled_from(["none", "json", "severity", "device", "fifo", "dir", "deep",
                                    "bytes", "generation-link"]))
    return {"links": links, "corrupt": corrupt, "json": json.dumps(draw(JSON_VALUES))}


OPTION_SETS = st.lists(st.sampled_from([
    ("--fix",), ("--fix", "--unsafe-fixes"), ("--diff",), ("--no-cache",), ("-j", "1"), ("-j", "2"),
    ("--format", "json"), ("--format", "sarif"), ("--format", "html"), ("--format", "junit"),
    ("--format", "json-lines"), ("--format", "github"), ("--format", "concise"),
    ("-o", "report.out"), ("-o", "LINKED-REPORT"), ("--statistics",), ("--isolated",),
    ("--fail-on", "never"), ("--write-baseline", "b.json"), ("--baseline", "b.json"),
    ("-q",)]), max_size=4)


@st.composite
def cli_cases(draw, part: str) -> dict:
    case = {"entries": draw(layout_entries()), "options": draw(OPTION_SETS)}
    if part == "config":
        case["config"] = draw(hostile_configs())
    elif part == "baseline":
        case["baseline"] = draw(hostile_baselines())
    elif part == "cache":
        case["cache"] = draw(hostile_caches())
    elif part == "stdin":
        case["stdin"] = draw(st.sampled_from(["/dev/zero", "/dev/urandom", "file", "fifo-empty"]))
    return case


def _fs(name) -> bytes:
    return name if isinstance(name, bytes) else os.fsencode(name)


def _target(target: str, tmp: bytes) -> bytes:
    if target.startswith("OUT"):
        return os.path.join(tmp, b"outside", _fs(target[4:])) if target != "OUT" else \
            os.path.join(tmp, b"outside")
    return _fs(target)


def _place(project: bytes, where: str, name) -> bytes:
    folder = os.path.join(project, _fs(where))
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, _fs(name))


def _snapshot_tree(root: bytes) -> dict:
    out = {}
    for dirpath, dirnames, filenames in _walk(root):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            st_ = os.lstat(p)
            if os.path.islink(p):
                out[p] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                with open(p, "rb") as fh:
                    out[p] = ("file", fh.read(), st_.st_mode, st_.st_uid)
            else:
                out[p] = ("other", st_.st_mode)
    return out


def _make_deep(project: bytes, depth: int, name: bytes, data: bytes) -> None:
    """project/d/d/.../d/name, level by level (os.makedirs recurses once per level)."""
    fd = os.open(project, os.O_RDONLY)
    try:
        for _ in range(depth):
            try:
                os.mkdir(b"d", dir_fd=fd)
            except FileExistsError:
                pass
            sub = os.open(b"d", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0), dir_fd=fd)
            os.close(fd)
            fd = sub
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=fd)
        try:
            os.write(out, data)
        finally:
            os.close(out)
    finally:
        os.close(fd)


def _remove_tree(path: bytes) -> None:
    """Remove a tree of any depth without recursion (shutil.rmtree recurses once per level)."""
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
        return
    order = []
    for dirpath, dirs, files in _walk(path):
        order.append(dirpath)
        for n in files:
            os.unlink(os.path.join(dirpath, n))
        for n in dirs:
            p = os.path.join(dirpath, n)
            if os.path.islink(p):
                os.unlink(p)
    for dirpath in reversed(order):
        os.rmdir(dirpath)


def _walk(path):
    from claimlint.safefs import walk

    return walk(path)


def _build(tmp: bytes, case: dict) -> bytes:
    import socket

    project = os.path.join(tmp, b"project")
    outside = os.path.join(tmp, b"outside")
    os.makedirs(os.path.join(outside, b"sub"))
    with open(os.path.join(outside, b"victim.md"), "wb") as fh:
        fh.write(b"<!-- claimlint-disable-next-line claims/cure-claim -->\nOur drops cure insomnia.\n")
    with open(os.path.join(outside, b"sub", b"deep.md"), "wb") as fh:
        fh.write(b"It is a cure.\n")
    os.makedirs(project)
    with open(os.path.join(project, b"page.md"), "wb") as fh:
        fh.write(b"Our drops cure insomnia and 87% of users sleep better. Try our tea.\n")
    for entry in case["entries"]:
        try:
            if entry[0] == "file":
                _, where, name, data = entry
                place = _place(project, where, name)
                if os.path.lexists(place):  # a FIFO or link planted earlier: never open it
                    continue
                with open(place, "wb") as fh:
                    fh.write(data)
            elif entry[0] == "link":
                _, where, name, target = entry
                os.symlink(_target(target, tmp), _place(project, where, name))
            elif entry[0] == "fifo":
                os.mkfifo(_place(project, entry[1], entry[2]))
            elif entry[0] == "socket":
                s = socket.socket(socket.AF_UNIX)
                path = _place(project, entry[1], entry[2])
                if len(path) < 100:
                    s.bind(path)
                s.close()
            elif entry[0] == "deep":
                _, depth, name, data = entry
                _make_deep(project, depth, _fs(name), data)
        except (OSError, ValueError):
            pass  # a name the file system refuses, one that exists already...
    return project


def _prepare_extras(tmp: bytes, project: bytes, case: dict) -> list[str]:
    """Config, baseline, cache and stdin set-up; returns extra command-line arguments."""
    args: list[str] = []
    cfg = case.get("config")
    if cfg:
        path = os.path.join(project, cfg["file"].encode())
        if "link" in cfg:
            os.symlink(_target(cfg["link"], tmp), path)
        else:
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as fh:
                fh.write(cfg["text"].replace("OUT", "../outside"))
        with open(os.path.join(project, b"p.yaml"), "w", encoding="utf-8") as fh:
            fh.write(cfg["pack"])
        with open(os.path.join(project, b"slow.yaml"), "w", encoding="utf-8") as fh:
            fh.write(PACKS[0])
        os.symlink(b"/dev/zero", os.path.join(project, b"zero.yaml"))
        os.mkfifo(os.path.join(project, b"fifo.yaml"))
        os.mkfifo(os.path.join(project, b"fifo.json"))
    base = case.get("baseline")
    if base:
        path = os.path.join(project, b"base.json")
        if "read" in base:
            with open(path, "wb") as fh:
                fh.write(base["read"])
            args += ["--baseline", "base.json"]
        elif "read-link" in base:
            os.symlink(_target(base["read-link"], tmp), path)
            args += ["--baseline", "base.json"]
        elif "read-fifo" in base:
            os.mkfifo(path)
            args += ["--baseline", "base.json"]
        elif "read-dir" in base:
            os.mkdir(path)
            args += ["--baseline", "base.json"]
        elif "write-link" in base:
            os.symlink(_target(base["write-link"], tmp), path)
            args += ["--write-baseline", "base.json"]
        else:
            os.symlink(_target(base["write-tmp-link"], tmp), path + b".tmp")
            args += ["--write-baseline", "base.json"]
    cache = case.get("cache")
    if cache:
        folder = os.path.join(project, b".claimlint_cache")
        if "" in cache["links"] and not os.path.lexists(folder):
            os.symlink(_target(cache["links"][""], tmp), folder)
        elif not os.path.islink(folder):
            os.makedirs(folder, exist_ok=True)
            for name, target in cache["links"].items():
                link = os.path.join(folder, name.encode())
                if name and not os.path.lexists(link):
                    os.symlink(_target(target, tmp), link)
    return args


def _corrupt_cache(tmp: bytes, project: bytes, case: dict) -> None:
    cache = case["cache"]
    gens = os.path.join(project, b".claimlint_cache", b"v1")
    if cache["corrupt"] == "none" or os.path.islink(gens) or not os.path.isdir(gens):
        return
    for dirpath, _dirs, files in os.walk(gens):
        for n in files:
            p = os.path.join(dirpath, n)
            try:
                os.unlink(p)
                c = cache["corrupt"]
                if c == "json":
                    with open(p, "w") as fh:
                        fh.write(cache["json"])
                elif c == "severity":
                    with open(p, "w") as fh:
                        fh.write('[{"rule": "r", "category": "c", "severity": "fatal", "message": "m",'
                                 '"line": 1, "column": 1, "end_line": 1, "end_column": 2,'
                                 '"excerpt": "x", "suggestion": null}]')
                elif c == "device":
                    os.symlink(b"/dev/zero", p)
                elif c == "fifo":
                    os.mkfifo(p)
                elif c == "dir":
                    os.mkdir(p)
                elif c == "deep":
                    with open(p, "w") as fh:
                        fh.write("[" * 100_000)
                elif c == "bytes":
                    with open(p, "wb") as fh:
                        fh.write(b"\xff\x00" * 10)
            except OSError:
                pass
    if cache["corrupt"] == "generation-link":
        for name in os.listdir(gens):
            p = os.path.join(gens, name)
            if os.path.isdir(p) and not os.path.islink(p):
                os.rename(p, os.path.join(tmp, b"outside", b"moved-generation"))
                os.symlink(os.path.join(tmp, b"outside", b"moved-generation"), p)


def _limits():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY, CLI_MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run_claimlint(project: bytes, args: list[str], stdin,
                   traceback: bool = False) -> tuple[int | None, str, int]:
    """(exit code or None on a hang, standard error, peak resident kilobytes)."""
    import subprocess

    argv = [sys.executable, "-m", "claimlint", "check", *args]
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    env.pop("CLAIMLINT_TRACEBACK", None)
    if traceback:
        env["CLAIMLINT_TRACEBACK"] = "1"
    import threading

    proc = subprocess.Popen(argv, cwd=project, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, preexec_fn=_limits,
                            start_new_session=True)
    hung = []

    def stop():
        hung.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the workers of -j too
        except OSError:
            pass

    timer = threading.Timer(CLI_TIMEOUT, stop)
    timer.start()
    try:
        err = proc.stderr.read()
        _pid, status, usage = os.wait4(proc.pid, 0)  # this run's own peak memory
    finally:
        timer.cancel()
        proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # nothing of the run may outlive it
    except OSError:
        pass
    text = err.decode("utf-8", "replace")
    return (None if hung else proc.returncode), text, usage.ru_maxrss


_TB_LAST = re.compile(r"^(\w+(?:Error|Exception|Interrupt)\b.*)$", re.M)
_TB_FRAME = re.compile(r'File "([^"]*claimlint[^"]*)", line (\d+), in (\w+)')


def _classify(rc, err: str, peak: int) -> str | None:
    if rc is None:
        return "cli-hang"
    if "Traceback" in err:
        frames = _TB_FRAME.findall(err)
        last = _TB_LAST.findall(err)
        where = f"{os.path.basename(frames[-1][0])}:{frames[-1][2]}" if frames else "?"
        return f"cli-traceback:{(last[-1].split(':')[0] if last else '?')}@{where}"
    m = re.search(r"internal error \((\w+)", err)
    if m:
        return f"cli-internal-error:{m.group(1)}"
    if rc not in (0, 1, 2):
        return f"cli-exit-{rc}"
    if peak > CLI_MAX_RSS:
        return "cli-memory"
    return None


def run_cli_case(payload) -> None:
    """Lay the case out, run claimlint on it, and check what a hostile repository must not do."""
    import tempfile

    case = payload[0]
    tmp = os.fsencode(tempfile.mkdtemp(prefix="claimlint-fuzz-"))
    try:
        _run_case_in(tmp, case)
    finally:
        try:
            os.chmod(tmp, 0o700)
            _remove_tree(tmp)
        except OSError:
            pass


def _run_case_in(tmp: bytes, case: dict) -> None:
    import subprocess

    project = _build(tmp, case)
    args = ["."]
    extra = _prepare_extras(tmp, project, case)
    for opt in case["options"]:
        if "--write-baseline" in opt and any("--write-baseline" in a for a in extra):
            continue
        if "LINKED-REPORT" in opt:  # a link planted where the report goes
            if not os.path.lexists(os.path.join(project, b"linked.out")):
                os.symlink(os.path.join(tmp, b"outside", b"victim.md"),
                           os.path.join(project, b"linked.out"))
            opt = ("-o", "linked.out")
        args += list(opt)
    args += extra
    if "--fix" in args and "--diff" in args:
        args.remove("--diff")
    stdin = subprocess.DEVNULL
    opened = None
    if case.get("stdin"):
        args = ["-", "--stdin-filename", "in.md"] + [a for a in args if a not in (".", "--fix",
                                                                                   "--diff")]
        source = case["stdin"]
        if source.startswith("/dev/"):
            opened = open(source, "rb")
        elif source == "file":
            opened = open(os.path.join(project, b"page.md"), "rb")
        else:
            opened = None
        stdin = opened if opened is not None else subprocess.DEVNULL
    before = _snapshot_tree(os.path.join(tmp, b"outside"))
    around = sorted(os.listdir(tmp))
    try:
        runs = 2 if case.get("cache") else 1
        for i in range(runs):
            rc, err, peak = _run_claimlint(project, args, stdin)
            kind = _classify(rc, err, peak)
            if kind and kind.startswith("cli-internal-error") and stdin is subprocess.DEVNULL:
                # Again with the traceback shown, to say where (and deduplicate by that).
                rc2, err2, _ = _run_claimlint(project, args, stdin, traceback=True)
                if "Traceback" in err2:
                    kind = _classify(rc2, err2, 0).replace("cli-traceback", "cli-internal-error")
                    err = err2
            if kind:
                raise P.PropertyViolation(kind, f"claimlint {' '.join(args)}: exit {rc}\n{err[-2000:]}")
            if i == 0 and case.get("cache"):
                _corrupt_cache(tmp, project, case)
                before = _snapshot_tree(os.path.join(tmp, b"outside"))
    finally:
        if opened is not None:
            opened.close()
    after = _snapshot_tree(os.path.join(tmp, b"outside"))
    if after != before:
        changed = sorted(set(before) ^ set(after)) + [p for p in before
                                                       if p in after and before[p] != after[p]]
        raise P.PropertyViolation("cli-outside-changed",
                                  f"claimlint {' '.join(args)} changed {changed[:5]}")
    if sorted(os.listdir(tmp)) != around:
        raise P.PropertyViolation("cli-outside-changed",
                                  f"claimlint {' '.join(args)} created {sorted(os.listdir(tmp))}")
    litter = [os.path.join(d, n) for d, _dirs, names in _walk(project)
              for n in names if n.startswith((b".claimlint-", b"base.json.tmp"))
              and not os.path.islink(os.path.join(d, n))]
    if litter:
        raise P.PropertyViolation("cli-temporary-file-left",
                                  f"claimlint {' '.join(args)} left {litter[:3]}")


PATHS = st.sampled_from(["a.md", "a.html", "a.txt"])
# The test module's generators leave lone surrogates out (parse() replaces them with U+FFFD, so
# excerpts would not equal the input there); here they go in, to check that nothing crashes.
SURROGATE_TEXT = st.lists(st.one_of(P.unicode_text, st.sampled_from(["\ud800", "\udfff", "\udbff"])),
                          min_size=1, max_size=6).map("".join)
TARGETS = {
    "unicode": (st.tuples(st.one_of(P.unicode_text, SURROGATE_TEXT), PATHS), run_text),
    "markdown": (st.tuples(P.markdown_documents(), st.just("a.md")), run_text),
    "html": (st.tuples(P.html_documents(), st.just("a.html")), run_text),
    "cross": (st.tuples(st.one_of(P.markdown_documents(), P.html_documents()), PATHS), run_text),
    "encoded": (st.tuples(st.one_of(P.markdown_documents(), P.html_documents(), P.unicode_text), PATHS,
                          st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])), run_encoded),
    "repeated": (repeated(), run_repeated),
    "newlines": (st.tuples(st.one_of(P.markdown_documents(), P.html_documents()), PATHS),
                 run_newlines),
    "bytes-md": (st.tuples(st.just("a.md"), byte_inputs(".md")), run_bytes),
    "bytes-html": (st.tuples(st.just("a.html"), byte_inputs(".html")), run_bytes),
    "bytes-txt": (st.tuples(st.just("a.txt"), byte_inputs(".txt")), run_bytes),
    "bytes-docx": (docx_inputs(), run_bytes),
    "cli-layout": (st.tuples(cli_cases("layout")), run_cli_case),
    "cli-config": (st.tuples(cli_cases("config")), run_cli_case),
    "cli-baseline": (st.tuples(cli_cases("baseline")), run_cli_case),
    "cli-cache": (st.tuples(cli_cases("cache")), run_cli_case),
    "cli-stdin": (st.tuples(cli_cases("stdin")), run_cli_case),
}
# Command-line targets run claimlint as a process (a second or more each): fewer per round.
CHUNK_FOR = {t: 8 for t in TARGETS if t.startswith("cli-")}


# ================================================================================================
# Running, recording, reducing
# ================================================================================================

class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang("input took longer than the per-input time limit")


def failure_key(target: str, exc: BaseException) -> tuple[str, str]:
    """(exception type, location): a property's name, or the innermost claimlint frame."""
    if isinstance(exc, P.PropertyViolation):
        return f"PropertyViolation[{exc.kind}]", target
    frames = traceback.extract_tb(exc.__traceback__)
    where = "?"
    for fr in frames:
        if fr.filename.startswith(PACKAGE_DIR):
            where = f"{os.path.relpath(fr.filename, ROOT)}:{fr.lineno} in {fr.name}"
    if where == "?" and frames:
        fr = frames[-1]
        where = f"{fr.filename}:{fr.lineno} in {fr.name}"
    return type(exc).__name__, where


def _size(payload) -> int:
    return sum(len(x) for x in payload if isinstance(x, (str, bytes)))


@dataclass
class Failure:
    key: tuple[str, str]
    target: str
    payload: object
    message: str
    tb: str
    count: int = 0
    targets: set = field(default_factory=set)


class Fuzzer:
    def __init__(self, per_input: int):
        self.failures: dict[tuple[str, str], Failure] = {}
        self.tried: dict[str, int] = {t: 0 for t in TARGETS}
        self.per_input = per_input
        self.deadline = float("inf")
        self.budget = float("inf")

    @property
    def total(self) -> int:
        return sum(self.tried.values())

    def done(self) -> bool:
        return time.monotonic() >= self.deadline or self.total >= self.budget

    def attempt(self, target: str, payload) -> BaseException | None:
        runner = TARGETS[target][1]
        signal.alarm(self.per_input)
        try:
            runner(payload)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - everything is a finding here
            return exc
        finally:
            signal.alarm(0)
        return None

    def run_one(self, target: str, payload) -> None:
        if self.done():
            return
        self.tried[target] += 1
        exc = self.attempt(target, payload)
        if exc is None:
            return
        key = failure_key(target, exc)
        f = self.failures.get(key)
        if f is None:
            f = self.failures[key] = Failure(key, target, payload, _msg(exc), _tb(exc))
            print(f"\n!! new failure {key[0]} at {key[1]} ({target}): {_msg(exc)[:300]}",
                  flush=True)
        f.count += 1
        f.targets.add(target)
        if target == f.target and _size(payload) < _size(f.payload):
            f.payload, f.message, f.tb = payload, _msg(exc), _tb(exc)

    def chunk(self, target: str, examples: int, seed: int) -> None:
        strategy = TARGETS[target][0]

        @hyp_seed(seed)
        @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
        @given(strategy)
        def body(payload):
            self.run_one(target, payload)

        body()

    # -- reduction ------------------------------------------------------------------------------
    def reduce(self, f: Failure, seconds: float) -> None:
        """Delta-debug the string/bytes parts of a failing input, keeping the same failure key."""
        stop = time.monotonic() + seconds
        payload = list(f.payload)

        def still_fails(candidate) -> bool:
            exc = self.attempt(f.target, tuple(candidate))
            return exc is not None and failure_key(f.target, exc) == f.key

        if f.target == "bytes-docx":
            return  # made from paragraphs or XML: shown as such, not reduced byte by byte
        # The content is the longest text or bytes part (the others are a path, an encoding).
        idx = max((i for i, p in enumerate(payload) if isinstance(p, (str, bytes))),
                  key=lambda i: len(payload[i]), default=None)
        for idx in ([] if idx is None else [idx]):
            cur = payload[idx]
            n = 2
            while len(cur) >= 1 and time.monotonic() < stop:
                chunk = max(1, len(cur) // n)
                reduced = False
                for i in range(0, len(cur), chunk):
                    cand = cur[:i] + cur[i + chunk:]
                    trial = payload[:idx] + [cand] + payload[idx + 1:]
                    if still_fails(trial):
                        cur = cand
                        payload[idx] = cur
                        n = max(n - 1, 2)
                        reduced = True
                        break
                    if time.monotonic() >= stop:
                        break
                if not reduced:
                    if chunk == 1:
                        break
                    n = min(len(cur), n * 2)
        exc = self.attempt(f.target, tuple(payload))
        if exc is not None and failure_key(f.target, exc) == f.key:
            f.payload, f.message, f.tb = tuple(payload), _msg(exc), _tb(exc)


def _msg(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _tb(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def _show(payload) -> str:
    if isinstance(payload, tuple) and len(payload) == 3 and isinstance(payload[2], dict):
        payload = (payload[0], f"<{len(payload[1])} bytes>", payload[2])  # a .docx: show its source
    r = repr(payload)
    return r if len(r) <= 3000 else r[:3000] + f"... ({len(r)} characters)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=int, help="stop after this many inputs")
    ap.add_argument("--minutes", type=float, help="stop after this many minutes (default 10 when "
                                                  "no --budget is given)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: time-based)")
    ap.add_argument("--targets", default=",".join(TARGETS),
                    help=f"comma-separated subset of: {', '.join(TARGETS)}")
    ap.add_argument("--chunk", type=int, default=200, help="examples per Hypothesis run (default 200)")
    ap.add_argument("--per-input-timeout", type=int, default=60,
                    help="seconds before one input counts as a hang (default 60)")
    ap.add_argument("--reduce-seconds", type=float, default=60,
                    help="time spent shrinking each distinct failure (0: none; default 60)")
    ap.add_argument("--json", metavar="FILE", help="also write the failures to FILE as JSON")
    args = ap.parse_args(argv)

    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        ap.error(f"unknown target(s): {', '.join(unknown)}")
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    minutes = args.minutes if args.minutes is not None else (None if args.budget else 10.0)

    fz = Fuzzer(args.per_input_timeout)
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.monotonic()
    if minutes is not None:
        fz.deadline = t0 + minutes * 60
    if args.budget:
        fz.budget = args.budget
    print(f"claimlint fuzz: seed {seed}, targets {', '.join(targets)}, "
          f"{f'{minutes:g} min' if minutes is not None else 'no time limit'}, "
          f"{f'budget {args.budget}' if args.budget else 'no input budget'}", flush=True)
    P.engine()  # build it outside the per-input time limit
    rng = random.Random(seed)
    round_no = 0
    last_report = t0
    try:
        while not fz.done():
            for target in targets:
                if fz.done():
                    break
                fz.chunk(target, CHUNK_FOR.get(target, args.chunk), rng.randrange(2**32))
            round_no += 1
            now = time.monotonic()
            if now - last_report >= 30 or fz.done():
                last_report = now
                print(f"[{now - t0:7.1f}s] round {round_no}: {fz.total} inputs, "
                      f"{len(fz.failures)} distinct failures", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    elapsed = time.monotonic() - t0

    if args.reduce_seconds > 0:
        for f in fz.failures.values():
            fz.reduce(f, args.reduce_seconds)

    print()
    print("=" * 78)
    print(f"inputs tried: {fz.total} in {elapsed:.1f} s ({fz.total / max(elapsed, 1e-9):.1f}/s), "
          f"seed {seed}")
    for t in targets:
        print(f"  {t:12} {fz.tried[t]}")
    print(f"distinct failures: {len(fz.failures)}")
    for i, f in enumerate(sorted(fz.failures.values(), key=lambda f: -f.count), 1):
        print("-" * 78)
        print(f"#{i} {f.key[0]} at {f.key[1]}")
        print(f"   seen {f.count} times, targets: {', '.join(sorted(f.targets))}")
        print(f"   message: {f.message[:2000]}")
        print(f"   smallest input ({f.target}): {_show(f.payload)}")
        print("   traceback:")
        print("".join("     " + ln + "\n" for ln in f.tb.rstrip().splitlines()[-25:]), end="")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"seed": seed, "inputs": fz.total, "seconds": elapsed, "tried": fz.tried,
                       "failures": [{"type": f.key[0], "where": f.key[1], "count": f.count,
                                     "target": f.target, "input": repr(f.payload),
                                     "message": f.message, "traceback": f.tb}
                                    for f in fz.failures.values()]}, fh, indent=2)
    return 1 if fz.failures else 0


if __name__ == "__main__":
    sys.exit(main())
