"""The command line: ``claimlint check``, ``rules``, ``explain``, ``test`` and ``evaluate``.

Thin by design: each command parses its options into :class:`~claimlint.settings.Settings`,
builds a :class:`~claimlint.linter.Linter` and hands its results to a formatter. Exit codes: 0
nothing at or above ``--fail-on``; 1 findings; 2 usage, configuration, rule-pack or input errors
(the other files are still checked and reported).
"""
from __future__ import annotations

import sys

import os

import click

from .. import __version__
from ..errors import ClaimlintError, dependency_error
from .check import check
from .info import evaluate, explain, rules, test_cmd
from .options import fail
from .server import server


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


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimlintError as exc:
            fail(exc)
        except ModuleNotFoundError as exc:  # run by a Python that lacks a dependency
            err = dependency_error(exc)
            if err is None:
                fail(internal_error_message(exc))
            fail(err)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException,
                KeyboardInterrupt, SystemExit, OSError):
            raise  # OSError: a report or output that cannot be written (see __main__)
        except (Exception, RecursionError) as exc:  # a bug: one line and exit 2, not exit 1
            if os.environ.get("CLAIMLINT_TRACEBACK"):
                raise
            fail(internal_error_message(exc))


def internal_error_message(exc: BaseException) -> str:
    """What the command says about a bug: one line, the exception and how to see the traceback."""
    said = " ".join(str(exc).split())
    return (f"internal error ({type(exc).__name__}: {said[:300]}); set CLAIMLINT_TRACEBACK=1 to see "
            "where, and please report it")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Show the version and exit.")
def main() -> None:
    """claimlint: find unsupported health claims in marketing copy before it is published."""


for _command in (check, rules, explain, test_cmd, evaluate, server):
    main.add_command(_command)

__all__ = ["main"]
