"""``claimlint server``: the language server editors start (LSP over standard input and output).

pygls is imported only when the server runs, so the rest of the command line starts as fast as
before.
"""
from __future__ import annotations

import click

from .options import fail

LSP_PACKAGES = {"pygls": "pygls", "lsprotocol": "lsprotocol", "cattrs": "cattrs", "attrs": "attrs"}


@click.command("server")
@click.option("--stdio", is_flag=True,
              help="Speak LSP over standard input and output (the default; accepted because "
                   "some editors pass it).")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Write the server's log here (default: warnings to standard error).")
@click.option("-v", "--verbose", is_flag=True, help="Log every message (with --log-file).")
def server(stdio, log_file, verbose):
    """Run the language server, so an editor shows findings as you type.

    Editors start it themselves; docs/editors.md has the set-up for VS Code, Neovim, Helix, Zed
    and Sublime Text.
    """
    try:
        from ..lsp.server import serve
    except ModuleNotFoundError as exc:
        dist = LSP_PACKAGES.get((exc.name or "").partition(".")[0])
        if dist is None:
            raise
        fail(f"the package '{dist}' is not installed for this Python; install claimlint with its "
             f"dependencies (pip install -e . in a checkout) to run the language server")
    serve(log_file=log_file, verbose=verbose)
