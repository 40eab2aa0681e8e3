"""``claimlint check``: options -> settings -> linter -> report."""
from __future__ import annotations

import os

import click

from ..errors import ClaimlintError
from ..formats import FORMAT_NAMES
from ..taxonomy import FAIL_ON
from .options import config_options, fail, load_settings, rule_options, split
from .report import ReportOptions, run_check


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _workers(asked: int | None) -> int:
    """Worker processes: as asked (or one per core), never more than the cores -- more only add
    start-up cost, and a committed configuration must not make a run fork without bound."""
    cores = _cpu_count()
    return max(1, min(asked or cores, cores))


@click.command(short_help="Check files and folders for unsupported claims.")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(FORMAT_NAMES), help="Output format.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to a file instead of standard output.")
@config_options
@rule_options
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--include", multiple=True, help="Globs of files to check inside directories.")
@click.option("--exclude", multiple=True, help="Globs never to check (added to the configuration's).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip files .gitignore ignores when walking folders (default: yes).")
@click.option("--stdin-filename", help="The name (and so the format) of the text read from '-'.")
@click.option("--model", help="An installed spaCy pipeline to use instead of the built-in one.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record the current findings as the baseline, and report nothing.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead.")
@click.option("--fix", "fix", is_flag=True, help="Apply the safe fixes rules offer, and report the rest.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that change meaning.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes as a unified diff instead of writing them (exit 1 when any).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the cache of results and compiled packs.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in the text format.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
def check(paths, **o):
    """Check files and directories (default: the current directory)."""
    paths = list(paths) or ["."]
    where = paths + ([o["stdin_filename"]] if o["stdin_filename"] and "-" in paths else [])
    settings = load_settings(o, where, include=split(o["include"]) or None,
                             exclude=split(o["exclude"]), model=o["model"],
                             fail_on=o["fail_on"], baseline=o["baseline_path"],
                             respect_gitignore=o["respect_gitignore"],
                             cache=False if o["no_cache"] else None)
    try:
        from ..linter import Linter

        linter = Linter(settings, cache=True)
        baseline = None
        if settings.baseline and not o["write_baseline"]:
            from ..baseline import Baseline

            baseline = Baseline(settings.baseline)
    except ClaimlintError as exc:
        fail(exc)
        return
    if o["statistics"] and o["fmt"] not in ("text", "concise"):
        fail("--statistics prints a table; use it with --format text or concise")
    if (o["fix"] or o["show_diff"]) and "-" in paths:
        fail("fixes are written to files; standard input cannot be fixed (check a file instead)")
    if o["fix"] and o["show_diff"]:
        fail("--fix writes the fixes and --diff only shows them: choose one")
    opts = ReportOptions(
        fmt=o["fmt"], output_file=o["output_file"], quiet=o["quiet"], color=o["color"],
        jobs=_workers(o["jobs"] or settings.jobs), stdin_filename=o["stdin_filename"],
        write_baseline=o["write_baseline"], statistics=o["statistics"], fix=o["fix"],
        unsafe_fixes=o["unsafe_fixes"], show_diff=o["show_diff"])
    run_check(linter, paths, opts, baseline)
