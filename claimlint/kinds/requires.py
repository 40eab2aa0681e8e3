"""``requires`` (document level): when any ``when`` term occurs in a document, at least one
``require`` term must occur somewhere in it; otherwise one finding at the first trigger.

    - id: risks-named
      kind: requires
      when: {phrases: [treatment, infusion], unless: [negated]}
      require: [side effect, nausea, dizziness, contraindicated]
"""
from __future__ import annotations

from typing import Iterator

from ..prefilter import Trigger
from ..schema import Opt
from .base import AnalyzedDocument, Hit, Rule, Scope, make_hit
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
        t = self.when.trigger
        return None if t is None else Trigger((t,))

    def analysis_trigger(self) -> Trigger | None:
        return Trigger.any_of(self.when.trigger, self.require.trigger)

    def requirement_trigger(self) -> Trigger | None:
        return Trigger.any_of(self.require.trigger)

    def prepare(self, nlp) -> None:
        self.when.prepare(nlp)
        self.require.prepare(nlp)

    def check(self, analyzed: AnalyzedDocument, scope: Scope) -> Iterator[Hit]:
        doc = analyzed.doc
        # The requirement is usually met: look for it first, before what triggers it.
        if self.require.any_match(doc, scope):
            return
        found = self.when.matches(doc, scope)
        if not found:
            return
        s, e = found[0]
        trigger = analyzed.analysis.text[slice(*analyzed.analysis.char_span(s, e))]
        yield make_hit(analyzed.analysis, s, e, self.report, {"trigger": trigger})
