"""``indications`` (document level): a drug promoted for a condition outside its approved labelling,
in a document that never says the use is off-label.

The drugs and conditions are data in the pack, so a compliance team keeps them current without
code::

    data:
      conditions:
        depression: [depression, depressive disorder, low mood]
        anesthesia: [anesthesia, anaesthesia, sedation, surgery]
      drugs:
        - name: ketamine
          names: [ketamine, ketalar]
          approved: [anesthesia]
          source: Ketalar (ketamine hydrochloride) injection, US prescribing information
        - name: psilocybin
          names: [psilocybin, magic mushrooms]
          status: unapproved        # no approved labelling: nothing to be outside of
          source: Schedule I substance; no FDA-approved product
    rules:
      - id: missing-offlabel-disclosure
        kind: indications
        drugs: drugs
        conditions: conditions
        disclosure: {regex: ['\\boff[- ]label\\b', '\\bnot (?:been )?FDA[- ]approved\\b']}

A pairing is a drug and a condition named in the same sentence (``pairing: sentence``) or anywhere
in the document (``pairing: document``), where the condition is not among the drug's approved
indications and no other drug named in that sentence is approved for it. The finding is placed at
the first pairing, unless a ``disclosure`` term occurs anywhere in the document.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..nlp.lemmas import forms
from ..prefilter import AnyOf, Trigger
from ..words import words_of
from ..yamlutil import LDict, LList
from ..schema import Opt, Where, validate_options
from .base import AnalyzedDocument, Hit, Rule, Scope, make_hit
from .terms import Terms, longest
from .token_patterns import lemmatised

DRUG_SPEC = {
    "name": Opt("str", required=True, help="the drug's generic name"),
    "names": Opt("strlist", required=True, help="generic names, brands, common spellings"),
    "approved": Opt("strlist", default=[], help="condition keys of its approved indications"),
    "status": Opt("enum", default="approved", choices=("approved", "unapproved"),
                  help="unapproved: no approved labelling at all"),
    "source": Opt("str", required=True, help="where the approved indications come from"),
    "notes": Opt("str", default=None, help="anything a reviewer should know"),
}


@dataclass
class Drug:
    name: str
    names: list[str]
    approved: frozenset[str]
    status: str
    source: str


_MODIFIERS = {"compounded", "oral", "topical", "low", "dose", "tablets", "products", "therapy"}


def _substance(name: str) -> str:
    """The substance a table entry is about: 'compounded semaglutide' -> 'semaglutide'."""
    words = [w for w in words_of(name) if w not in _MODIFIERS]
    return max(words, key=len) if words else name


class IndicationsRule(Rule):
    kind = "indications"
    scope = "document"
    DESCRIPTION = ("Document level: a drug named with a condition outside its approved "
                   "indications, and no off-label disclosure anywhere.")
    PLACEHOLDERS = {"match", "sentence", "drug", "condition", "source"}
    OPTIONS = {
        "drugs": Opt("str", default="drugs", help="name of the pack's drug table"),
        "conditions": Opt("str", default="conditions", help="name of the pack's condition table"),
        "disclosure": Opt("any", required=True, help="terms that disclose off-label use"),
        "pairing": Opt("enum", default="sentence", choices=("sentence", "document"),
                       help="where drug and condition must both occur"),
        "report": Opt("enum", default="sentence", choices=("match", "sentence"),
                      help="underline the drug, or its whole sentence"),
        "min-mentions": Opt("int", default=1,
                            help="with pairing: document, a drug named fewer times than this is "
                                 "only mentioned, not promoted, and pairs only within a sentence"),
        "condition-context": Opt("any", default=None,
                                 help="terms; with pairing: document, a condition counts only in a "
                                      "sentence that also has one (treat, relief, therapy for ...)"),
        "unless-sentence-has": Opt("any", default=None,
                                   help="terms; a sentence with one of them pairs nothing "
                                        "(warnings, side effects)"),
    }

    def __init__(self, meta, options, raw, where, ctx):
        super().__init__(meta, options, raw, where, ctx)
        data = ctx.data if ctx is not None else {}
        self.conditions = self._conditions(data, options["conditions"], raw.line_of("conditions"))
        self.drugs = self._drugs(data, options["drugs"], raw.line_of("drugs"))
        self.disclosure = Terms(options["disclosure"], where, raw.line_of("disclosure"), "disclosure")
        self.skip = Terms(options["unless-sentence-has"], where, raw.line_of("unless-sentence-has"),
                          "unless-sentence-has") if options["unless-sentence-has"] is not None else None
        self.context = Terms(options["condition-context"], where, raw.line_of("condition-context"),
                             "condition-context") if options["condition-context"] is not None else None
        self.pairing = options["pairing"]
        self.min_mentions = options["min-mentions"]
        self.report = options["report"]
        self._drug_matcher = None
        self._cond_matcher = None

    # -- tables ---------------------------------------------------------------------------------
    def _table(self, data, name: str, line: int):
        if name not in data:
            raise self.where.error(f"the pack has no data table {name!r}"
                                   + (f"; it has {', '.join(sorted(data))}" if data else ""), line)
        return data[name], (data.line_of(name) if isinstance(data, LDict) else line)

    def _conditions(self, data, name: str, line: int) -> dict[str, list[str]]:
        table, tline = self._table(data, name, line)
        if not isinstance(table, dict) or not table:
            raise self.where.error(f"data table {name!r} must map condition keys to lists of phrases", tline)
        out = {}
        for key, phrases in table.items():
            kline = table.line_of(key) if isinstance(table, LDict) else tline
            if isinstance(phrases, str):
                phrases = [phrases]
            if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip()
                                                                       for p in phrases):
                raise self.where.error(f"condition {key!r} must be a list of phrases", kline)
            out[str(key)] = list(phrases)
        return out

    def _drugs(self, data, name: str, line: int) -> list[Drug]:
        table, tline = self._table(data, name, line)
        if not isinstance(table, list) or not table:
            raise self.where.error(f"data table {name!r} must be a list of drugs", tline)
        drugs = []
        seen: dict[str, str] = {}
        for i, item in enumerate(table):
            iline = table.line_of(i) if isinstance(table, LList) else tline
            if not isinstance(item, dict):
                raise self.where.error(f"{name}: entry {i + 1} must be a mapping", iline)
            w = Where(self.where.path, item.line if isinstance(item, LDict) else iline, self.where.rule)
            d = validate_options(item, DRUG_SPEC, w, context=f"{name}: ")
            for key in d["approved"]:
                if key not in self.conditions:
                    raise w.error(f"{name}: drug {d['name']!r}: approved condition {key!r} is not in "
                                  "the conditions table", item.line_of("approved") if isinstance(item, LDict) else iline)
            for n in d["names"]:
                low = " ".join(words_of(n))
                if low in seen and seen[low] != d["name"]:
                    raise w.error(f"{name}: name {n!r} is listed for both {seen[low]!r} and {d['name']!r}",
                                  item.line_of("names") if isinstance(item, LDict) else iline)
                seen[low] = d["name"]
            drugs.append(Drug(d["name"], d["names"], frozenset(d["approved"]), d["status"], d["source"]))
        return drugs

    # -- prefilter ------------------------------------------------------------------------------
    def _drug_words(self) -> AnyOf:
        words: set[str] = set()
        for d in self.drugs:
            if d.status != "approved":
                continue
            for n in d.names:
                ws = words_of(n)
                if ws:
                    words |= forms(max(ws, key=len))
        return AnyOf(frozenset(words))

    def fire_trigger(self) -> Trigger | None:
        return Trigger((self._drug_words(),))

    def analysis_trigger(self) -> Trigger | None:
        words: set[str] = set()
        for phrases in self.conditions.values():
            for p in phrases:
                ws = words_of(p)
                if ws:
                    words |= forms(max(ws, key=len))
        all_drugs: set[str] = set()
        for d in self.drugs:
            for n in d.names:
                ws = words_of(n)
                if ws:
                    all_drugs |= forms(max(ws, key=len))
        return Trigger.any_of(AnyOf(frozenset(words | all_drugs)), self.disclosure.trigger)

    # -- matching -------------------------------------------------------------------------------
    def prepare(self, nlp) -> None:
        from spacy.matcher import PhraseMatcher

        dm = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for i, d in enumerate(self.drugs):
            dm.add(str(i), list(lemmatised(nlp, d.names)))
        cm = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for key, phrases in self.conditions.items():
            variants = list(dict.fromkeys(
                phrases + [p.replace(" ", "-") for p in phrases if " " in p]))
            cm.add(key, list(lemmatised(nlp, variants)))
        self._drug_matcher, self._cond_matcher = dm, cm
        self.disclosure.prepare(nlp)
        for t in (self.skip, self.context):
            if t is not None:
                t.prepare(nlp)

    def _find(self, matcher, doc) -> list[tuple[int, int, str]]:
        raw = [(s, e, doc.vocab.strings[mid]) for mid, s, e in matcher(doc)]
        keep = set(longest([(s, e) for s, e, _ in raw]))
        return sorted((s, e, k) for s, e, k in raw if (s, e) in keep)

    def check(self, analyzed: AnalyzedDocument, scope: Scope) -> Iterator[Hit]:
        doc, analysis = analyzed.doc, analyzed.analysis
        if self.disclosure.matches(doc, scope):
            return
        skipped = {analysis.sentence_of(s) for s, _ in self.skip.matches(doc, scope)} if self.skip else set()
        # Drugs and conditions are looked for in the whole document: a pairing may join a drug
        # in one block with a condition in another.
        drugs = [(s, e, self.drugs[int(i)]) for s, e, i in self._find(self._drug_matcher, doc)
                 if analysis.sentence_of(s) not in skipped and not analysis.negated(s, e)]
        conds = [(s, e, key) for s, e, key in self._find(self._cond_matcher, doc)
                 if analysis.sentence_of(s) not in skipped]
        if not drugs and not conds:
            return
        approvals: dict[tuple[int, int], set[str]] = {}  # by sentence: what its drugs are approved for
        for s, _, d in drugs:
            approvals.setdefault(analysis.sentence_of(s), set()).update(d.approved)
        context = {analysis.sentence_of(s) for s, _ in self.context.matches(doc, scope)} \
            if self.context is not None and conds else set()
        # By substance: "compounded semaglutide" and "Wegovy" count together.
        mentions: dict[str, int] = {}
        for _, _, drug in drugs:
            mentions[_substance(drug.name)] = mentions.get(_substance(drug.name), 0) + 1
        # The conditions of each sentence, and those a drug elsewhere may pair with, in order:
        # a drug looks only at those, not at every condition of the document.
        by_sentence: dict[tuple[int, int], list] = {}
        elsewhere = []
        for c in conds:
            csent = analysis.sentence_of(c[0])
            by_sentence.setdefault(csent, []).append(c)
            if self.context is None or csent in context:
                elsewhere.append(c)
        for s, e, drug in drugs:
            if drug.status != "approved":
                continue
            sent = analysis.sentence_of(s)
            near = approvals.get(sent, set())
            promoted = mentions[_substance(drug.name)] >= self.min_mentions
            candidates = by_sentence.get(sent, [])
            if self.pairing != "sentence" and promoted and elsewhere:
                candidates = sorted(set(candidates) | set(elsewhere))
            for cs, ce, key in candidates:
                csent = analysis.sentence_of(cs)
                in_context = self.context is None or csent in context
                if csent != sent and (self.pairing == "sentence" or not in_context or not promoted):
                    continue
                if key in drug.approved or key in near or key in approvals.get(csent, set()):
                    continue
                condition = analysis.text[analysis.starts[cs]:analysis.ends[ce - 1]]
                yield make_hit(analysis, s, e, self.report, {"drug": analysis.text[slice(*analysis.char_span(s, e))],
                                                       "condition": condition,
                                                       "source": drug.source})
                return
