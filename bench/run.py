#!/usr/bin/env python3
"""claimlint's benchmark: throughput against the spaCy ceiling and proselint, cold start, parallel
workers, the cache and memory, measured in one run and printed side by side.

Setup (once, in the project's virtual environment)::

    pip install -e '.[bench]'          # claimlint, plus proselint for the comparison

Run::

    python bench/run.py                # about a million words; a few minutes on two cores
    python bench/run.py --quick        # a tenth of the sizes, to try it out
    python bench/run.py --json bench/results/latest.json

The corpora are generated into bench/corpus/ (ignored by git) from neutral paragraphs written for
the benchmark (bench/corpus_text.py) and the claims of the project's labelled corpus, in Markdown,
HTML and plain text, deterministically for a given size: the "mixed" corpus has roughly one claim
paragraph in five (mostly clinic logistics), the "claim-dense" one four in five (marketing copy,
what users check). Every timing is repeated (--repeat) with the programs compared taking turns, and
the median is reported with the range. Cold runs start in a fresh directory, with no cache of any
kind. File-size rows check one claim-dense file of each size (--sizes, in MB).
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


def make_document(rng: random.Random, claims: list[str], words: int, fmt: str,
                  claim_share: float = 0.2) -> str:
    paras: list[tuple[str, str]] = []  # (kind, text)
    n = 0
    while n < words:
        if rng.random() < 0.25:
            paras.append(("h", fill(rng.choice(HEADINGS), rng)))
        text = rng.choice(claims) if rng.random() < claim_share else fill(rng.choice(NEUTRAL), rng)
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


INPUT_SUFFIXES = (".md", ".html", ".txt")


def inputs(directory: Path) -> list[Path]:
    """The input files of a corpus (not its ``.params.json`` stamp)."""
    return sorted(p for p in directory.iterdir()
                  if p.suffix in INPUT_SUFFIXES and not p.name.startswith("."))


def build_corpus(directory: Path, files: int, words_per_file: tuple[int, int], seed: int,
                 claim_share: float = 0.2) -> int:
    """Write the corpus (if it is not there already); returns its word count."""
    stamp = directory / ".params.json"
    params = {"files": files, "words": list(words_per_file), "seed": seed, "version": 1,
              "claim_share": claim_share}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return sum(len(p.read_text(encoding="utf-8").split()) for p in inputs(directory))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    rng = random.Random(seed)
    claims = claim_paragraphs()
    total = 0
    for i in range(files):
        fmt = rng.choices(["txt", "md", "html"], weights=[40, 35, 25])[0]
        text = make_document(rng, claims, rng.randint(*words_per_file), fmt, claim_share)
        (directory / f"page{i:05d}.{fmt}").write_text(text, encoding="utf-8")
        total += len(text.split())
    stamp.write_text(json.dumps(params))
    return total


def big_file(path: Path, megabytes: float, seed: int) -> None:
    """One claim-dense plain-text file of about ``megabytes`` MB (kept if it is there)."""
    size = int(megabytes * 1_000_000)
    if path.exists() and path.stat().st_size >= size:
        return
    rng = random.Random(seed)
    claims = claim_paragraphs()
    paras, n = [], 0
    while n < size:
        text = rng.choice(claims) if rng.random() < 0.8 else fill(rng.choice(NEUTRAL), rng)
        paras.append(text)
        n += len(text.encode("utf-8")) + 2
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def clean_page(rng: random.Random, words: int) -> str:
    """A realistic page with no claims: the benchmark's neutral clinic copy (visits, team,
    policies). Its words are those rules look for, so it is analysed."""
    paras, n = [], 0
    while n < words:
        text = fill(rng.choice(NEUTRAL), rng)
        paras.append(text)
        n += len(text.split())
    return "\n\n".join(paras) + "\n"


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


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def interleaved(cmds: dict[str, list[str]], repeat: int, fresh_dir: bool = False,
                **kw) -> dict[str, dict]:
    """Run each command ``repeat`` times, taking turns; each one's wall time, CPU time (user +
    system, of the process and its children), peak RSS and last output. With ``fresh_dir``,
    every run starts in a new empty directory (no cache of any kind)."""
    raw: dict[str, list] = {k: [] for k in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            if fresh_dir:
                with tempfile.TemporaryDirectory() as tmp:
                    raw[name].append(run_usage(cmd, cwd=Path(tmp), **kw))
            else:
                raw[name].append(run_usage(cmd, **kw))
    out = {}
    for name, runs in raw.items():
        out[name] = {"wall": spread([r[0] for r in runs]), "cpu": spread([r[1] for r in runs]),
                     "rss_mb": max(r[2] for r in runs) / 1024, "output": runs[-1][3],
                     "outputs_identical": len({r[3] for r in runs}) == 1}
    return out


def run_usage(cmd: list[str], cwd: Path | None = None,
              env: dict | None = None) -> tuple[float, float, int, bytes]:
    """Wall time, CPU time, peak RSS (kB), stdout of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out)


