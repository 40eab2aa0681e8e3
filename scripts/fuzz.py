#!/usr/bin/env python3
"""Long fuzz run for claimlint's readers and engine (not part of the default test run).

It drives the generators and checkers of ``tests/test_properties.py`` with Hypothesis over a large
example budget, adds byte-level inputs fed through ``claimlint.sources.load(path, data=bytes)`` for
``.md``, ``.html``, ``.txt`` and ``.docx``, and checks the same properties:

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
}


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
                fz.chunk(target, args.chunk, rng.randrange(2**32))
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
