"""Baselines: accept the findings a site already has, report only new ones.

``claimlint check --write-baseline FILE`` records every current finding by path, rule and
fingerprint (which hashes the sentence, not its line), so lines added above a baselined claim do
not bring it back, while rewording the claim's sentence does. ``--baseline FILE`` then reports only
findings that are not in the file. Paths are stored relative to the baseline file's folder, so the
baseline works from any working directory.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from typing import Iterable

from . import __version__
from .errors import ConfigError
from .findings import Finding

FORMAT_VERSION = 1


def _key_path(path: str, base: str) -> str:
    if path in ("<stdin>", "<text>"):
        return path
    rel = os.path.relpath(os.path.abspath(path), base)
    return rel.replace(os.sep, "/")


def write(path: str, findings: Iterable[Finding]) -> int:
    base = os.path.dirname(os.path.abspath(path))
    rows = [
        {"path": _key_path(f.path, base), "rule": f.rule, "fingerprint": f.fingerprint,
         "line": f.line, "message": f.message, "excerpt": f.excerpt}
        for f in findings
    ]
    rows.sort(key=lambda r: (r["path"], r["line"], r["rule"], r["fingerprint"]))
    data = {"version": FORMAT_VERSION, "tool": f"claimlint {__version__}", "findings": rows}
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, path)
    return len(rows)


class Baseline:
    def __init__(self, path: str):
        self.path = path
        self.base = os.path.dirname(os.path.abspath(path))
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise ConfigError("baseline file not found (create it with --write-baseline)", path) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read the baseline: {exc}", path) from None
        rows = data.get("findings") if isinstance(data, dict) else None
        if not isinstance(rows, list) or data.get("version") != FORMAT_VERSION:
            raise ConfigError(f"not a claimlint baseline (version {FORMAT_VERSION})", path)
        try:
            self.remaining = Counter((r["path"], r["rule"], r["fingerprint"]) for r in rows)
        except (KeyError, TypeError):
            raise ConfigError("a baseline entry lacks path, rule or fingerprint", path) from None
        self.matched = 0

    def filter(self, findings: list[Finding]) -> list[Finding]:
        """The findings not in the baseline (each baseline entry absorbs one finding)."""
        out = []
        for f in findings:
            key = (_key_path(f.path, self.base), f.rule, f.fingerprint)
            if self.remaining.get(key, 0) > 0:
                self.remaining[key] -= 1
                self.matched += 1
            else:
                out.append(f)
        return out