def timed(cmd: list[str], repeat: int, **kw) -> dict:
    times, rss, out = [], [], b""
    for _ in range(repeat):
        t, m, out = run(cmd, **kw)
        times.append(t)
        rss.append(m)
    return {"min": min(times), "median": statistics.median(times), "max": max(times),
            "rss_kb": max(rss), "output": out}


def in_process(codes: dict[str, str], repeat: int) -> dict[str, dict]:
    """Run each of ``codes`` (which print a JSON dict with 'seconds') in a fresh interpreter,
    ``repeat`` times, taking turns."""
    results: dict[str, list] = {k: [] for k in codes}
    for _ in range(repeat):
        for name, code in codes.items():
            out = subprocess.run([PY, "-c", code], capture_output=True, text=True,
                                 check=True).stdout
            results[name].append(json.loads(out.strip().splitlines()[-1]))
    summary = {}
    for name, runs in results.items():
        secs = [r["seconds"] for r in runs]
        best = dict(runs[secs.index(min(secs))])
        best.update(spread(secs))
        summary[name] = best
    return summary


CEILING = """
import json, time, spacy
files = {files!r}
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
import json, time
from claimlint.linter import Linter
files = {files!r}
engine = Linter()
engine.warm()
t = time.perf_counter()
n = sum(len(engine.check_file(p).findings) for p in files)
print(json.dumps({{"seconds": time.perf_counter() - t, "findings": n}}))
"""

PROSELINT = """
import json, time
from proselint.checks import __register__
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.tools import LintFile
CheckRegistry().register_many(__register__)
config = dict(DEFAULT)
config["max_errors"] = 10 ** 9  # proselint stops at max_errors; count every finding, as claimlint does
files = {files!r}
t = time.perf_counter()
n = 0
for path in files:
    with open(path, encoding="utf-8") as fh:
        n += len(LintFile(path, fh.read()).lint(config))
print(json.dumps({{"seconds": time.perf_counter() - t, "findings": n}}))
"""

BUILD_PIPELINE = "import spacy; from claimlint.nlp.pipeline import get_pipeline; get_pipeline()"

