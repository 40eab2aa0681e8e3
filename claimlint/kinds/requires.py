"""``requires`` (document level): when any ``when`` term occurs in a document, at least one
``require`` term must occur somewhere in it; otherwise one finding at the first trigger.

    - id: risks-named
      kind: requires
      when: {phrases: [treatment, infusion], unless: [negated]}
      require: [side effect, nausea, dizziness, contraindicated]
"""
from __future__ import annotations

from ..nlp.analysis import cl as _cl

from typing import Iterator

from ..prefilter import Trigger
from ..schema import Opt
from .base import AnalyzedDocument, Hit, Rule
from .terms import Terms


class RequiresRule(Rule):
    kind = "requires"
    scope = "document"
    DESCRIPTION = "Document level: when a trigger occurs, a required phrase must occur too."
    PLACEHOLDERS = {"match", "sentence", "trigger"}
    OPTIONS = {
        "when": Opt("any", required=True, help="terms that make the requirement apply"),
        "require": Opt("any", required=True, help="terms of which at least one must occur"),
        "report": Opt("enum", default="sentence", choices=("match", "sentence"),
                      help="underline the first trigger, or its whole sentence"),
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        self.when = Terms(options["when"], where, raw.line_of("when"), "when")
        self.require = Terms(options["require"], where, raw.line_of("require"), "require")
        self.report = options["report"]

    def fire_trigger(self) -> Trigger | None:
        t = self.when.trigger()
        return None if t is None else Trigger((t,))

    def analysis_trigger(self) -> Trigger | None:
        return Trigger.any_of(self.when.trigger(), self.require.trigger())

    def requirement_trigger(self) -> Trigger | None:
        return Trigger.any_of(self.require.trigger())

    def prepare(self, nlp) -> None:
        self.when.prepare(nlp, self)
        self.require.prepare(nlp, self)

    def check(self, adoc: AnalyzedDocument) -> Iterator[Hit]:
        # The requirement is usually met: look for it first, and stop at the first alternative
        # that is there, before looking for what triggers it.
        if any(self.require.any_match(doc) for _, _, doc in adoc.items):
            return
        first = None
        for k, (_, block, doc) in enumerate(adoc.items):
            m = self.when.matches(doc)
            if m:
                first = (k, doc, m[0])
                break
        if first is None:
            return
        k, doc, (s, e) = first
        an = _cl(doc)
        sa, sb = an.char_span(*an.sentence_of(s))
        ma, mb = an.char_span(s, e)
        match = _cl(doc).text[ma:mb]
        a, b = (sa, sb) if self.report == "sentence" else (ma, mb)
        yield Hit(k, a, b, sa, sb, {"match": match, "trigger": match, "sentence": _cl(doc).text[sa:sb]})
