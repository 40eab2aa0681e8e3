"""A spaCy-free way for rules to reach a processed Doc's :class:`~claimlint.nlp.pipeline.Analysis`:
the rule kinds import this when packs load, which must not import spaCy."""
from __future__ import annotations

_impl = None


def analysis_of(doc):
    """The Analysis claimlint's components attached to ``doc``."""
    global _impl
    if _impl is None:
        from .pipeline import analysis_of as impl

        _impl = impl
    return _impl(doc)
