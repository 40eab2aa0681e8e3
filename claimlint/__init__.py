"""claimlint: a claim-checking and compliance linter for health and wellness marketing copy.

The library is usable without the command line::

    from claimlint import check_text
    findings = check_text("Our drops cure insomnia.", "draft.md")
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "check_text", "Engine", "Finding"]


def __getattr__(name: str):
    # Imported lazily: `claimlint --version` and clean files must not pay for spaCy.
    if name in ("check_text", "Engine"):
        from . import engine

        return getattr(engine, name)
    if name == "Finding":
        from .findings import Finding

        return Finding
    raise AttributeError(name)
