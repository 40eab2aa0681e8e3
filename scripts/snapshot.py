#!/usr/bin/env python3
"""Record claimlint's output on every corpus, to show that a change leaves findings identical.

    python scripts/snapshot.py before.json            # on the old code
    python scripts/snapshot.py after.json             # on the new code
    python scripts/snapshot.py --compare before.json after.json

For each corpus (the examples, the project's labelled corpora, and -- when ``../shared`` is beside
the clone -- the seed articles and the real pages; with ``--bench DIR``, a benchmark corpus too)
it runs ``claimlint check --isolated --no-cache`` once per output format and keeps the output
exactly as printed. ``--compare`` prints the first difference of each corpus and format, and exits
1 when there is one. Timestamps (HTML, JUnit) are the only text it blanks.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FORMATS = ("json", "text", "sarif", "junit", "github", "concise", "html")
# Report texts that change from run to run: generation times and the HTML script nonce.
_VOLATILE = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?'
                       r'|nonce="[^"]*"|nonce-[A-Za-z0-9+/=_-]+|time="[0-9.]+"'
                       r'|generated [^<]*? UTC')


def corpora(bench: str | None) -> dict[str, Path]:
    out = {
        "examples": ROOT / "examples",
        "corpus": ROOT / "tests" / "corpus" / "docs",
        "holdout": ROOT / "tests" / "corpus" / "holdout" / "docs",
        "holdout2": ROOT / "tests" / "corpus" / "holdout2" / "docs",
    }
    if (SHARED / "seeds").is_dir():
        out["seeds"] = SHARED / "seeds"
    if (SHARED / "eval" / "real" / "texts").is_dir():
        out["real"] = SHARED / "eval" / "real" / "texts"
    if bench:
        out["bench"] = Path(bench)
    return out


def run(corpus: Path, fmt: str) -> str:
    files = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(corpus).parts))
    argv = [sys.executable, "-m", "claimlint", "check", "--isolated", "--no-cache",
            "--color", "never", "--format", fmt, *files]
    proc = subprocess.run(argv, cwd=corpus, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    return f"exit {proc.returncode}\n{_VOLATILE.sub('#', proc.stdout)}\n--stderr--\n{proc.stderr}"


def record(path: str, bench: str | None, formats: list[str]) -> None:
    data = {}
    for name, corpus in corpora(bench).items():
        for fmt in formats:
            data[f"{name}:{fmt}"] = run(corpus, fmt)
            print(f"{name:9} {fmt:8} {len(data[f'{name}:{fmt}']):>9} chars", file=sys.stderr)
    Path(path).write_text(json.dumps(data, indent=0, ensure_ascii=False), encoding="utf-8")


def compare(a: str, b: str) -> int:
    old = json.loads(Path(a).read_text(encoding="utf-8"))
    new = json.loads(Path(b).read_text(encoding="utf-8"))
    bad = 0
    for key in sorted(set(old) | set(new)):
        x, y = old.get(key), new.get(key)
        if x == y:
            print(f"same       {key}")
            continue
        bad += 1
        if x is None or y is None:
            print(f"ONLY IN ONE {key}")
            continue
        xl, yl = x.splitlines(), y.splitlines()
        k = next((i for i, (p, q) in enumerate(zip(xl, yl)) if p != q), min(len(xl), len(yl)))
        print(f"DIFFERENT  {key} at line {k + 1}:\n  - {xl[k] if k < len(xl) else '<end>'}\n"
              f"  + {yl[k] if k < len(yl) else '<end>'}")
    print(f"{bad} of {len(set(old) | set(new))} outputs differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", nargs="?", help="where to write the snapshot (JSON)")
    ap.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("--bench", help="also a benchmark corpus folder (bench/corpus/...)")
    ap.add_argument("--formats", default=",".join(FORMATS))
    args = ap.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.output:
        ap.error("give a file to write, or --compare OLD NEW")
    record(args.output, args.bench, args.formats.split(","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