# Where the time of a warm run goes: each stage's own functions timed around their calls.
BREAKDOWN = """
import json, time
import claimlint.linter as L
from claimlint import sources
from claimlint.nlp import pipeline
from claimlint.prefilter import Prefilter
files = {files!r}
spent = dict(reading=0.0, prefilter=0.0, pipeline=0.0)
def timing(name, fn):
    def wrapped(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent[name] += time.perf_counter() - t
    return wrapped
engine = L.Linter()
engine.warm()
L.sources.load = timing("reading", sources.load)
Prefilter.plan = timing("prefilter", Prefilter.plan)
pipeline.analyse = timing("pipeline", pipeline.analyse)
t = time.perf_counter()
for p in files:
    engine.check_file(p)
total = time.perf_counter() - t
spent["rules and reporting"] = total - sum(spent.values())
print(json.dumps({{"seconds": total, "shares": {{k: v / total for k, v in spent.items()}}}}))
"""


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
    ap.add_argument("--sizes", default="0.25,1,4,16",
                    help="file sizes in MB for the scaling rows (default: 0.25,1,4,16)")
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
    corpora = {"mixed": base / "throughput", "claim-dense": base / "dense"}
    words = {"mixed": build_corpus(corpora["mixed"], 1500 // scale, (500, 900), seed=1),
             "claim-dense": build_corpus(corpora["claim-dense"], 1000 // scale, (300, 800),
                                         seed=5, claim_share=0.8)}
    thousand = base / "thousand-dense"
    build_corpus(thousand, 1000 // scale, (300, 800), seed=2, claim_share=0.8)
    sizes = [float(x) for x in args.sizes.split(",") if x.strip()]
    if args.quick:
        sizes = [x / 10 for x in sizes]
    big = {mb: base / f"size-{mb:g}mb.txt" for mb in sizes}
    for mb, path in big.items():
        big_file(path, mb, seed=6)
    rng = random.Random(4)
    cold = base / "cold"
    cold.mkdir(parents=True, exist_ok=True)
    pages = {"claims": cold / "claims.md", "clean": cold / "clean.md", "quiet": cold / "quiet.md"}
    pages["claims"].write_text(make_document(rng, claim_paragraphs(), 500, "md", 0.8),
                               encoding="utf-8")
    pages["clean"].write_text(clean_page(rng, 500), encoding="utf-8")
    pages["quiet"].write_text(quiet_page(rng, 500), encoding="utf-8")

    results: dict = {"machine": machine(), "corpus_words": words, "quick": args.quick,
                     "repeat": args.repeat}

    # Throughput, each in a fresh interpreter, start-up excluded, the three taking turns.
    results["throughput"] = {}
    for name, directory in corpora.items():
        print(f"throughput, {name} ...", file=sys.stderr)
        files = [str(p) for p in inputs(directory)]
        got = in_process({"ceiling": CEILING.format(files=files),
                          "claimlint": CLAIMLINT.format(files=files),
                          "proselint": PROSELINT.format(files=files)}, args.repeat)
        n = words[name]
        results["throughput"][name] = {
            "files": len(files), "words": n, "claimlint_findings": got["claimlint"]["findings"],
            **{f"{k}_seconds": {x: v[x] for x in ("median", "min", "max")} for k, v in got.items()},
            **{f"{k}_wps": n / v["median"] for k, v in got.items()},
        }
    print("time breakdown, claim-dense ...", file=sys.stderr)
    files = [str(p) for p in inputs(corpora["claim-dense"])]
    results["breakdown"] = in_process({"b": BREAKDOWN.format(files=files)}, 1)["b"]["shares"]

    # Cold starts: a new directory each run, no cache of any kind, as a first pre-commit run.
    print("cold start ...", file=sys.stderr)
    cmds = {"import_spacy": [PY, "-c", "import spacy"],
            "import_spacy_and_build_pipeline": [PY, "-c", BUILD_PIPELINE]}
    for name, page in pages.items():
        cmds[f"claimlint_{name}"] = claimlint + ["check", "--isolated", str(page)]
        cmds[f"proselint_{name}"] = [PY, "-m", "proselint", "check", str(page)]
    got = interleaved(cmds, args.repeat, fresh_dir=True)
    results["cold"] = {k: {"median": v["wall"]["median"], "min": v["wall"]["min"],
                           "max": v["wall"]["max"]} for k, v in got.items()}
    results["cold"]["page_words"] = {k: len(p.read_text(encoding="utf-8").split())
                                     for k, p in pages.items()}
    for name in ("clean", "quiet"):
        probe = subprocess.run([PY, "-c", "import sys\nfrom claimlint.linter import Linter\n"
                                f"Linter().check_file({str(pages[name])!r})\n"
                                "print('spacy' in sys.modules)"],
                               capture_output=True, text=True, check=True).stdout.strip()
        results["cold"][f"{name}_imported_spacy"] = probe == "True"

    # Parallel workers, taking turns.
    print("jobs ...", file=sys.stderr)
    cmd = claimlint + ["check", str(thousand), "--format", "json", "--no-cache"]
    got = interleaved({"1": cmd + ["--jobs", "1"], "2": cmd + ["--jobs", "2"]}, args.repeat)
    results["jobs"] = {"files": len(inputs(thousand)), "jobs1_seconds": got["1"]["wall"],
                       "jobs2_seconds": got["2"]["wall"],
                       "speedup": got["1"]["wall"]["median"] / got["2"]["wall"]["median"],
                       "identical_output": got["1"]["output"] == got["2"]["output"]}

    # Cache: a cold run that fills it, then a re-check of the same unchanged files.
    print("cache ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = claimlint + ["check", str(thousand), "--format", "json", "--isolated", "--jobs", "1"]
        first = timed(cmd, 1, cwd=Path(tmp))
        again = timed(cmd, args.repeat, cwd=Path(tmp))
    results["cache"] = {"cold_seconds": first["median"], "warm_seconds": again["median"],
                        "ratio": again["median"] / first["median"],
                        "identical_output": first["output"] == again["output"]}

    # File size: time and peak RSS checking one file of each size.
    print("file sizes ...", file=sys.stderr)
    cmds = {f"{mb:g}": claimlint + ["check", "--isolated", "--no-cache", "--format", "json",
                                    str(path)]
            for mb, path in big.items() if mb < 20}  # 20 MB: the default max-file-size
    got = interleaved(cmds, max(1, args.repeat - 1))
    results["sizes"] = {k: {"mb": float(k), "cpu": v["cpu"], "wall": v["wall"],
                            "rss_mb": v["rss_mb"]} for k, v in got.items()}

    report(results)
    if args.json_path:
        Path(args.json_path).parent.mkdir(parents=True, exist_ok=True)
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, default=str)
    return 0


def _range(d: dict, fmt: str = "{:.2f}") -> str:
    return (fmt + " s [" + fmt + "-" + fmt + "]").format(d["median"], d["min"], d["max"])


def report(r: dict) -> None:
    c, j, k = r["cold"], r["jobs"], r["cache"]
    rows = []
    for name, t in r["throughput"].items():
        rows += [
            (f"{name}: words/s ({t['files']} files)", f"claimlint {t['claimlint_wps']:,.0f}",
             f"ceiling {t['ceiling_wps']:,.0f}", f"proselint {t['proselint_wps']:,.0f}"),
            (f"{name}: seconds, median [range]", f"claimlint {_range(t['claimlint_seconds'])}",
             f"ceiling {_range(t['ceiling_seconds'])}", f"proselint {_range(t['proselint_seconds'])}"),
            (f"{name}: time / ceiling", f"{t['claimlint_seconds']['median'] / t['ceiling_seconds']['median']:.2f}x", "", ""),
            (f"{name}: speed / proselint", f"{t['claimlint_wps'] / t['proselint_wps']:.2f}x", "", ""),
        ]
    rows.append(("time breakdown, claim-dense", ", ".join(f"{k} {100 * v:.0f}%" for k, v in r["breakdown"].items()), "", ""))
    build = c["import_spacy_and_build_pipeline"]["median"]
    for name in ("claims", "clean", "quiet"):
        ours, theirs = c[f"claimlint_{name}"], c[f"proselint_{name}"]
        extra = f"spaCy imported: {c[f'{name}_imported_spacy']}" if name != "claims" else ""
        rows.append((f"cold, fresh dir: {name} page ({c['page_words'][name]} words)",
                     f"claimlint {_range(ours)}", f"proselint {_range(theirs)}",
                     f"{ours['median'] / build:.2f}x import spacy + pipeline; "
                     f"{ours['median'] / theirs['median']:.1f}x proselint {extra}"))
    rows.append(("import spacy / + build pipeline", f"{_range(c['import_spacy'])}", _range(c["import_spacy_and_build_pipeline"]), ""))
    rows.append((f"--jobs over {j['files']} claim-dense files", f"1: {_range(j['jobs1_seconds'], '{:.1f}')}",
                 f"2: {_range(j['jobs2_seconds'], '{:.1f}')}",
                 f"speed-up {j['speedup']:.2f}x (medians); identical output: {j['identical_output']}"))
    rows.append(("cache: unchanged re-check", f"{k['warm_seconds']:.2f} s of {k['cold_seconds']:.2f} s",
                 f"{100 * k['ratio']:.1f}%", f"identical output: {k['identical_output']}"))
    sizes = r["sizes"]
    first = min(sizes.values(), key=lambda v: v["mb"])
    for name, v in sizes.items():
        rows.append((f"one {name} MB file", f"CPU {_range(v['cpu'])}", f"peak RSS {v['rss_mb']:.0f} MB",
                     f"{v['cpu']['median'] / first['cpu']['median']:.1f}x the {first['mb']:g} MB time"))
    width = max(len(x[0]) for x in rows)
    m = r["machine"]
    print(f"claimlint benchmark -- {m.get('cpu', '?')}, {m['cpus']} CPUs, Python {m['python']}, "
          f"spaCy {m.get('spacy')}; {r['repeat']} runs of each, taking turns")
    for row in rows:
        print("  " + row[0].ljust(width) + "  " + "   ".join(x for x in row[1:] if x))


if __name__ == "__main__":
    sys.exit(main())
