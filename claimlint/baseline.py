"""Baselines: accept the findings a site already has, report only new ones.

``claimlint check --write-baseline FILE`` records every current finding by path, rule and
fingerprint (which hashes the sentence, not its line), so lines added above a baselined claim do
not bring it back, while rewording the claim's sentence does. ``--baseline FILE`` then reports only
findings that are not in the file. Paths are stored relative to the baseline file's folder, so the
baseline works from any working directory.

The file is written through a new temporary file (a unique name, created with ``O_EXCL``, in the
same folder) renamed over it, so a reader never sees half a baseline, a name planted next to it is
never written through, and nothing is left behind when writing fails or is interrupted. When FILE
is a symbolic link, the file it points to is rewritten -- if that file is inside the working
directory; a link pointing elsewhere is refused. Reading takes a regular file of at most
:data:`MAX_BASELINE_BYTES` (a FIFO or ``/dev/zero`` given as the baseline is an error, not a hang).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from typing import Iterable

from . import __version__, safefs
from .errors import ConfigError
from .findings import Finding

FORMAT_VERSION = 1
MAX_BASELINE_BYTES = 100_000_000  # about 250,000 findings


def _key_path(path: str, base: str) -> str:
    if path in ("<stdin>", "<text>"):
        return path
    rel = os.path.relpath(os.path.abspath(path), base)
    return rel.replace(os.sep, "/")


def write(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline; raises :class:`OSError` (nothing changed on disk) when it cannot."""
    base = os.path.dirname(os.path.abspath(path))
    rows = [
        {"path": _key_path(f.path, base), "rule": f.rule, "fingerprint": f.fingerprint,
         "line": f.line, "message": f.message, "excerpt": f.excerpt}
        for f in findings
    ]
    rows.sort(key=lambda r: (r["path"], r["line"], r["rule"], r["fingerprint"]))
    data = {"version": FORMAT_VERSION, "tool": f"claimlint {__version__}", "findings": rows}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    safefs.replace_file(path, text.encode("utf-8", "surrogateescape"), root=os.getcwd())
    return len(rows)


class Baseline:
    def __init__(self, path: str, max_bytes: int = MAX_BASELINE_BYTES):
        self.path = path
        self.base = os.path.dirname(os.path.abspath(path))
        try:
            raw = safefs.read_regular(path, max_bytes)
        except FileNotFoundError:
            raise ConfigError("baseline file not found (create it with --write-baseline)", path) from None
        except safefs.TooLarge as exc:
            raise ConfigError(f"cannot read the baseline: it is over {max_bytes / 1e6:.0f} MB, more "
                              "than a baseline can be", path) from None
        except safefs.NotRegularFile as exc:
            raise ConfigError(f"cannot read the baseline: it is {exc.kind}, not a regular file",
                              path) from None
        except OSError as exc:
            raise ConfigError(f"cannot read the baseline: {exc.strerror or exc}", path) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(f"cannot read the baseline: not UTF-8 ({exc.reason} at byte "
                              f"{exc.start})", path) from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"cannot read the baseline: {exc}", path, exc.lineno, exc.colno) from None
        except (RecursionError, ValueError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise ConfigError(f"cannot read the baseline: {reason}", path) from None
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
