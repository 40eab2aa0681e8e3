"""``python -m claimlint`` and the ``claimlint`` console script."""
from __future__ import annotations

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
    main(prog_name="claimlint")


if __name__ == "__main__":
    run()
