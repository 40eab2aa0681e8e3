#!/usr/bin/env python3
"""claimlint's benchmark: throughput against the spaCy ceiling and proselint, cold start, parallel
workers, the cache and memory, measured in one run and printed side by side.

Setup (once, in the project's virtual environment)::

    pip install -e '.[bench]'          # claimlint, plus proselint for the comparison

Run::

    python bench/run.py                # about a million words; a few minutes on two cores
    python bench/run.py --quick        # a tenth of the sizes, to try it out
    python bench/run.py --json bench/results/latest.json

The corpus is generated into bench/corpus/ (ignored by git) from neutral paragraphs written for the
benchmark (bench/corpus_text.py) and the claims of the project's labelled corpus, at roughly one
claim paragraph in five, in Markdown, HTML and plain text. It is deterministic for a given size.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus_text import (CITIES, CLINICS, HEADINGS, NAMES, NEUTRAL, QUIET, STATES,  # noqa: E402
                         STREETS)

PY = sys.executable


# --- corpus ------------------------------------------------------------------------------------

def claim_paragraphs() -> list[str]:
    """Lines of the project's labelled corpora (their claims and their honest copy)."""
    out = []
    for pattern in ("tests/corpus/docs/*", "tests/corpus/holdout/docs/*"):
        for path in sorted(glob.glob(str(ROOT / pattern))):
            text = Path(path).read_text(encoding="utf-8")
            if path.endswith((".html", ".md")):
                import re

                text = re.sub(r"<[^>]+>|[#*>|`]", " ", text)
            for line in text.splitlines():
                line = " ".join(line.split())
                if len(line.split()) >= 8:
                    out.append(line)
    return out


def fill(template: str, rng: random.Random) -> str:
    return template.format(clinic=rng.choice(CLINICS), city=rng.choice(CITIES),
                           state=rng.choice(STATES), street=rng.choice(STREETS),
                           name=rng.choice(NAMES))


def make_document(rng: random.Random, claims: list[str], words: int, fmt: str) -> str:
    paras: list[tuple[str, str]] = []  # (kind, text)
    n = 0
    while n < words:
        if rng.random() < 0.25:
            paras.append(("h", fill(rng.choice(HEADINGS), rng)))
        text = rng.choice(claims) if rng.random() < 0.2 else fill(rng.choice(NEUTRAL), rng)
        paras.append(("p", text))
        n += len(text.split())
    if fmt == "md":
        return "\n\n".join(("## " + t) if k == "h" else t for k, t in paras) + "\n"
    if fmt == "html":
        body = "\n".join(f"<h2>{t}</h2>" if k == "h" else f"<p>{t}</p>" for k, t in paras)
        return (f"<!doctype html>\n<html><head><title>{fill('{clinic}', rng)}</title>"
                f"<style>p {{ margin: 0 }}</style></head>\n<body>\n<nav><a href=\"/\">Home</a> "
                f"<a href=\"/visit\">Visit</a></nav>\n{body}\n<footer>Copyright</footer></body></html>\n")
    return "\n".join(t for _, t in paras) + "\n"


def build_corpus(directory: Path, files: int, words_per_file: tuple[int, int], seed: int) -> int:
    """Write the corpus (if it is not there already); returns its word count."""
    stamp = directory / ".params.json"
    params = {"files": files, "words": list(words_per_file), "seed": seed, "version": 1}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return sum(len(p.read_text(encoding="utf-8").split()) for p in directory.glob("*.*")
                   if p.name != ".params.json")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    rng = random.Random(seed)
    claims = claim_paragraphs()
    total = 0
    for i in range(files):
        fmt = rng.choices(["txt", "md", "html"], weights=[40, 35, 25])[0]
        text = make_document(rng, claims, rng.randint(*words_per_file), fmt)
        (directory / f"page{i:05d}.{fmt}").write_text(text, encoding="utf-8")
        total += len(text.split())
    stamp.write_text(json.dumps(params))
    return total


def quiet_page(rng: random.Random, words: int) -> str:
    paras, n = [], 0
    while n < words:
        for t in QUIET:
            text = fill(t, rng)
            paras.append(text)
            n += len(text.split())
    return "\n\n".join(paras) + "\n"


# --- measuring ---------------------------------------------------------------------------------

def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int, bytes]:
    """Wall time, peak RSS (kB, of the process and the children it waited for), stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - start, usage.ru_maxrss, out


def timed(cmd: list[str], repeat: int, **kw) -> dict:
    times, rss, out = [], [], b""
    for _ in range(repeat):
        t, m, out = run(cmd, **kw)
        times.append(t)
        rss.append(m)
    return {"min": min(times), "median": statistics.median(times), "max": max(times),
            "rss_kb": max(rss), "output": out}


def in_process(code: str, repeat: int) -> dict:
    """Run ``code`` (which prints a JSON dict with 'seconds') in a fresh interpreter."""
    results = []
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    secs = [r["seconds"] for r in results]
    best = dict(results[secs.index(min(secs))])
    best.update(min=min(secs), median=statistics.median(secs), max=max(secs))
    return best


CEILING = """
import glob, json, time, spacy
files = sorted(glob.glob({pattern!r}))
nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")
t = time.perf_counter()
n = 0
for path in files:
    with open(path, encoding="utf-8") as fh:
        doc = nlp(fh.read())
    n += sum(1 for _ in doc.sents)
