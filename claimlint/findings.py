"""Findings and per-file results."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


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
    fix: Any = None

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
            d["fix"] = self.fix.to_dict() if hasattr(self.fix, "to_dict") else self.fix
        return d


@dataclass
class Diagnostic:
    """A file (or rule) that could not be fully checked."""

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
    path: str
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Any = None  # the Document, for reports and fixes (may be dropped to save memory)


def summarize(results: list[FileResult]) -> dict:
    findings = [f for r in results for f in r.findings]
    return {
        "files": len(results),
        "findings": len(findings),
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "info": sum(1 for f in findings if f.severity == "info"),
    }
