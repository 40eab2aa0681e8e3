#!/usr/bin/env python3
"""claimlint on Spark: documents/s with local[1] and local[2], and the cost per document against
the plain command line and the library, on the same generated texts.

Setup (once, in the project's virtual environment)::

    pip install -e '.[spark]'          # PySpark, pyarrow; Java 17 must be installed

Run::

    python bench/spark_bench.py                  # 10,000 documents, 3 rounds; ~10 min on 2 cores
    python bench/spark_bench.py --quick          # 1,000 documents, 1 round, to try it out
    python bench/spark_bench.py --json bench/results/spark.json

The corpus is generated deterministically (bench/run.py's generator: neutral paragraphs and the
claims of the project's labelled corpus, roughly one paragraph in five a claim, in Markdown, HTML
and plain text) into bench/corpus/spark/ as one Parquet file (id, text, format, path) and, for
the command line, as files with the same names.

Each round runs ``python -m claimlint.spark`` once with ``--master local[1]`` and once with
``local[2]`` (in alternating order, so a busy spell on the machine does not always hit the same
one), each in a new JVM, over the same Parquet file with the same number of partitions. The
throughput is documents over the job's time as the command reports it (reading, checking and
writing; the JVM's start is shown apart). The command line runs with ``--jobs 1`` and ``--jobs 2`` over the files
and the library checks the same texts in one process, for the cost per document of each.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
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
PY = sys.executable


def _bench_run():
    """bench/run.py, for its corpus generator and machine description."""
    spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


FORMATS = {"md": "markdown", "html": "html", "txt": "text"}


def build_corpus(folder: Path, documents: int, words: tuple[int, int], seed: int) -> dict:
    """The Parquet file and the files of the same texts; rebuilt only when the parameters change."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stamp = folder / "params.json"
    params = {"documents": documents, "words": list(words), "seed": seed, "version": 1}
    parquet, files = folder / "pages.parquet", folder / "files"
    if stamp.exists() and json.loads(stamp.read_text()) == params and parquet.exists():
        return json.loads((folder / "stats.json").read_text())
    shutil.rmtree(folder, ignore_errors=True)
    files.mkdir(parents=True)
    run = _bench_run()
    rng = random.Random(seed)
    claims = run.claim_paragraphs()
    cols: dict[str, list] = {"id": [], "text": [], "format": [], "path": []}
    total_words = total_bytes = 0
    for i in range(documents):
        ext = rng.choices(["txt", "md", "html"], weights=[40, 35, 25])[0]
        text = run.make_document(rng, claims, rng.randint(*words), ext)
        name = f"page{i:05d}.{ext}"
        (files / name).write_text(text, encoding="utf-8")
        cols["id"].append(i)
        cols["text"].append(text)
        cols["format"].append(FORMATS[ext])
        cols["path"].append(name)
        total_words += len(text.split())
        total_bytes += len(text.encode("utf-8"))
    # Row groups of 500 documents: a reader may split the file however many cores there are.
    pq.write_table(pa.table(cols), parquet, row_group_size=500)
    stats = {"documents": documents, "words": total_words, "bytes": total_bytes}
    (folder / "stats.json").write_text(json.dumps(stats))
    stamp.write_text(json.dumps(params))
    return stats


def spark_run(parquet: Path, master: str, partitions: int, work: Path) -> dict:
    out, summary = work / "out", work / "summary.json"
    cmd = [PY, "-m", "claimlint.spark", str(parquet), str(out), "--id-column", "id",
           "--text-column", "text", "--format-column", "format", "--path-column", "path",
           "--isolated", "--master", master, "--partitions", str(partitions), "--overwrite",
           "--summary-json", str(summary)]
    env = {**os.environ, "PYSPARK_PYTHON": PY}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=work)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    s = json.loads(summary.read_text())
    return {"master": master, "job_seconds": s["seconds"], "wall_seconds": round(wall, 3),
            "documents": s["documents"], "findings": s["findings"],
            "error_rows": s["error_rows"], "docs_per_s": s["documents"] / s["seconds"]}


