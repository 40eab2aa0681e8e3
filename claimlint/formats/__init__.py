"""Output formats: one module each. A formatter receives results file by file (in path order),
each with its findings and the errors that kept it (or a rule) from being checked, and writes to a
text stream, so large runs are streamed rather than held in memory; ``end`` gets the run's
:class:`~claimlint.findings.Summary`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from ..findings import FileResult, Summary


@dataclass
class FormatOptions:
    color: bool = False
    rules: dict = field(default_factory=dict)  # rule id -> RuleMeta, for formats that describe rules
    tool_version: str = ""


class Formatter:
    """Base formatter: ``begin``, ``file`` for each result, ``end`` with the summary."""

    name = ""
    machine = True  # machine-readable: no colour, no progress bar
    needs_documents = False  # True: each FileResult arrives with its Document (text, blocks)

    def __init__(self, out: TextIO, options: FormatOptions | None = None):
        self.out = out
        self.options = options or FormatOptions()

    def begin(self) -> None:
        pass

    def file(self, result: FileResult) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def end(self, summary: Summary) -> None:
        pass


# Output format name -> "module:Class", imported only when chosen.
FORMATS = {
    "text": "text:TextFormatter",
    "json": "json:JsonFormatter",
    "json-lines": "json_lines:JsonLinesFormatter",
    "concise": "concise:ConciseFormatter",
    "sarif": "sarif:SarifFormatter",
    "github": "github:GithubFormatter",
    "junit": "junit:JunitFormatter",
    "html": "html:HtmlFormatter",
}
FORMAT_NAMES = list(FORMATS)


def get_formatter(name: str) -> type[Formatter]:
    import importlib

    module, cls = FORMATS[name].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
