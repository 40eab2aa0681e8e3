"""claimlint: a claim-checking and compliance linter for health and wellness marketing copy.

The library is what the command line uses::

    from claimlint import Linter, Settings

    linter = Linter(Settings.load())              # the configuration found from here upwards
    result = linter.check_text("Our drops cure insomnia.", path="draft.md")
    for finding in result.findings:
        print(finding.line, finding.column, finding.rule, finding.message)

See ``docs/api.md`` for the whole interface.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "Settings", "Linter", "check_text", "Finding", "FileResult",
           "FileError", "Edit", "ClaimlintError", "Cancelled"]

# Imported lazily: `claimlint --version` and clean files must not pay for spaCy.
_WHERE = {
    "Settings": "settings", "Linter": "linter", "check_text": "linter", "Finding": "findings",
    "FileResult": "findings", "FileError": "findings", "Edit": "fixes", "ClaimlintError": "errors",
    "Cancelled": "errors",
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
