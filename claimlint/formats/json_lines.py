"""``--format json-lines``: one JSON object per finding, one per line, written as files arrive.

Each object has the same keys as a finding in ``--format json``. Nothing else goes to standard
output (files that could not be checked are reported on standard error, as for every format).
``< > &``, NEL and U+2028/2029 are written as ``\\uXXXX`` escapes, so a line never splits on a
character that some line readers treat as a line break, and the output is safe to embed in HTML.
"""
from __future__ import annotations

from ..findings import FileResult
from . import Formatter
from .common import json_dumps


class JsonLinesFormatter(Formatter):
    name = "json-lines"

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(json_dumps(f.to_dict()) + "\n")
