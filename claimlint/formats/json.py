"""``--format json``: one JSON object, exactly the contract in the taxonomy (plus extra keys).

    {"version": 1, "findings": [...], "summary": {...}, "diagnostics": [...]}

Findings are written as they arrive, so memory does not grow with the number of files.
"""
from __future__ import annotations

import json

from ..findings import FileResult, Summary
from . import Formatter


class JsonFormatter(Formatter):
    name = "json"

    def begin(self) -> None:
        self._first = True
        self._errors: list[dict] = []
        self.out.write('{\n  "version": 1,\n  "findings": [')

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            text = json.dumps(f.to_dict(), ensure_ascii=False, indent=2)
            text = "\n".join("    " + line for line in text.splitlines())
            self.out.write(("\n" if self._first else ",\n") + text)
            self._first = False
        self._errors.extend(e.to_dict() for e in result.errors)

    def end(self, summary: Summary) -> None:
        self.out.write("\n  ]," if not self._first else "],")
        self.out.write('\n  "summary": ' + json.dumps(summary.to_dict()) + ",")
        diags = json.dumps(self._errors, ensure_ascii=False)
        self.out.write('\n  "diagnostics": ' + diags + "\n}\n")
