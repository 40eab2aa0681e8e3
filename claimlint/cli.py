"""The command line: ``claimlint check``, ``rules``, ``explain``, ``test``.

Thin by design: options are parsed here, the work is done by :mod:`claimlint.engine` and the
formatters. Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, configuration,
rule-pack or input errors (the other files are still checked and reported).
"""
from __future__ import annotations

import os
import sys
from typing import Iterable

import click

from . import __version__
from .config import FAIL_ON, Config, load_config
from .errors import ClaimlintError, dependency_error
from .findings import SEVERITY_RANK, Diagnostic
from .formats import FORMAT_NAMES

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _version_text() -> str:
    try:
        from importlib.metadata import version

        spacy_version = version("spacy")
    except Exception:  # pragma: no cover - spaCy missing entirely
        spacy_version = "not installed"
    return f"claimlint {__version__} (spaCy {spacy_version}, Python {sys.version.split()[0]})"


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    # An eager option of our own: the versions are looked up only when asked for, not at import.
    if not value or ctx.resilient_parsing:
        return
    click.echo(_version_text())
    ctx.exit()


def _fail(exc: ClaimlintError | str) -> None:
    click.echo(f"claimlint: error: {exc}", err=True)
    sys.exit(EXIT_ERROR)


def _load_config(config_path: str | None, isolated: bool) -> Config:
    try:
        if isolated:
            return Config()
        return load_config(config_path)
    except ClaimlintError as exc:
        _fail(exc)
        raise  # unreachable


def _use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimlintError as exc:
            _fail(exc)
        except ModuleNotFoundError as exc:  # run by a Python that lacks a dependency
            err = dependency_error(exc)
            if err is None:
                raise
            _fail(err)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Show the version and exit.")
def main() -> None:
    """claimlint: find unsupported health claims in marketing copy before it is published."""


