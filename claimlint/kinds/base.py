"""What every rule kind shares: the rule's metadata, message templates, the hit type."""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator, Optional

from ..prefilter import Trigger
from ..schema import Opt, Where


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in a message; ValueError for a lone brace."""
    names = set()
    for _, field_name, _, _ in string.Formatter().parse(template):
        if field_name is not None:
            names.add(field_name.split(".")[0].split("[")[0])
    return names


class SafeFormat(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: dict) -> str:
    try:
        return string.Formatter().vformat(template, (), SafeFormat(values))
    except (ValueError, IndexError, KeyError):
        return template


@dataclass
class Hit:
    """A match, in character offsets of the analysed document's prose: the span to report and
    the sentence it is in, with the values of the rule's message placeholders."""

    start: int
    end: int
    sent_start: int
    sent_end: int
    values: dict = field(default_factory=dict)


@dataclass
class RuleMeta:
    """The keys every rule has, whatever its kind."""

    id: str  # full id: pack/name
    name: str
    pack: str
    kind: str
    category: str
    severity: str
    message: str
    rationale: str
    references: list[str]
    suggestion: str | None
    examples: dict
    url: str | None
    enabled: bool
    path: str
    line: int
    fix: Any = None
    triggers: Any = None  # an explicit prefilter AnyOf, when the pack gives one


class Rule:
    """Base of all rule kinds. A kind validates its options in ``__init__`` and yields hits."""

    kind: ClassVar[str] = ""
    scope: ClassVar[str] = "span"  # span | document
    OPTIONS: ClassVar[dict[str, Opt]] = {}
    PLACEHOLDERS: ClassVar[set[str]] = {"match", "sentence"}
    DESCRIPTION: ClassVar[str] = ""

    def __init__(self, meta: RuleMeta, options: dict, raw: LDict, where: Where, ctx: Any):
        self.meta = meta
        self.options = options
        self.raw = raw
        self.where = where
        self.ctx = ctx
        self._prepared_for: Any = None

    # -- pre-filter: what the rule needs in a text, derived without spaCy ------------------------
    # These derive; they do not cache. The pre-filter of a rule set (``claimlint.prefilter.
    # Prefilter``) calls them once per rule and keeps the answers with the packs' cache.
    def fire_trigger(self) -> Trigger | None:
        """What must be in a document for this rule to fire (None: always possible)."""
        return None

    def analysis_trigger(self) -> Trigger | None:
        """Blocks that must be analysed once the rule is active (default: its fire trigger)."""
        return self.fire_trigger()

    def requirement_trigger(self) -> Trigger | None:
        """For a document-level rule: the blocks its requirement may be met in (None: any)."""
        return None

    def derive_triggers(self) -> tuple[Trigger | None, Trigger | None]:
        """(fire, analysis) triggers.

        A rule's explicit ``triggers`` replace its fire trigger. A document-level rule still needs
        the blocks its requirement may be met in, so its analysis trigger adds the derived one.
        """
        explicit = self.meta.triggers
        if explicit is None:
            return self.fire_trigger(), self.analysis_trigger()
        if self.scope != "document":
            return Trigger((explicit,)), Trigger((explicit,))
        req = self.requirement_trigger()
        analysis = None if req is None or len(req.groups) != 1 \
            else Trigger.any_of(explicit, req.groups[0])
        return Trigger((explicit,)), analysis

    def block_filter_spec(self) -> dict | None:
        """The JSON-able spec of a finer per-block test (see ``prefilter.make_block_filter``);
        None: no finer test. A rule with explicit triggers runs wherever its author said."""
        return None if self.meta.triggers is not None else self.derive_filter_spec()

    def derive_filter_spec(self) -> dict | None:
        """The kind's own block-filter spec; None: no finer test."""
        return None

    def filter_regexes(self) -> list:
        """The regexes a spec with ``"regex": true`` runs."""
        return []

    # -- matching -------------------------------------------------------------------------------
    def prepare(self, nlp: Any) -> None:
        """Build matchers for ``nlp``; called once per pipeline before the first check."""

    def ensure_prepared(self, nlp: Any) -> None:
        if self._prepared_for is not nlp:
            self.prepare(nlp)
            self._prepared_for = nlp

    def check(self, analyzed: AnalyzedDocument, scope: Scope) -> Iterator[Hit]:  # pragma: no cover
        """The rule's hits in ``adoc``, matching only inside ``scope``."""
        raise NotImplementedError


# Token ranges ``[(start, end), ...]`` of the analysed document a rule may match in (the blocks its
# own words occur in, as the pre-filter found them); None: the whole document.
Scope = Optional[list]


@dataclass
class AnalyzedDocument:
    """A document as the rules see it: the blocks some rule needs, joined into one block
    (``block``, its prose and offset map) and analysed as one spaCy Doc (``doc``), whose
    :class:`~claimlint.nlp.pipeline.Analysis` (sentences, negation, citations, quantities) is
    ``analysis``."""

    document: Any
    block: Any
    doc: Any
    analysis: Any


def make_hit(analysis, s: int, e: int, report: str, values: dict | None = None) -> Hit:
    """The hit for token span ``[s, e)``: the span itself (``report: match``) or its whole
    sentence (``report: sentence``), with the ``{match}`` and ``{sentence}`` placeholders."""
    sa, sb = analysis.char_span(*analysis.sentence_of(s))
    ma, mb = analysis.char_span(s, e)
    a, b = (sa, sb) if report == "sentence" else (ma, mb)
    vals = {"match": analysis.text[ma:mb], "sentence": analysis.text[sa:sb]}
    if values:
        vals.update(values)
    return Hit(a, b, sa, sb, vals)
