"""The default human format: findings grouped by file, each with its sentence and a caret line.

    docs/post.md:12:1: error [evidence/efficacy-statistic] Efficacy figure '87%' has no citation
      | 87% of our clients report improvement within four weeks.
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      = help: Cite the source of the figure in the same sentence, or remove it.

Colour only on a terminal (``NO_COLOR`` respected; ``--color`` forces it on or off).
"""
from __future__ import annotations

import unicodedata

import click

from ..findings import FileResult, Finding, Summary
from . import Formatter
from .common import one_line

SEVERITY_COLOR = {"error": "red", "warning": "yellow", "info": "blue"}
MAX_CONTEXT = 140


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in s)


def window(context: str, a: int, b: int, limit: int = MAX_CONTEXT) -> tuple[str, int, int]:
    """Cut a long sentence down around ``[a, b)``; returns the text and the span within it."""
    a = max(0, min(a, len(context)))
    b = max(a, min(b, len(context)))
    if len(context) <= limit:
        return context, a, b
    span = b - a
    if span >= limit - 2:
        start, end = a, min(len(context), a + limit - 2)
    else:
        room = limit - span - 2
        start = max(0, a - room // 2)
        end = min(len(context), start + span + room)
        start = max(0, end - (span + room))
    text = context[start:end]
    prefix = "\u2026" if start > 0 else ""
    suffix = "\u2026" if end < len(context) else ""
    return prefix + text + suffix, a - start + len(prefix), min(b, end) - start + len(prefix)


class TextFormatter(Formatter):
    name = "text"
    machine = False

    def begin(self) -> None:
        self._files_with = 0

    def _s(self, text: str, **style) -> str:
        return click.style(text, **style) if self.options.color else text

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        if self._files_with:
            self.out.write("\n")
        self._files_with += 1
        for f in result.findings:
            self.out.write(self.render(f))

    def render(self, f: Finding) -> str:
        # Text from documents and packs is shown, never obeyed: control characters and escape
        # sequences come out as visible escapes (one_line).
        sev = self._s(f.severity, fg=SEVERITY_COLOR.get(f.severity), bold=True)
        loc = self._s(f"{one_line(f.path)}:{f.line}:{f.column}:", bold=True)
        rule = self._s(f"[{one_line(f.rule)}]", fg="cyan")
        lines = [f"{loc} {sev} {rule} {one_line(f.message)}"]
        if f.context:
            ctx, a, b = window(f.context, f.context_start, f.context_end)
            before, inside, after = one_line(ctx[:a]), one_line(ctx[a:b]), one_line(ctx[b:])
            bar = self._s("|", fg="bright_black")
            pad = " " * _width(before)
            carets = "^" * max(1, _width(inside))
            lines.append(f"  {bar} {before}{inside}{after}")
            lines.append(f"  {bar} {pad}{self._s(carets, fg=SEVERITY_COLOR.get(f.severity), bold=True)}")
        if f.suggestion:
            lines.append(f"  = {self._s('help:', bold=True)} {one_line(f.suggestion)}")
        return "\n".join(lines) + "\n"

    def end(self, summary: Summary) -> None:
        n = summary.findings
        if not n:
            return
        parts = []
        for key, label in (("errors", "error"), ("warnings", "warning"), ("info", "info")):
            count = getattr(summary, key)
            if count:
                parts.append(f"{count} {label}{'s' if count != 1 and key != 'info' else ''}")
        files = self._files_with
        self.out.write(
            f"\nFound {n} problem{'s' if n != 1 else ''} ({', '.join(parts)}) in "
            f"{files} of {summary.files} file{'s' if summary.files != 1 else ''}.\n"
        )
