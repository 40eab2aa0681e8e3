"""``python -m claimlint`` and the ``claimlint`` console script.

Exit codes are claimlint's own whatever happens: 0 clean, 1 findings, 2 anything that kept the
run from completing as asked -- a usage, configuration or input error, an interrupt (Ctrl-C), a
missing dependency, a disk that fills up while the report is written, standard output closed
early, or a bug -- each reported in one line, never a traceback (set ``CLAIMLINT_TRACEBACK=1`` to
see the traceback of a bug).
"""
from __future__ import annotations

import errno
import os
import sys


def _die(message: str) -> None:
    message = " ".join(message.split())
    if len(message) > 500:
        message = message[:497] + "..."
    try:
        sys.stderr.write(f"claimlint: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    # Standard output may hold text that can no longer be written: leave without flushing it
    # again (that would print an 'Exception ignored' traceback on the way out).
    os._exit(2)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            os._exit(2)  # the reader went away (`claimlint check | head`): nothing to say
        _die(f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}")


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
        try:
            code = main.main(prog_name="claimlint", standalone_mode=False)
        finally:
            _flush_stdout()
    except (KeyboardInterrupt, click.exceptions.Abort):
        _die("interrupted")
    except click.ClickException as exc:  # usage errors: click's message, exit 2
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:  # the report, the output or a temporary file could not be written
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        if exc.errno == errno.EPIPE:
            os._exit(2)
        _die(f"cannot write{where}: {exc.strerror or exc}")
    except (Exception, RecursionError) as exc:  # a bug: one line and exit 2, not a traceback
        if os.environ.get("CLAIMLINT_TRACEBACK"):
            raise
        from .cli import internal_error_message

        _die(internal_error_message(exc))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