def cli_run(files: Path, jobs: int = 1) -> dict:
    cmd = [PY, "-m", "claimlint", "check", str(files), "--format", "json", "--isolated",
           "--no-cache", "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return {"seconds": round(wall, 3), "findings": len(json.loads(proc.stdout)["findings"])}


LIBRARY = """
import json, sys, time
import pyarrow.parquet as pq
from claimlint import Linter, Settings
t = pq.read_table(sys.argv[1]).to_pydict()
linter = Linter(Settings())
linter.check_text("Warm up: our drops cure insomnia.", path="warm.md")
start = time.perf_counter()
n = 0
for text, path, fmt in zip(t["text"], t["path"], t["format"]):
    n += len(linter.check_text(text, path=path, format=fmt).findings)
print(json.dumps({"seconds": time.perf_counter() - start, "findings": n}))
"""


def library_run(parquet: Path) -> dict:
    proc = subprocess.run([PY, "-c", LIBRARY, str(parquet)], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


SPIN = "import time; s = time.perf_counter(); sum(i * i for i in range(12_000_000)); " \
       "print(time.perf_counter() - s)"


def machine_scaling() -> float:
    """What two cores give right now: two CPU-bound Python processes side by side against one
    (2.0 on an idle two-core machine; less while other work shares it)."""
    one = float(subprocess.run([PY, "-c", SPIN], capture_output=True, text=True,
                               check=True).stdout)
    procs = [subprocess.Popen([PY, "-c", SPIN], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    both = max(float(p.communicate()[0]) for p in procs)
    return 2 * one / both


def wait_for_cores(patience: float) -> float:
    """The machine's two-process scaling now; with ``patience`` seconds, first wait (checking
    every few seconds) until other work leaves both cores free (1.8x or more)."""
    deadline = time.monotonic() + patience
    while True:
        scaling = machine_scaling()
        if scaling >= 1.8 or time.monotonic() >= deadline:
            return scaling
        time.sleep(5)


def load() -> float:
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            return float(fh.read().split()[0])
    except OSError:  # pragma: no cover - not Linux
        return float("nan")


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "values": [round(v, 2) for v in values]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--words", type=int, nargs=2, default=(150, 450), metavar=("MIN", "MAX"),
                    help="words per document (default: 150 450)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of local[1] and local[2]")
    ap.add_argument("--partitions", type=int, default=12,
                    help="tasks per run, the same for both masters")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--wait-for-idle", type=float, default=0, metavar="SECONDS",
                    help="on a shared machine: before each round, wait up to this long for "
                         "both cores to be free (default: do not wait)")
    ap.add_argument("--quick", action="store_true", help="1,000 documents, one round")
    ap.add_argument("--corpus", default=str(HERE / "corpus" / "spark"))
    ap.add_argument("--json", dest="json_path", help="also write the results as JSON here")
    args = ap.parse_args()
    if args.quick:
        args.documents, args.rounds = 1_000, 1
    folder = Path(args.corpus)
    print(f"corpus: {args.documents:,} documents ...", file=sys.stderr)
    stats = build_corpus(folder, args.documents, tuple(args.words), args.seed)
    parquet = folder / "pages.parquet"
    runs: dict[str, list[dict]] = {"local[1]": [], "local[2]": []}
    ceiling = []
    with tempfile.TemporaryDirectory(prefix="claimlint-spark-bench-") as tmp:
        for r in range(args.rounds):
            ceiling.append(wait_for_cores(args.wait_for_idle))
            print(f"round {r + 1}: two processes on this machine scale {ceiling[-1]:.2f}x now",
                  file=sys.stderr)
            order = ["local[1]", "local[2]"] if r % 2 == 0 else ["local[2]", "local[1]"]
            for master in order:
                work = Path(tmp) / f"{r}-{master[6]}"
                work.mkdir()
                before = load()
                res = spark_run(parquet, master, args.partitions, work)
                res["load_before"] = before
                runs[master].append(res)
                print(f"round {r + 1}: {master}: {res['docs_per_s']:.1f} documents/s "
                      f"(job {res['job_seconds']:.1f} s, process {res['wall_seconds']:.1f} s, "
                      f"load average before {before:.2f})", file=sys.stderr)
                shutil.rmtree(work)
    cli, cli2, lib = [], [], []
    for _ in range(max(1, min(args.rounds, 3))):  # interleaved, as the Spark runs are
        cli.append(cli_run(folder / "files"))
        cli2.append(cli_run(folder / "files", jobs=2))
        lib.append(library_run(parquet))
    n = stats["documents"]
    one = spread([x["docs_per_s"] for x in runs["local[1]"]])
    two = spread([x["docs_per_s"] for x in runs["local[2]"]])
    findings = {x["findings"] for v in runs.values() for x in v} \
        | {c["findings"] for c in cli + cli2} | {x["findings"] for x in lib}
    results = {
        "machine": _bench_run().machine(), "corpus": stats, "partitions": args.partitions,
        "rounds": args.rounds,
        "local1": one, "local2": two,
        "speedup": two["median"] / one["median"],
        "speedup_per_round": [round(b["docs_per_s"] / a["docs_per_s"], 3)
                              for a, b in zip(runs["local[1]"], runs["local[2]"])],
        "machine_scaling": spread(ceiling),
        "jvm_and_start_seconds": statistics.median(
            x["wall_seconds"] - x["job_seconds"] for v in runs.values() for x in v),
        "ms_per_document": {
            "spark_local1": 1000 / one["median"],
            "spark_local2": 1000 / two["median"],
            "cli_jobs1": 1000 * statistics.median(c["seconds"] for c in cli) / n,
            "cli_jobs2": 1000 * statistics.median(c["seconds"] for c in cli2) / n,
            "library": 1000 * statistics.median(x["seconds"] for x in lib) / n,
        },
        "cli_seconds": {"jobs1": [c["seconds"] for c in cli],
                        "jobs2": [c["seconds"] for c in cli2]},
        "library_seconds": [round(x["seconds"], 3) for x in lib],
        "findings_identical": len(findings) == 1,
        "findings": sorted(findings),
        "runs": runs,
    }
    report(results)
    if args.json_path:
        Path(args.json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_path).write_text(json.dumps(results, indent=2) + "\n")
    return 0


def report(r: dict) -> None:
    c, ms = r["corpus"], r["ms_per_document"]
    words = c["words"] / c["documents"]

    def line(name: str, s: dict) -> str:
        return (f"  {name}: {s['median']:7.1f} documents/s (median of {len(s['values'])}; "
                f"min {s['min']:.1f}, max {s['max']:.1f}) = {s['median'] * words:,.0f} words/s")

    print(f"corpus: {c['documents']:,} documents, {c['words']:,} words ({words:.0f} per document), "
          f"{r['partitions']} partitions")
    print(line("local[1]", r["local1"]))
    print(line("local[2]", r["local2"]))
    print(f"  scaling local[1] -> local[2]: {r['speedup']:.2f}x (per round: "
          f"{', '.join(f'{x:.2f}' for x in r['speedup_per_round'])})")
    m = r["machine_scaling"]
    print(f"  two CPU-bound processes side by side, measured in each round: {m['median']:.2f}x "
          f"(min {m['min']:.2f}, max {m['max']:.2f}; 2.00 on an idle machine)")
    print(f"  starting the JVM and the session, and the summary: "
          f"{r['jvm_and_start_seconds']:.1f} s per run (not in the rates above)")
    print(f"cost per document: Spark local[1] {ms['spark_local1']:.2f} ms, command line --jobs 1 "
          f"{ms['cli_jobs1']:.2f} ms ({ms['spark_local1'] / ms['cli_jobs1']:.2f}x), library "
          f"in one process {ms['library']:.2f} ms ({ms['spark_local1'] / ms['library']:.2f}x)")
    print(f"wall time per document on two cores: Spark local[2] {ms['spark_local2']:.2f} ms, "
          f"command line --jobs 2 {ms['cli_jobs2']:.2f} ms "
          f"({ms['spark_local2'] / ms['cli_jobs2']:.2f}x); the command lines' times include "
          f"starting the process, Spark's do not include starting the JVM")
    print(f"findings: {', '.join(f'{x:,}' for x in r['findings'])} "
          f"({'identical in every run' if r['findings_identical'] else 'DIFFER between runs'})")


if __name__ == "__main__":
    sys.exit(main())
