"""What every rule kind shares: the rule's metadata, message templates, the hit type."""
from __future__ import annotations

from ..nlp.analysis import cl as _cl

import bisect
import string
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterator

from ..prefilter import Features, Trigger
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
    """A match in one analysed block, in prose character offsets of that block."""

    block: int  # index into AnalyzedDocument.items
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

    # -- prefilter ------------------------------------------------------------------------------
    def fire_trigger(self) -> Trigger | None:
        """What must be in a document for this rule to fire (None: always possible)."""
        return None

    def analysis_trigger(self) -> Trigger | None:
        """Blocks that must be analysed once the rule is active (default: its fire trigger)."""
        return self.fire_trigger()

    def requirement_trigger(self) -> Trigger | None:
        """For a document-level rule: the blocks its requirement may be met in (None: any)."""
        return None

    def filter_spec(self) -> dict | None:
        """The JSON-able description of :meth:`block_filter` (None: no finer test); computed once,
        and kept with the triggers in the cache."""
        if "_filter_spec" not in self.__dict__:
            # A rule with explicit triggers is run wherever its author said.
            self.__dict__["_filter_spec"] = None if self.meta.triggers is not None \
                else self.derive_filter_spec()
        return self.__dict__["_filter_spec"]

    def derive_filter_spec(self) -> dict | None:
        """The kind's own spec (see ``terms.make_block_filter``); None: no finer test."""
        return None

    def filter_regexes(self) -> list:
        """The regexes a spec with ``"regex": true`` runs."""
        return []

    def block_filter(self) -> Callable[[Features], bool] | None:
        """A finer test, run on each block that passed the analysis trigger: False only when the
        rule cannot match in that block (None: no finer test). It may raise ``RegexTimeout``."""
        if "_block_filter" not in self.__dict__:
            spec = self.filter_spec()
            if spec is None:
                self.__dict__["_block_filter"] = None
            else:
                from .terms import make_block_filter

                self.__dict__["_block_filter"] = make_block_filter(spec, self.filter_regexes())
        return self.__dict__["_block_filter"]

    def triggers(self) -> tuple[Trigger | None, Trigger | None]:
        """(fire, analysis) triggers, computed once.

        A rule's explicit ``triggers`` replace its fire trigger. A document-level rule still needs
        the blocks its requirement may be met in, so its analysis trigger adds the derived one.
        """
        cached = self.__dict__.get("_triggers")
        if cached is None:
            explicit = self.meta.triggers
            if explicit is None:
                cached = (self.fire_trigger(), self.analysis_trigger())
            elif self.scope != "document":
                cached = (Trigger((explicit,)), Trigger((explicit,)))
            else:
                req = self.requirement_trigger()
                analysis = None if req is None or len(req.groups) != 1 \
                    else Trigger.any_of(explicit, req.groups[0])
                cached = (Trigger((explicit,)), analysis)
            self.__dict__["_triggers"] = cached
        return cached

    # -- matching -------------------------------------------------------------------------------
    def prepare(self, nlp: Any) -> None:
        """Build matchers for ``nlp``; called once per pipeline before the first check."""

    def ensure_prepared(self, nlp: Any) -> None:
        if self._prepared_for is not nlp:
            self.prepare(nlp)
            self._prepared_for = nlp

    def check(self, adoc: "AnalyzedDocument") -> Iterator[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class AnalyzedDocument:
    """A document's analysed blocks: ``items`` is a list of (block index, block, spaCy Doc)."""

    document: Any
    items: list

    def sentences(self) -> Iterator[tuple[int, Any, Any, int, int]]:
        """(item index, block, doc, first token, end token) for every sentence."""
        for k, (_, block, doc) in enumerate(self.items):
            for s, e in _cl(doc).sents:
                yield k, block, doc, s, e


def sentence_bounds(sents: list[tuple[int, int]], i: int) -> tuple[int, int]:
    starts = [s for s, _ in sents]
    k = bisect.bisect_right(starts, i) - 1
    return sents[max(k, 0)]
