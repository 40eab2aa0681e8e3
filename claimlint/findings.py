"""Findings and per-file results: what checking a file produces."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .fixes import Edit
from .taxonomy import SEVERITY_RANK


@dataclass
class Finding:
    """One problem at one place. Positions are 1-based, in code points of the original file,
    ``end_column`` exclusive. ``start``/``end`` are the same span as character offsets."""

    path: str
    rule: str
    category: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    excerpt: str
    suggestion: str | None
    start: int = 0
    end: int = 0
    scope: str = "span"
    context: str = ""          # the sentence, as prose, for display
    context_start: int = 0     # the span within ``context``
    context_end: int = 0
    fingerprint: str = ""
    fix: Edit | None = None     # a rewrite of the span the rule offers (applied by --fix)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column,
                self.message)

    def to_dict(self) -> dict:
        """The JSON contract's keys, plus ``scope`` and ``fingerprint``."""
        d = {
            "path": self.path,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "excerpt": self.excerpt,
            "suggestion": self.suggestion,
            "scope": self.scope,
        }
        if self.fingerprint:
            d["fingerprint"] = self.fingerprint
        if self.fix is not None:
            d["fix"] = self.fix.to_dict()
        return d


@dataclass
class FileError:
    """Why a file, or one rule on a file, could not be checked: unreadable, undecodable, too
    large, a rule's regex over its time limit. The run goes on, and exits with code 2."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return f"{loc}: {self.message}"

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}


@dataclass
class FileResult:
    """The outcome of checking one file: its findings, in order, and its errors."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    document: Any = None  # the Document, for reports and fixes (may be dropped to save memory)
    digest: str = ""      # sha256 of the bytes that were checked, so a fix can refuse a changed file
    file: str | None = None  # the path the bytes were read from (None: a text, or stdin)


@dataclass
class Summary:
    """Counts over a whole run, for the end of a report."""

    files: int = 0
    findings: int = 0
    errors: int = 0      # findings of severity error
    warnings: int = 0
    info: int = 0
    file_errors: int = 0  # files (or rules on files) that could not be checked

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.file_errors += len(result.errors)
        for f in result.findings:
            self.findings += 1
            if f.severity == "error":
                self.errors += 1
            elif f.severity == "warning":
                self.warnings += 1
            else:
                self.info += 1

    def to_dict(self) -> dict:
        """The JSON contract's summary object."""
        return {"files": self.files, "findings": self.findings, "errors": self.errors,
                "warnings": self.warnings, "info": self.info}


def one_per_span(findings: list[Finding]) -> list[Finding]:
    """``findings`` without repeats: where two rules of the same category report the very same
    characters ("clinically proven" is both an uncited appeal to evidence and a claim of proof),
    the reader is told once -- by the rule that can fix it, else the more severe, else the first.
    Page-level findings and findings of different categories are all kept."""
    best: dict[tuple, int] = {}
    for i, f in enumerate(findings):
        if f.scope != "span":
            continue
        key = (f.category, f.start, f.end)
        j = best.get(key)
        if j is None:
            best[key] = i
            continue
        old = findings[j]
        if ((f.fix is not None, SEVERITY_RANK.get(f.severity, 0))
                > (old.fix is not None, SEVERITY_RANK.get(old.severity, 0))):
            best[key] = i
    keep = set(best.values())
    return [f for i, f in enumerate(findings) if f.scope != "span" or i in keep]