def _engine(cfg: Config, select, ignore, packs, model, include=None, exclude=None, cache=False):
    from .engine import Engine

    if packs:
        # A pack path on the command line is relative to the working directory (paths in a
        # configuration file are relative to that file).
        packs = [os.path.abspath(p) if p.endswith((".yaml", ".yml")) or "/" in p or os.sep in p
                 else p for p in packs]

    if include:
        cfg.include = list(include)
    if exclude:
        cfg.exclude = list(cfg.exclude) + list(exclude)
    return Engine(cfg, select=select, ignore=ignore, packs=packs, model=model, cache=cache,
                  trigger_cache=True)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Progress:
    """A one-line progress bar on stderr, for people watching a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.shown = False
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
        self.shown = True
        if done == total:
            self.stream.write("\r" + " " * (width + 30) + "\r")
            self.stream.flush()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(FORMAT_NAMES), help="Output format.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to a file instead of standard output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: .claimlint.yaml or pyproject.toml, found upwards).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, help="Rules to enable: ids, packs, globs, category:NAME.")
@click.option("--ignore", multiple=True, help="Rules to disable (added to the configuration's).")
@click.option("--pack", "packs", multiple=True, help="Rule packs to use (built-in name or path).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--include", multiple=True, help="Globs of files to check inside directories.")
@click.option("--exclude", multiple=True, help="Globs never to check (added to the configuration's).")
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
              help="Neither read nor write cached results (compiled pack triggers are still kept).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in the text format.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
def check(paths, fmt, output_file, config_path, isolated, select, ignore, packs, fail_on, include,
          exclude, stdin_filename, model, baseline_path, write_baseline, statistics, fix, unsafe_fixes,
          show_diff, jobs, no_cache, color, quiet):
    """Check files and directories (default: the current directory)."""
    cfg = _load_config(config_path, isolated)
    try:
        engine = _engine(cfg, _split(select) or None, _split(ignore), list(packs) or None, model,
                         _split(include), _split(exclude), cache=not no_cache)
        baseline_path = baseline_path or cfg.baseline
        baseline = None
        if baseline_path and not write_baseline:
            from .baseline import Baseline

            baseline = Baseline(baseline_path)
    except ClaimlintError as exc:
        _fail(exc)
        return
    if statistics and fmt not in ("text", "concise"):
        _fail("--statistics prints a table; use it with --format text or concise")
    if (fix or show_diff) and "-" in paths:
        _fail("fixes are written to files; standard input cannot be fixed (check a file instead)")
    if fix and show_diff:
        _fail("--fix writes the fixes and --diff only shows them: choose one")
    fail_on = fail_on or cfg.fail_on
    paths = list(paths) or ["."]
    if output_file:
        out_dir = os.path.dirname(os.path.abspath(output_file))
        if not os.path.isdir(out_dir):
            _fail(f"cannot write the report to {output_file}: folder {os.path.dirname(output_file) or '.'}"
                  " does not exist")
    try:
        out = _ReportFile(output_file) if output_file else sys.stdout
    except OSError as exc:
        _fail(f"cannot write the report to {output_file}: {exc.strerror or exc}")
    try:
        _check_into(out, engine, cfg, paths, fmt, output_file, quiet, color, fail_on, jobs,
                    stdin_filename, baseline, baseline_path, write_baseline, statistics, fix,
                    unsafe_fixes, show_diff)
    finally:
        if output_file:
            out.discard()  # a no-op once the report is in place


def _check_into(out, engine, cfg, paths, fmt, output_file, quiet, color, fail_on, jobs,
                stdin_filename, baseline, baseline_path, write_baseline, statistics, fix,
                unsafe_fixes, show_diff):
    """Run the check, write the report to ``out`` and exit with the exit code."""
    from .formats import FormatOptions, get_formatter

    fixing = fix or show_diff
    cls = get_formatter(fmt)
    options = FormatOptions(
        color=(not cls.machine) and not output_file and _use_color(color, sys.stdout),
        rules={r.meta.id: r.meta for r in engine.all_rules}, tool_version=__version__)
    formatter = cls(out, options)
    quiet_output = bool(write_baseline or statistics or show_diff)
    if not quiet_output:
        formatter.begin()
    diagnostics: list[Diagnostic] = []
    fix_stats = {"fixes": 0, "files": 0}
    summary = {"files": 0, "findings": 0, "errors": 0, "warnings": 0, "info": 0}
    per_rule: dict[str, int] = {}
    recorded = []
    worst = 0
    try:
        show_progress = (not cls.machine and not quiet and not quiet_output and sys.stderr.isatty()
                         and not os.environ.get("CI"))
        progress = _Progress(sys.stderr) if show_progress else None
        jobs = jobs or cfg.jobs or _cpu_count()
        for result in engine.check_paths(paths, stdin_filename=stdin_filename, jobs=jobs,
                                         progress=progress,
                                         keep_documents=cls.needs_documents or fixing):
            if fixing and result.document is not None:
                result = _apply_fixes(engine, result, unsafe_fixes, show_diff, out, fix_stats)
            if baseline is not None:
                result.findings = baseline.filter(result.findings)
            if write_baseline:
                recorded.extend(result.findings)
            elif not statistics:
                formatter.file(result)
            for d in result.diagnostics:
                diagnostics.append(d)
                from .formats._common import one_line

                click.echo(one_line(str(d)), err=True)
            summary["files"] += 1
            for f in result.findings:
                worst = max(worst, SEVERITY_RANK[f.severity])
                summary["findings"] += 1
                summary[{"error": "errors", "warning": "warnings", "info": "info"}[f.severity]] += 1
                per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
            result.document = None
    except ClaimlintError as exc:
        _fail(exc)
    if write_baseline:
        from .baseline import write

        try:
            n = write(write_baseline, recorded)
        except OSError as exc:
            _fail(f"cannot write the baseline {write_baseline}: {exc.strerror or exc}")
        click.echo(f"Wrote {n} finding{'s' if n != 1 else ''} to the baseline {write_baseline}.", err=True)
        sys.exit(EXIT_ERROR if diagnostics else EXIT_OK)
    if show_diff:
        if not quiet:
            click.echo(f"{fix_stats['fixes']} fix{'es' if fix_stats['fixes'] != 1 else ''} in "
                       f"{fix_stats['files']} file{'s' if fix_stats['files'] != 1 else ''} would be "
                       "applied.", err=True)
        if output_file:
            _finish_report(out, output_file)
        sys.exit(EXIT_ERROR if diagnostics else EXIT_FINDINGS if fix_stats["fixes"] else EXIT_OK)
    if fix and fix_stats["fixes"] and not quiet:
        click.echo(f"Fixed {fix_stats['fixes']} problem{'s' if fix_stats['fixes'] != 1 else ''} in "
                   f"{fix_stats['files']} file{'s' if fix_stats['files'] != 1 else ''}.", err=True)
    if statistics:
        out.write(_statistics_table(per_rule, options.rules))
    else:
        shown = {**summary, "findings": 0} if quiet and fmt in ("text", "concise") else summary
        formatter.end(shown, diagnostics)
    if baseline is not None and baseline.matched and not quiet and fmt in ("text", "concise"):
        click.echo(f"{baseline.matched} finding{'s' if baseline.matched != 1 else ''} in the "
                   f"baseline {baseline_path} not shown.", err=True)
    if output_file:
        _finish_report(out, output_file)
    if diagnostics:
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK.get(fail_on, 99)
    sys.exit(EXIT_FINDINGS if worst and worst >= threshold else EXIT_OK)


def _apply_fixes(engine, result, unsafe: bool, show_diff: bool, out, stats: dict):
    """Apply (or, with --diff, print) the fixes of one file; returns the result to report."""
    from .fixes import apply_edits, unified_diff, write_fixed

    doc = result.document
    edits = [f.fix for f in result.findings
             if f.fix is not None and hasattr(f.fix, "start") and (f.fix.safe or unsafe)]
    if not edits:
        return result
    new_text, applied = apply_edits(doc.text, edits)
    if new_text == doc.text:
        return result
    stats["fixes"] += len(applied)
    stats["files"] += 1
    if show_diff:
        out.write(unified_diff(result.path, doc.text, new_text))
        return result
    from .errors import InputError
    from .findings import Diagnostic

    try:
        write_fixed(result.path, new_text, doc.encoding, doc.bom, doc.digest)
    except InputError as exc:
        stats["fixes"] -= len(applied)
        stats["files"] -= 1
        result.diagnostics.append(Diagnostic(result.path, exc.message))
        return result
    # Report what is left, at its new position.
    again = engine.check_file(result.path, keep_documents=True)
    return again


def _statistics_table(per_rule: dict[str, int], metas: dict) -> str:
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


class _ReportFile:
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


def _finish_report(out: _ReportFile, path: str) -> None:
    try:
        out.commit()
    except OSError as exc:
        out.discard()
        _fail(f"cannot write the report to {path}: {exc.strerror or exc}")


@main.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, help="Rules to list: ids, packs, globs, category:NAME.")
@click.option("--ignore", multiple=True, help="Rules to leave out.")
@click.option("--pack", "packs", multiple=True, help="Rule packs (built-in name or path).")
@click.option("--all", "show_all", is_flag=True, help="Also list rules that are not enabled.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="markdown: a reference page with every rule's rationale, regulation and examples.")
def rules(config_path, isolated, select, ignore, packs, show_all, fmt):
    """List the enabled rules."""
    cfg = _load_config(config_path, isolated)
    engine = _engine(cfg, _split(select) or None, _split(ignore), list(packs) or None, None)
    enabled = {ar.id: ar.severity for ar in engine.base_rules}
    if fmt == "markdown":
        shown = [r for r in engine.all_rules if show_all or r.meta.id in enabled]
        click.echo(rules_markdown(shown, enabled, [p.name for p in engine.packs]), nl=False)
        return
    rows = []
    for r in engine.all_rules:
        if r.meta.id not in enabled and not show_all:
            continue
        rows.append({"id": r.meta.id, "kind": r.meta.kind, "category": r.meta.category,
                     "severity": enabled.get(r.meta.id, r.meta.severity),
                     "enabled": r.meta.id in enabled, "message": r.meta.message})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    headers = ["RULE", "KIND", "CATEGORY", "SEVERITY"] + (["ON"] if show_all else [])
    table = [[r["id"], r["kind"], r["category"], r["severity"]] + (["yes" if r["enabled"] else "no"]
                                                                   if show_all else [])
             for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h)
              for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    click.echo(f"\n{len(table)} rule{'s' if len(table) != 1 else ''}"
               f"{' enabled' if not show_all else ''} from {len(engine.packs)} "
               f"pack{'s' if len(engine.packs) != 1 else ''}.")


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--pack", "packs", multiple=True, help="Rule packs (built-in name or path).")
def explain(rule_id, config_path, isolated, packs):
    """Explain a rule: what it finds, why it matters, the regulation, examples."""
    cfg = _load_config(config_path, isolated)
    engine = _engine(cfg, None, [], list(packs) or None, None)
    matches = [r for r in engine.all_rules if r.meta.id == rule_id or r.meta.name == rule_id]
    if not matches:
        from .kinds.base import did_you_mean

        _fail(f"unknown rule {rule_id!r}" + did_you_mean(rule_id, [r.meta.id for r in engine.all_rules])
              + "; `claimlint rules --all` lists them")
    for r in matches:
        click.echo(explain_text(r))


def _blank_placeholders(template: str) -> str:
    import re

    return re.sub(r"\{(\w+)\}", "…", template)


def explain_text(rule) -> str:
    import textwrap

    m = rule.meta
    wrap = lambda s: textwrap.fill(s, 88)  # noqa: E731
    out = [f"{m.id}  ({m.category}, {m.severity}, kind: {m.kind})", ""]
    out += ["What it finds", wrap(_blank_placeholders(m.message)), ""]
    if rule.DESCRIPTION:
        out += [wrap(f"Kind: {rule.DESCRIPTION}"), ""]
    out += ["Why it matters", wrap(m.rationale), ""]
    out += ["Regulation and guidance"] + [f"  - {ref}" for ref in m.references] + [""]
    if m.suggestion:
        out += ["How to fix it", wrap(_blank_placeholders(m.suggestion)), ""]
    if m.examples.get("bad"):
        out += ["Examples that are reported"] + [f"  ✗ {e.strip()}" for e in m.examples["bad"]] + [""]
    if m.examples.get("good"):
        out += ["Examples that are fine"] + [f"  ✓ {e.strip()}" for e in m.examples["good"]] + [""]
    out.append(f"Defined in {m.path}:{m.line}")
    return "\n".join(out)


def rules_markdown(rules, enabled: dict[str, str], packs: list[str]) -> str:
    """A Markdown reference of ``rules``: one section per rule, anchored at ``pack-name`` (the
    address SARIF's ``helpUri`` and the HTML report link to)."""
    from .formats._common import rule_slug

    def para(text: str) -> str:
        return " ".join(_blank_placeholders(text).split())

    def cell(text: str) -> str:
        return para(text).replace("|", "\\|")

    out = ["# Rules", "",
           f"Every rule of the packs {', '.join(f'`{p}`' for p in packs)}. This page is generated by "
           "`claimlint rules --isolated --all --format markdown`: edit the packs, not this page. "
           "`claimlint explain RULE` prints the same text in a terminal.", "",
           "| Rule | Category | Severity | On by default | Finds |", "|---|---|---|---|---|"]
    for r in rules:
        m = r.meta
        out.append(f"| [`{m.id}`](#{rule_slug(m.id)}) | {m.category} | {m.severity} | "
                   f"{'yes' if m.id in enabled else 'no'} | {cell(m.message)} |")
    for r in rules:
        m = r.meta
        out += ["", f'<a id="{rule_slug(m.id)}"></a>', "", f"## `{m.id}`", "",
                f"Category **{m.category}** · severity **{m.severity}** · kind `{m.kind}`"
                + ("" if m.id in enabled else " · off by default"), "",
                f"**What it finds.** {para(m.message)}", "",
                f"**Why it matters.** {para(m.rationale)}", ""]
        if m.references:
            out += ["**Regulation and guidance.**", ""] + [f"- {ref}" for ref in m.references] + [""]
        if m.suggestion:
            out += [f"**How to fix it.** {para(m.suggestion)}", ""]
        if m.fix is not None:
            out += ["**Fix.** `--fix` or `--unsafe-fixes` can rewrite it (see `--diff`).", ""]
        for key, title in (("bad", "Reported"), ("good", "Not reported")):
            if m.examples.get(key):
                out += [f"**{title}:**", ""] + [f"- {' '.join(str(e).split())}" for e in m.examples[key]]
                out.append("")
        while out and out[-1] == "":
            out.pop()
    return "\n".join(out) + "\n"


@main.command("test")
@click.argument("packs", nargs=-1)
@click.option("-v", "--verbose", is_flag=True, help="Show every example, not only failures.")
def test_cmd(packs, verbose):
    """Check every rule's examples: each 'bad' one must be reported, no 'good' one may be.

    PACKS are built-in pack names or paths to pack files (default: every built-in pack).
    """
    from .packs import builtin_names
    from .ruletest import run_pack_tests

    refs = list(packs) or builtin_names()
    failures = 0
    total = 0
    for ref in refs:
        report = run_pack_tests(ref)
        for line in report.lines(verbose):
            click.echo(line)
        failures += report.failures
        total += report.total
    click.echo(f"\n{total - failures}/{total} examples behave as documented"
               + (f"; {failures} failed." if failures else "."))
    sys.exit(EXIT_FINDINGS if failures else EXIT_OK)


@main.command()
@click.argument("labels", type=click.Path(exists=True, dir_okay=False))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of the labelled documents (default: the labels file's folder).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, help="Rules to enable.")
@click.option("--ignore", multiple=True, help="Rules to disable.")
@click.option("--pack", "packs", multiple=True, help="Rule packs (built-in name or path).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--details/--no-details", default=True, help="List every miss and false alarm.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 when the overall F1 is below this.")
def evaluate(labels, docs_dir, config_path, isolated, select, ignore, packs, as_json, details, min_f1):
    """Score the rules against hand-labelled documents: precision, recall, F1 per category."""
    from .evaluate import evaluate as run_evaluation

    cfg = _load_config(config_path, isolated)
    engine = _engine(cfg, _split(select) or None, _split(ignore), list(packs) or None, None)
    ev = run_evaluation(labels, docs_dir, engine)
    if as_json:
        import json

        click.echo(json.dumps(ev.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(ev.table())
        if details:
            for m in ev.misses:
                click.echo(f"missed: {m}")
            for m in ev.false_alarms:
                click.echo(f"false alarm: {m}")
    if min_f1 is not None and ev.overall.f1 < min_f1:
        sys.exit(EXIT_FINDINGS)


if __name__ == "__main__":  # pragma: no cover
    main()
