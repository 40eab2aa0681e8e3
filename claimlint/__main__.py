"""``python -m claimlint`` and the ``claimlint`` console script.

Exit codes are claimlint's own whatever happens: 0 clean, 1 findings, 2 anything that kept the
run from completing as asked -- a usage, configuration or input error, an interrupt (Ctrl-C), a
bug -- each reported in one line, never a traceback.
"""
from __future__ import annotations

import errno
import os
import sys


def run() -> None:
    try:
        from .cli import main
    except ModuleNotFoundError as exc:  # a dependency the command line itself imports
        from .errors import dependency_error

        err = dependency_error(exc)
        if err is None:
            raise
        sys.stderr.write(f"claimlint: error: {err}\n")
        sys.exit(2)
    import click

    try:
        code = main.main(prog_name="claimlint", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.stderr.write("\nclaimlint: interrupted\n")
        sys.exit(2)
    except click.ClickException as exc:  # usage errors: click's message, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # The reader of the output went away (``claimlint check | head``): stop quietly.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the interpreter's final flush
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
