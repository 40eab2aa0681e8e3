"""The commands about rules: ``rules``, ``explain``, ``test`` and ``evaluate``."""
from __future__ import annotations

import sys

import click

from ..explain import explain_text, finds, rules_markdown
from ..linter import Linter
from ..schema import did_you_mean
from .options import EXIT_FINDINGS, EXIT_OK, config_options, fail, load_settings, pack_options, \
    rule_options


@click.command(short_help="List the enabled rules.")
@config_options
@rule_options
@click.option("--all", "show_all", is_flag=True, help="Also list rules that are not enabled.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="markdown: a reference page with every rule's rationale, regulation and examples.")
def rules(show_all, fmt, **o):
    """List the enabled rules."""
    linter = Linter(load_settings(o))
    enabled = {ar.id: ar.severity for ar in linter.enabled}
    if fmt == "markdown":
        shown = [r for r in linter.rules if show_all or r.meta.id in enabled]
        click.echo(rules_markdown(shown, enabled, [p.name for p in linter.packs]), nl=False)
        return
    rows = []
    for r in linter.rules:
        if r.meta.id not in enabled and not show_all:
            continue
        rows.append({"id": r.meta.id, "kind": r.meta.kind, "category": r.meta.category,
                     "severity": enabled.get(r.meta.id, r.meta.severity),
                     "enabled": r.meta.id in enabled, "message": r.meta.message,
                     "finds": finds(r.meta.message)})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    headers = ["RULE", "CATEGORY", "SEVERITY"] + (["ON"] if show_all else []) + ["FINDS"]
    table = [[r["id"], r["category"], r["severity"]]
             + (["yes" if r["enabled"] else "no"] if show_all else []) + [r["finds"]]
             for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h)
              for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    click.echo(f"\n{len(table)} rule{'s' if len(table) != 1 else ''}"
               f"{' enabled' if not show_all else ''} from {len(linter.packs)} "
               f"pack{'s' if len(linter.packs) != 1 else ''}.")


@click.command(short_help="What a rule finds, why, and its regulation.")
@click.argument("rule_id")
@config_options
@pack_options
def explain(rule_id, **o):
    """Explain a rule: what it finds, why it matters, the regulation, examples."""
    linter = Linter(load_settings(o))
    matches = [r for r in linter.rules if r.meta.id == rule_id or r.meta.name == rule_id]
    if not matches:
        fail(f"unknown rule {rule_id!r}" + did_you_mean(rule_id, [r.meta.id for r in linter.rules])
             + "; `claimlint rules --all` lists them")
    for r in matches:
        click.echo(explain_text(r))


@click.command("test", short_help="Run every rule's own examples as tests.")
@click.argument("packs", nargs=-1)
@click.option("-v", "--verbose", is_flag=True, help="Show every example, not only failures.")
def test_cmd(packs, verbose):
    """Check every rule's examples: each 'bad' one must be reported, no 'good' one may be.

    PACKS are built-in pack names or paths to pack files (default: every built-in pack).
    """
    from ..packs import builtin_names
    from ..ruletest import run_pack_tests

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


@click.command(short_help="Score the rules against hand-labelled pages.")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of the labelled documents (default: the labels file's folder).")
@config_options
@rule_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--details/--no-details", default=True, help="List every miss and false alarm.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 when the overall F1 is below this.")
def evaluate(labels, docs_dir, as_json, details, min_f1, **o):
    """Score the rules against hand-labelled documents: precision, recall, F1 per category.

    LABELS is a YAML file of hand labels (its format: docs/evaluate.md); the documents are in
    --docs, or beside the labels file.
    """
    from ..evaluate import evaluate as run_evaluation

    linter = Linter(load_settings(o))
    ev = run_evaluation(labels, docs_dir, linter)
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
