"""Errors claimlint reports to the user (exit code 2), each naming where the problem is."""
from __future__ import annotations

import sys


class ClaimlintError(Exception):
    """Base class: a problem with the user's input, configuration or rule packs."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        if not self.path:
            return ""
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message


class InputError(ClaimlintError):
    """A file that could not be read or decoded."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message, path, line, column)


class PackError(ClaimlintError):
    """A rule pack that is not valid (``pack.yaml:LINE: message``)."""


class ConfigError(ClaimlintError):
    """A configuration file or option that is not valid."""


class UsageError(ClaimlintError):
    """A command-line usage problem (unknown rule id, bad option value)."""


class ModelError(ClaimlintError):
    """A spaCy pipeline that cannot be loaded."""


class DependencyError(ClaimlintError):
    """claimlint runs in a Python that lacks one of its dependencies."""


# Import name -> distribution, for claimlint's dependencies (pyahocorasick has a fallback).
DEPENDENCIES = {"click": "click", "yaml": "PyYAML", "regex": "regex", "pathspec": "pathspec",
                "spacy": "spacy", "spacy_lookups_data": "spacy-lookups-data",
                "docx": "python-docx", "tomli": "tomli"}


def dependency_error(exc: ModuleNotFoundError) -> DependencyError | None:
    """The error to report for ``exc`` if it names one of claimlint's dependencies, else None."""
    dist = DEPENDENCIES.get((exc.name or "").partition(".")[0])
    if dist is None:
        return None
    return DependencyError(
        f"the package '{dist}' is not installed for {sys.executable}; install claimlint with its "
        f"dependencies into this Python (pip install -e . in a checkout), or run the claimlint of "
        f"the environment it was installed into")


class Cancelled(Exception):
    """A check stopped because its caller said it is no longer wanted (see ``cancelled=`` on
    :meth:`claimlint.Linter.check_text`). Not an error: nothing is reported."""
