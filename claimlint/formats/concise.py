"""``--format concise``: one line per finding, no context, for people who know the rules::

    docs/post.md:12:1: error [claims/cure-claim] 'cure' promises a cure
    docs/post.md:14:9: warning [claims/superlative-claim] 'the best' claims to be the best ...
    Found 2 problems.

The closing line is printed only when something was found. Colour as in the text format (on a
terminal, or with ``--color always``). Line breaks and control characters in a path or message
are shown as spaces and escapes, so every finding stays on one line and a document cannot send
escape sequences to the terminal.
"""
from __future__ import annotations

import click

from ..findings import FileResult, Finding, Summary
from . import Formatter
from .common import one_line
from .text import SEVERITY_COLOR


class ConciseFormatter(Formatter):
    name = "concise"
    machine = False

    def _s(self, text: str, **style) -> str:
        return click.style(text, **style) if self.options.color else text

    def render(self, f: Finding) -> str:
        loc = self._s(f"{one_line(f.path)}:{f.line}:{f.column}:", bold=True)
        sev = self._s(f.severity, fg=SEVERITY_COLOR.get(f.severity), bold=True)
        rule = self._s(f"[{one_line(f.rule)}]", fg="cyan")
        return f"{loc} {sev} {rule} {one_line(f.message)}\n"

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(self.render(f))

    def end(self, summary: Summary) -> None:
        n = summary.findings
        if n:
            self.out.write(self._s(f"Found {n} problem{'s' if n != 1 else ''}.", bold=True) + "\n")