print(json.dumps({{"seconds": time.perf_counter() - t, "sentences": n}}))
"""

CLAIMLINT = """
import glob, json, time
from claimlint.linter import Linter
files = sorted(glob.glob({pattern!r}))
engine = Linter()
engine.warm()
t = time.perf_counter()
n = sum(len(engine.check_file(p).findings) for p in files)
print(json.dumps({{"seconds": time.perf_counter() - t, "findings": n}}))
"""

PROSELINT = """
import glob, json, time
from proselint.checks import __register__
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.tools import LintFile
CheckRegistry().register_many(__register__)
config = dict(DEFAULT)
config["max_errors"] = 10 ** 9  # proselint stops at max_errors; count every finding, as claimlint does
files = sorted(glob.glob({pattern!r}))
t = time.perf_counter()
n = 0
for path in files:
    with open(path, encoding="utf-8") as fh:
        n += len(LintFile(path, fh.read()).lint(config))
print(json.dumps({{"seconds": time.perf_counter() - t, "findings": n}}))
"""

BUILD_PIPELINE = "import spacy; from claimlint.nlp.pipeline import get_pipeline; get_pipeline()"


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count()}
    try:
        import spacy

        info["spacy"] = spacy.__version__
    except ImportError:  # pragma: no cover
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing (median reported)")
    ap.add_argument("--json", dest="json_path", help="also write the results as JSON here")
    ap.add_argument("--corpus", default=str(HERE / "corpus"), help="where to build the corpora")
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    base = Path(args.corpus)
    claimlint = [PY, "-m", "claimlint"]
    try:
        import proselint  # noqa: F401
    except ImportError:
        print("proselint is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    print("building corpora ...", file=sys.stderr)
    big = base / "throughput"
    words = build_corpus(big, 1500 // scale, (500, 900), seed=1)
    thousand = base / "thousand"
    build_corpus(thousand, 1000 // scale, (300, 700), seed=2)
    small, huge = base / "mem-100", base / "mem-10000"
    build_corpus(small, 100, (60, 120), seed=3)
    build_corpus(huge, 10000 // scale, (60, 120), seed=3)
    rng = random.Random(4)
    cold = base / "cold"
    cold.mkdir(parents=True, exist_ok=True)
    claims_file = cold / "claims.md"
    claims_file.write_text(make_document(rng, claim_paragraphs(), 2000, "md"), encoding="utf-8")
    quiet_file = cold / "quiet.md"
    quiet_file.write_text(quiet_page(rng, 2000), encoding="utf-8")

    results: dict = {"machine": machine(), "corpus_words": words, "quick": args.quick}
    pattern = str(big / "*.*")

    # Throughput, each in a fresh interpreter, start-up excluded.
    print("throughput ...", file=sys.stderr)
    ceiling = in_process(CEILING.format(pattern=pattern), args.repeat)
    ours = in_process(CLAIMLINT.format(pattern=pattern), args.repeat)
    prose = in_process(PROSELINT.format(pattern=pattern), args.repeat)
    results["throughput"] = {
        "words": words,
        "ceiling_seconds": ceiling["median"], "claimlint_seconds": ours["median"],
        "proselint_seconds": prose["median"],
        "ceiling_wps": words / ceiling["median"], "claimlint_wps": words / ours["median"],
        "proselint_wps": words / prose["median"],
        "claimlint_findings": ours["findings"],
    }
    whole = timed(claimlint + ["check", str(big), "--format", "json", "--no-cache", "--jobs", "1"],
                  1)
    results["throughput"]["claimlint_cli_seconds_jobs1"] = whole["median"]

    # Cold starts.
    print("cold start ...", file=sys.stderr)
    cold_r = {
        "import_spacy": timed([PY, "-c", "import spacy"], args.repeat),
        "import_spacy_and_build_pipeline": timed([PY, "-c", BUILD_PIPELINE], args.repeat),
        "claimlint_claims_file": timed(claimlint + ["check", str(claims_file), "--no-cache"],
                                       args.repeat),
        "claimlint_quiet_file": timed(claimlint + ["check", str(quiet_file), "--no-cache"],
                                      args.repeat),
        "proselint_quiet_file": timed([PY, "-m", "proselint", "check", str(quiet_file)],
                                      args.repeat),
    }
    probe = subprocess.run([PY, "-c", "import sys\nfrom claimlint.linter import Linter\n"
                            f"Linter().check_file({str(quiet_file)!r})\nprint('spacy' in sys.modules)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    results["cold"] = {k: {"median": v["median"], "min": v["min"]} for k, v in cold_r.items()}
    results["cold"]["quiet_file_imported_spacy"] = probe == "True"

    # Parallel workers.
    print("jobs ...", file=sys.stderr)
    j1 = timed(claimlint + ["check", str(thousand), "--format", "json", "--no-cache", "--jobs", "1"], 1)
    j2 = timed(claimlint + ["check", str(thousand), "--format", "json", "--no-cache", "--jobs", "2"], 1)
    results["jobs"] = {"files": len(list(thousand.glob("*.*"))), "jobs1_seconds": j1["median"],
                       "jobs2_seconds": j2["median"], "speedup": j1["median"] / j2["median"],
                       "identical_output": j1["output"] == j2["output"]}

    # Cache: a cold run that fills it, then a re-check of the same unchanged files.
    print("cache ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        env = {}
        cmd = claimlint + ["check", str(thousand), "--format", "json", "--isolated", "--jobs", "1"]
        shutil.rmtree(Path(tmp) / ".claimlint_cache", ignore_errors=True)
        first = timed(cmd, 1, cwd=Path(tmp), env=env)
        again = timed(cmd, args.repeat, cwd=Path(tmp), env=env)
    results["cache"] = {"cold_seconds": first["median"], "warm_seconds": again["median"],
                        "ratio": again["median"] / first["median"],
                        "identical_output": first["output"] == again["output"]}

    # Memory: peak RSS checking 100 files and checking 10,000.
    print("memory ...", file=sys.stderr)
    m_small = timed(claimlint + ["check", str(small), "--format", "json", "--no-cache", "--jobs", "1"], 1)
    m_huge = timed(claimlint + ["check", str(huge), "--format", "json", "--no-cache", "--jobs", "1"], 1)
    results["memory"] = {"files_small": 100, "files_large": len(list(huge.glob("*.*"))),
                         "rss_small_mb": m_small["rss_kb"] / 1024, "rss_large_mb": m_huge["rss_kb"] / 1024,
                         "ratio": m_huge["rss_kb"] / m_small["rss_kb"]}

    report(results)
    if args.json_path:
        Path(args.json_path).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, default=str)
    return 0


def report(r: dict) -> None:
    t, c, j, k, m = r["throughput"], r["cold"], r["jobs"], r["cache"], r["memory"]
    rows = [
        ("throughput (words/s)", f"claimlint {t['claimlint_wps']:,.0f}",
         f"ceiling {t['ceiling_wps']:,.0f}", f"proselint {t['proselint_wps']:,.0f}"),
        ("check time / ceiling", f"{t['claimlint_seconds'] / t['ceiling_seconds']:.2f}x", "target <= 2.0x", ""),
        ("claimlint / proselint speed", f"{t['claimlint_wps'] / t['proselint_wps']:.2f}x", "target >= 3x", ""),
        ("cold: file with claims", f"{c['claimlint_claims_file']['median']:.2f} s",
         f"import spacy + pipeline {c['import_spacy_and_build_pipeline']['median']:.2f} s",
         f"ratio {c['claimlint_claims_file']['median'] / c['import_spacy_and_build_pipeline']['median']:.2f}x (target <= 1.3x)"),
        ("cold: quiet file", f"{c['claimlint_quiet_file']['median']:.2f} s",
         f"proselint {c['proselint_quiet_file']['median']:.2f} s",
         f"ratio {c['claimlint_quiet_file']['median'] / c['proselint_quiet_file']['median']:.2f}x (target <= 2x); "
         f"spaCy imported: {c['quiet_file_imported_spacy']}"),
        ("import spacy", f"{c['import_spacy']['median']:.2f} s", "", ""),
        (f"--jobs over {j['files']} files", f"1: {j['jobs1_seconds']:.1f} s, 2: {j['jobs2_seconds']:.1f} s",
         f"speed-up {j['speedup']:.2f}x (target >= 1.7x)", f"identical output: {j['identical_output']}"),
        ("cache: unchanged re-check", f"{k['warm_seconds']:.2f} s of {k['cold_seconds']:.2f} s",
         f"{100 * k['ratio']:.1f}% (target <= 10%)", f"identical output: {k['identical_output']}"),
        (f"peak RSS: {m['files_small']} vs {m['files_large']} files",
         f"{m['rss_small_mb']:.0f} MB vs {m['rss_large_mb']:.0f} MB", f"ratio {m['ratio']:.2f} (target <= 1.5)", ""),
    ]
    width = max(len(x[0]) for x in rows)
    print(f"claimlint benchmark -- {r['corpus_words']:,} words; {r['machine'].get('cpu', '?')}, "
          f"{r['machine']['cpus']} CPUs, Python {r['machine']['python']}, spaCy {r['machine'].get('spacy')}")
    for row in rows:
        print("  " + row[0].ljust(width) + "  " + "   ".join(x for x in row[1:] if x))


if __name__ == "__main__":
    sys.exit(main())
