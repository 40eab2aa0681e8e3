"""Writing the report of ``claimlint check``: results streamed to the formatter, fixes applied or
shown, baselines recorded or applied, the summary and the exit code."""
from __future__ import annotations

import contextlib

import os
import sys
from dataclasses import dataclass, replace
from typing import TextIO

import click

from .. import __version__
from ..errors import ClaimlintError, InputError
from ..findings import FileError, FileResult, Summary
from ..formats import FormatOptions, get_formatter
from ..formats.common import one_line
from ..linter import Linter
from ..taxonomy import SEVERITY_RANK
from .options import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, fail


@dataclass
class ReportOptions:
    """What ``claimlint check`` was asked to produce, beyond the settings."""

    fmt: str = "text"
    output_file: str | None = None
    quiet: bool = False
    color: str = "auto"
    jobs: int = 1
    stdin_filename: str | None = None
    write_baseline: str | None = None
    statistics: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    show_diff: bool = False


def use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Progress:
    """A one-line progress bar on stderr, for people watching a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if total < 20:
            return
        pct = done * 100 // total
        if pct == self.last and done != total:
            return
        self.last = pct
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        self.stream.flush()
        if done == total:
            self.stream.write("\r" + " " * (width + 30) + "\r")
            self.stream.flush()


def run_check(linter: Linter, paths: list[str], opts: ReportOptions, baseline=None) -> None:
    """Check ``paths``, write the report (to ``opts.output_file`` or stdout) and exit.
    ``baseline``: the loaded :class:`~claimlint.baseline.Baseline` to filter findings with."""
    out: TextIO
    if opts.output_file:
        out_dir = os.path.dirname(os.path.abspath(opts.output_file))
        if not os.path.isdir(out_dir):
            fail(f"cannot write the report to {opts.output_file}: folder "
                 f"{os.path.dirname(opts.output_file) or '.'} does not exist")
        _refuse_checked_file(linter, paths, opts.output_file)
        try:
            out = ReportFile(opts.output_file)
        except OSError as exc:
            fail(f"cannot write the report to {opts.output_file}: {exc.strerror or exc}")
    else:
        out = sys.stdout
    try:
        _report(linter, paths, opts, out, baseline)
    finally:
        if isinstance(out, ReportFile):
            out.discard()  # a no-op once the report is in place


def _report(linter: Linter, paths: list[str], opts: ReportOptions, out, baseline) -> None:
    settings = linter.settings
    fixing = opts.fix or opts.show_diff
    cls = get_formatter(opts.fmt)
    options = FormatOptions(
        color=(not cls.machine) and not opts.output_file and use_color(opts.color, sys.stdout),
        rules={r.meta.id: r.meta for r in linter.rules}, tool_version=__version__)
    formatter = cls(out, options)
    quiet_output = bool(opts.write_baseline or opts.statistics or opts.show_diff)
    if not quiet_output:
        formatter.begin()
    errors: list[FileError] = []
    fix_stats = {"fixes": 0, "files": 0}
    summary = Summary()
    per_rule: dict[str, int] = {}
    recorded = []
    worst = 0
    try:
        show_progress = (not cls.machine and not opts.quiet and not quiet_output
                         and sys.stderr.isatty() and not os.environ.get("CI"))
        progress = Progress(sys.stderr) if show_progress else None
        results = linter.check_paths(paths, stdin_filename=opts.stdin_filename, jobs=opts.jobs,
                                     progress=progress, keep_documents=cls.needs_documents or fixing)
        # Closed whatever happens (a report that cannot be written, Ctrl-C): that stops the
        # worker processes, which would otherwise outlive the command holding its output open.
        with contextlib.closing(results):
            for result in results:
                if fixing and result.document is not None:
                    result = _apply_fixes(linter, result, opts, out, fix_stats)
                if baseline is not None:
                    result.findings = baseline.filter(result.findings)
                if opts.write_baseline:
                    recorded.extend(result.findings)
                elif not quiet_output:  # --diff prints the diff; --statistics a table at the end
                    formatter.file(result)
                for e in result.errors:
                    errors.append(e)
                    click.echo(one_line(str(e)), err=True)
                summary.add(result)
                for f in result.findings:
                    worst = max(worst, SEVERITY_RANK[f.severity])
                    per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
                result.document = None
    except ClaimlintError as exc:
        fail(exc)
    if opts.write_baseline:
        from ..baseline import write

        try:
            n = write(opts.write_baseline, recorded)
        except OSError as exc:
            fail(f"cannot write the baseline {opts.write_baseline}: {exc.strerror or exc}")
        click.echo(f"Wrote {n} finding{'s' if n != 1 else ''} to the baseline "
                   f"{opts.write_baseline}.", err=True)
        sys.exit(EXIT_ERROR if errors else EXIT_OK)
    if opts.show_diff:
        if not opts.quiet:
            click.echo(f"{fix_stats['fixes']} fix{'es' if fix_stats['fixes'] != 1 else ''} in "
                       f"{fix_stats['files']} file{'s' if fix_stats['files'] != 1 else ''} would be "
                       "applied.", err=True)
        _finish(out)
        sys.exit(EXIT_ERROR if errors else EXIT_FINDINGS if fix_stats["fixes"] else EXIT_OK)
    if opts.fix and fix_stats["fixes"] and not opts.quiet:
        click.echo(f"Fixed {fix_stats['fixes']} problem{'s' if fix_stats['fixes'] != 1 else ''} in "
                   f"{fix_stats['files']} file{'s' if fix_stats['files'] != 1 else ''}.", err=True)
    if opts.statistics:
        out.write(statistics_table(per_rule, options.rules))
    else:
        quiet_summary = opts.quiet and opts.fmt in ("text", "concise")
        formatter.end(replace(summary, findings=0) if quiet_summary else summary)
    if baseline is not None and baseline.matched and not opts.quiet and opts.fmt in ("text", "concise"):
        click.echo(f"{baseline.matched} finding{'s' if baseline.matched != 1 else ''} in the "
                   f"baseline {settings.baseline} not shown.", err=True)
    _finish(out)
    if errors:
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK.get(settings.fail_on, 99)
    sys.exit(EXIT_FINDINGS if worst and worst >= threshold else EXIT_OK)


def _refuse_checked_file(linter: Linter, paths: list[str], output: str) -> None:
    """A report never replaces one of the files it reports on."""
    if not os.path.exists(output):
        return
    target = os.path.realpath(output)
    for path, error in linter.files.find(paths):
        if path != "-" and not error and os.path.realpath(path) == target:
            fail(f"-o {output} is one of the files being checked; write the report elsewhere")


def _apply_fixes(linter: Linter, result: FileResult, opts: ReportOptions, out,
                 stats: dict) -> FileResult:
    """Apply (or, with --diff, print) the fixes of one file; returns the result to report."""
    from ..fixes import apply_edits, unified_diff, write_fixed

    doc = result.document
    edits = [f.fix for f in result.findings
             if f.fix is not None and (f.fix.safe or opts.unsafe_fixes)]
    if not edits:
        return result
    new_text, applied = apply_edits(doc.text, edits)
    if new_text == doc.text:
        return result
    stats["fixes"] += len(applied)
    stats["files"] += 1
    if opts.show_diff:
        out.write(unified_diff(result.path, doc.text, new_text))
        return result
    path = result.file or result.path  # the name on disk (the shown one escapes odd bytes)
    try:
        # The fixes were computed on the bytes that were checked: the file must still hold them.
        write_fixed(path, new_text, doc.encoding, doc.bom, result.digest or doc.digest)
    except InputError as exc:
        stats["fixes"] -= len(applied)
        stats["files"] -= 1
        result.errors.append(FileError(result.path, exc.message))
        return result
    # Report what is left, at its new position.
    return linter.check_file(path, keep_document=True)


def statistics_table(per_rule: dict[str, int], metas: dict) -> str:
    if not per_rule:
        return ""
    rows = sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max(len(r) for r, _ in rows)
    lines = []
    for rule, n in rows:
        meta = metas.get(rule)
        sev = meta.severity if meta else "warning"
        lines.append(f"{n:6}  {rule.ljust(width)}  {sev}")
    lines.append(f"{sum(per_rule.values()):6}  total")
    return "\n".join(lines) + "\n"


class ReportFile:
    """The report file of ``-o``, written as it is produced and put in place only when complete.

    The report streams into a temporary file beside ``path`` (so a large HTML or SARIF report is
    never held in memory); ``commit`` renames it over ``path`` in one step, so a reader never sees
    half a report and a failed run leaves any earlier report as it was. The file gets the
    permissions of the report it replaces, or the usual ones for a new file (0666 less the umask),
    not the owner-only ones of a temporary file.
    """

    def __init__(self, path: str):
        import tempfile

        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(prefix=".claimlint-", suffix=".tmp", dir=directory)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.done = False

    def write(self, text: str) -> int:
        return self._fh.write(text)

    def flush(self) -> None:
        self._fh.flush()

    def isatty(self) -> bool:
        return False

    def commit(self) -> None:
        self._fh.close()
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.tmp, mode)
        os.replace(self.tmp, self.path)
        self.done = True

    def discard(self) -> None:
        if self.done:
            return
        self._fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass
        self.done = True


def _finish(out) -> None:
    if not isinstance(out, ReportFile):
        return
    try:
        out.commit()
    except OSError as exc:
        out.discard()
        fail(f"cannot write the report to {out.path}: {exc.strerror or exc}")
