"""Options several commands share, and how they become :class:`~claimlint.settings.Settings`."""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable

import click

from ..errors import ClaimlintError
from ..settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(exc: ClaimlintError | str) -> None:
    """Report a usage, configuration or pack error in one line and exit with code 2."""
    click.echo(f"claimlint: error: {exc}", err=True)
    sys.exit(EXIT_ERROR)


def split(values: Iterable[str]) -> list[str]:
    """Values of a repeatable option, each of which may also be a comma-separated list."""
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _stack(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


config_options = _stack(
    click.option("--config", "config_path", type=click.Path(dir_okay=False),
                 help="Configuration file (default: .claimlint.yaml or pyproject.toml, found "
                      "upwards from the checked files)."),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
)

pack_options = _stack(
    click.option("--pack", "packs", multiple=True,
                 help="Rule packs to use instead of the default ones (built-in name or path)."),
    click.option("--extend-pack", "extend_packs", multiple=True,
                 help="Rule packs to use as well as the default (or configured) ones."),
)

rule_options = _stack(
    click.option("--select", multiple=True, help="Rules to enable: ids, packs, globs, category:NAME."),
    click.option("--ignore", multiple=True, help="Rules to disable (added to the configuration's)."),
    pack_options,
)


def load_settings(opts: dict[str, Any], paths: Iterable[str] = (), **overrides: Any) -> Settings:
    """The settings for a command: its configuration file (``--config``, or the one found from
    the checked files' folder upwards; none with ``--isolated``), then the command's options."""
    packs = list(opts.get("packs") or ()) or None
    start = _start(paths)
    try:
        return Settings.load(opts.get("config_path"), start=start,
                             isolated=bool(opts.get("isolated")),
                             packs=packs, extend_packs=list(opts.get("extend_packs") or ()),
                             select=split(opts.get("select") or ()) or None,
                             ignore=split(opts.get("ignore") or ()), **overrides)
    except ClaimlintError as exc:
        fail(exc)
        raise  # unreachable


def _start(paths: Iterable[str]) -> str | None:
    """Where to look for a configuration file: the folder the checked paths share."""
    real = [os.path.abspath(p) for p in paths if p != "-"]
    if not real:
        return None
    try:
        common = os.path.commonpath(real)
    except ValueError:  # paths on different drives
        return None
    return common
