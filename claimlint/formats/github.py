"""``--format github``: GitHub Actions workflow commands, shown as annotations on the run and the
pull request's diff. One command per line, per finding, as files arrive::

    ::error file=docs/post.md,line=12,col=1,endLine=12,endColumn=4,title=claims/cure-claim::'cure' promises a cure

``warning`` findings become ``::warning``, ``info`` ones ``::notice``. Columns are given only for
a finding on one line (GitHub ignores them across lines). A file that could not be checked is
``::error file=PATH::message``, with ``line``/``col`` when known.

The message is escaped as workflow-command data (``%``, CR, LF) and every property value also
escapes ``:`` and ``,``, so no text from a document can end a command early or start another.
"""
from __future__ import annotations

from ..findings import FileError, FileResult, Finding
from . import Formatter
from .common import workflow_data, workflow_property

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={workflow_property(value)}" for key, value in properties
                     if value is not None and value != "")
    return f"::{name}{' ' + props if props else ''}::{workflow_data(message)}\n"


def finding_command(f: Finding) -> str:
    line = max(1, f.line)
    props: list[tuple[str, object]] = [("file", f.path), ("line", line)]
    if (f.end_line or line) > line:  # spans lines: GitHub takes columns on one line only
        props.append(("endLine", f.end_line))
    else:
        column = max(1, f.column)
        props += [("col", column), ("endLine", line),
                  ("endColumn", max(column, f.end_column or column))]
    props.append(("title", f.rule))
    return command(COMMAND.get(f.severity, "warning"), props, f.message)


def error_command(d: FileError) -> str:
    props: list[tuple[str, object]] = [("file", d.path)]
    if d.line and d.line >= 1:
        props.append(("line", d.line))
        if d.column and d.column >= 1:
            props.append(("col", d.column))
    return command("error", props, d.message)


class GithubFormatter(Formatter):
    name = "github"

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(finding_command(f))
        for e in result.errors:
            self.out.write(error_command(e))
