"""A spaCy-free way for rules to reach a processed Doc's Analysis quickly."""
from __future__ import annotations

_impl = None


def cl(doc):
    """The Analysis claimlint's components attached to ``doc``."""
    global _impl
    if _impl is None:
        from .pipeline import cl as impl

        _impl = impl
    return _impl(doc)
