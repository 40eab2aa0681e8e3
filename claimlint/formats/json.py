"""``--format json``: one JSON object, exactly the contract in the taxonomy (plus extra keys).

    {"version": 1, "findings": [...], "summary": {...}, "diagnostics": [...]}

Findings are written as they arrive, so memory does not grow with the number of files. Text is
kept readable (non-ASCII as is), but NEL, U+2028/U+2029 and lone surrogates are written as
``\\uXXXX`` escapes: the document is valid JSON, encodable as UTF-8, whatever a finding's text or
a file's name holds, and line-based tools do not split it inside a string.
"""
from __future__ import annotations

import json
import re

from ..findings import FileResult, Summary
from . import Formatter

# JSON allows these raw in strings; line splitters do not (and UTF-8 cannot hold a lone surrogate).
_LINE_UNSAFE = re.compile("[\u0085\u2028\u2029\ud800-\udfff]")


def json_dumps(obj, indent: int | None = None) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    # These characters can only occur inside JSON strings, so escaping them everywhere is exact.
    return _LINE_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group()), text)


class JsonFormatter(Formatter):
    name = "json"

    def begin(self) -> None:
        self._first = True
        self._errors: list[dict] = []
        self.out.write('{\n  "version": 1,\n  "findings": [')

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            text = json_dumps(f.to_dict(), indent=2)
            # Only "\n" separates the dumped lines: str.splitlines() would also split inside a
            # string at characters JSON allows raw, and break the document.
            text = "\n".join("    " + line for line in text.split("\n"))
            self.out.write(("\n" if self._first else ",\n") + text)
            self._first = False
        self._errors.extend(e.to_dict() for e in result.errors)

    def end(self, summary: Summary) -> None:
        self.out.write("\n  ]," if not self._first else "],")
        self.out.write('\n  "summary": ' + json.dumps(summary.to_dict()) + ",")
        diags = json_dumps(self._errors)
        self.out.write('\n  "diagnostics": ' + diags + "\n}\n")
