"""The spaCy pipeline: a tokenizer (blank English, or a trained pipeline the user installed) and
claimlint's own rule-based components.

A document is analysed as one spaCy Doc: the blocks some rule needs (paragraphs, headings, list
items, table cells ...) are joined with their boundaries kept (``Block.breaks``), so that no
sentence runs from one block into the next.

Components, in order:

``claimlint_lemmatizer``
    lemmas from spaCy's English lookup table (skipped when a trained pipeline brings a lemmatizer);
``claimlint_citations``
    citation markers: links kept by the source reader, bare URLs, DOI, PMID/PMCID, ``[3]``, ``^3``,
    superscript digits and ``<sup>`` markers, author-year references;
``claimlint_sentences``
    sentence boundaries that keep a citation written after the full stop (``...improved.[3]``) with
    its sentence and do not split at abbreviations; a sentence never crosses a block boundary;
``claimlint_context``
    NegEx/ConText-style negation scopes and hedge cues, bounded by the sentence.

Each component writes into one :class:`Analysis` object per document (``doc._.claimlint``); rules read it
through its methods and the token extensions ``negated``, ``hedged`` and ``citation``. Quantities
(percentages, fractions, ``N in M``, multipliers, proportion words) are found on demand, only in
the token ranges a rule about numbers asks for (:meth:`Analysis.quantities`).
"""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy
import spacy
from spacy.attrs import IDX, LEMMA, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from ..errors import ModelError
from .lemmas import lemma_table
from .markers import CITING_LINK_SCHEMES, find_citations, find_quantities


@dataclass
class Quantity:
    start: int  # token indices
    end: int
    kind: str
    text: str


@dataclass
class Analysis:
    """Everything claimlint's components learned about one analysed document.

    Token offsets (``starts``/``ends``), lower-case forms and sentence bounds are kept as plain lists
    so that rules never need to create spaCy Token objects in their loops.
    """

    n: int
    neg_cue: list[int] = field(default_factory=list)   # index of the negation cue scoping a token, -1
    is_neg_cue: list[bool] = field(default_factory=list)
    hedge: list[bool] = field(default_factory=list)
    citation: list[bool] = field(default_factory=list)
    citations: list[tuple[int, int, str]] = field(default_factory=list)  # char spans
    _quantities: dict = field(default_factory=dict)  # char range -> quantities found in it
    sents: list[tuple[int, int]] = field(default_factory=list)  # token spans of sentences
    text: str = ""                                    # the document's text (Doc.text rebuilds it)
    starts: list[int] = field(default_factory=list)   # char offset of each token
    ends: list[int] = field(default_factory=list)     # char offset just past each token
    lower: list[str] = field(default_factory=list)
    matches: dict = field(default_factory=dict)       # matcher results, by hub and scope

    @property
    def lower_text(self) -> str:
        low = self.__dict__.get("_lower_text")
        if low is None:
            low = self.__dict__["_lower_text"] = self.text.lower()
        return low

    def __post_init__(self) -> None:
        n = self.n
        self.neg_cue = [-1] * n
        self.is_neg_cue = [False] * n
        self.hedge = [False] * n
        self.citation = [False] * n

    @classmethod
    def of(cls, doc: Doc) -> Analysis:
        analysis = cls(len(doc))
        block = doc._.claimlint_block
        # Doc.text rebuilds the text token by token; the block the Doc was made from has it.
        text = analysis.text = block.text if block is not None else doc.text
        if len(doc):
            arr = doc.to_array([IDX, LENGTH])
            analysis.starts = arr[:, 0].tolist()
            analysis.ends = (arr[:, 0] + arr[:, 1]).tolist()
            analysis.lower = [text[a:b].lower() for a, b in zip(analysis.starts, analysis.ends)]
        return analysis

    def char_span(self, s: int, e: int) -> tuple[int, int]:
        """Character offsets of token span ``[s, e)``."""
        return self.starts[s], self.ends[e - 1]

    def tokens_of(self, a: int, b: int) -> tuple[int, int] | None:
        """Token span covering characters ``[a, b)`` (every token that overlaps them)."""
        s = bisect.bisect_right(self.ends, a)
        e = bisect.bisect_left(self.starts, b)
        return (s, e) if s < e else None

    def negated(self, start: int, end: int) -> bool:
        """Is token span ``[start, end)`` inside the scope of a negation cue outside it?

        A span that opens with a cue of its own ("no side effects") is a negative claim, not a
        negated one: an earlier cue in a list ("no heat, no side effects") does not cancel it.
        """
        if start < end and self.is_neg_cue[start]:
            # "no side effects" after "no heat," is a list of claims; after "not", "n't" or
            # "never" ("it is not without risk") it is a denied one.
            cue = self.neg_cue[start]
            return cue >= 0 and self.lower[cue] in _DENIALS
        for i in range(start, end):
            cue = self.neg_cue[i]
            if cue >= 0 and not start <= cue < end:
                return True
        return False

    def hedged(self, start: int, end: int) -> bool:
        return any(self.hedge[i] for i in range(start, end))

    def cited(self, start: int, end: int) -> bool:
        return any(self.citation[i] for i in range(start, end))

    @cached_property
    def features(self):
        """The whole text as the pre-filter sees it (its words, lower case)."""
        from ..prefilter import Features

        return Features(self.text)

    def char_ranges(self, scope) -> list[tuple[int, int]]:
        """Character ranges of token ranges ``scope`` (None: the whole text)."""
        if scope is None:
            return [(0, len(self.text))]
        return [(self.starts[s], self.ends[e - 1]) for s, e in scope if e > s]

    def quantities(self, scope) -> list[Quantity]:
        """Quantities in token ranges ``scope`` (None: the whole document).

        Found on first use: only rules about numbers pay for the search, and only where their
        words occur.
        """
        out: list[Quantity] = []
        for a, b in self.char_ranges(scope):
            found = self._quantities.get((a, b))
            if found is None:
                found = []
                for qa, qb, kind in find_quantities(self.text[a:b]):
                    toks = self.tokens_of(a + qa, a + qb)
                    if toks is not None:
                        found.append(Quantity(toks[0], toks[1], kind, self.text[a + qa:a + qb]))
                self._quantities[(a, b)] = found
            out.extend(found)
        return out

    def sentence_of(self, i: int) -> tuple[int, int]:
        """Token span of the sentence holding token ``i``."""
        return self.sents[self.sentence_index(i)]

    def sentences_with(self, words) -> list[int]:
        """Indices of the sentences that have one of ``words`` (words as the pre-filter sees
        them: runs of letters and digits of the lower-case text), in order."""
        index = self.__dict__.get("_sentence_words")
        if index is None:
            from ..words import WORD

            index = {}
            low = self.lower_text
            starts, ends = self.starts, self.ends
            for k, (ss, se) in enumerate(self.sents):
                if se > ss:
                    for w in set(WORD.findall(low, starts[ss], ends[se - 1])):
                        index.setdefault(w, []).append(k)
            self.__dict__["_sentence_words"] = index
            self.__dict__["_sentence_word_set"] = set(index)
        found: set[int] = set()
        for w in self.__dict__["_sentence_word_set"].intersection(words):
            found.update(index[w])
        return sorted(found)

    def sentences_starting_in(self, ranges) -> list[int]:
        """Indices of the sentences whose first character is in one of the character ``ranges``
        (``[(a, b), ...]``, ``a <= start < b``), in order."""
        firsts = self.__dict__.get("_sent_first_chars")
        if firsts is None or len(firsts) != len(self.sents):
            firsts = self.__dict__["_sent_first_chars"] = [self.starts[ss] for ss, _ in self.sents]
        found: set[int] = set()
        for a, b in ranges:
            found.update(range(bisect.bisect_left(firsts, a), bisect.bisect_left(firsts, b)))
        return sorted(found)

    def sentence_index(self, i: int) -> int:
        return max(bisect.bisect_right(self._sent_starts, i) - 1, 0)

    @property
    def _sent_starts(self) -> list[int]:
        starts = self.__dict__.get("_starts_cache")
        if starts is None or len(starts) != len(self.sents):
            starts = [s for s, _ in self.sents]
            self.__dict__["_starts_cache"] = starts
        return starts


def _ensure_extensions() -> None:
    if not Doc.has_extension("claimlint"):
        Doc.set_extension("claimlint", default=None)
        Doc.set_extension("claimlint_block", default=None)
        Token.set_extension("negated", getter=lambda t: t.doc._.claimlint is not None
                            and t.doc._.claimlint.neg_cue[t.i] >= 0)
        Token.set_extension("hedged", getter=lambda t: t.doc._.claimlint is not None and t.doc._.claimlint.hedge[t.i])
        Token.set_extension("citation", getter=lambda t: t.doc._.claimlint is not None
                            and t.doc._.claimlint.citation[t.i])


_last: list = [None, None]  # the last (Doc, Analysis) looked up: rules ask for it many times


def _analysis(doc: Doc) -> Analysis:
    if _last[0] is doc:
        return _last[1]
    analysis = doc._.claimlint
    if analysis is None:
        analysis = doc._.claimlint = Analysis.of(doc)
    _last[0], _last[1] = doc, analysis
    return analysis


def analysis_of(doc: Doc) -> Analysis:
    """The analysis of a Doc the pipeline has processed."""
    if _last[0] is doc:
        return _last[1]
    analysis = doc._.claimlint
    _last[0], _last[1] = doc, analysis
    return analysis


def _char_to_tokens(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    return _analysis(doc).tokens_of(a, b)


# --- components --------------------------------------------------------------------------------

_lemma_ids: dict[int, int] = {}  # lower-case form's hash -> its lemma's hash


@Language.component("claimlint_lemmatizer")
def lemmatizer(doc: Doc) -> Doc:
    """Lemmas by table lookup, written as one array (no Token objects are created)."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    table = lemma_table()
    ids = _lemma_ids
    lowers = doc.to_array(LOWER)
    out = numpy.empty(len(lowers), dtype="uint64")
    for k, h in enumerate(lowers.tolist()):
        lem = ids.get(h)
        if lem is None:
            low = strings[h]
            lem = ids[h] = strings.add(table.get(low, low))
        out[k] = lem
    doc.from_array([LEMMA], out.reshape(-1, 1))
    return doc


@Language.component("claimlint_citations")
def citations(doc: Doc) -> Doc:
    analysis = _analysis(doc)
    spans = find_citations(doc._.claimlint.text)
    block = doc._.claimlint_block
    if block is not None:
        for link in block.links:
            if link.href and not link.href.lower().startswith(CITING_LINK_SCHEMES) and link.href != "#":
                spans.append((link.start, link.end, "link"))
        for s, e, kind in block.marks:
            if kind == "sup":
                inner = doc._.claimlint.text[s:e].strip().strip("[]()")
                if inner and all(c.isdigit() or c in ",-\u2013 " for c in inner):
                    spans.append((s, e, "superscript"))
    for a, b, kind in spans:
        toks = _char_to_tokens(doc, a, b)
        if toks is None:
            continue
        analysis.citations.append((a, b, kind))
        for i in range(toks[0], toks[1]):
            analysis.citation[i] = True
    return doc


_TERMINAL = {".", "!", "?", "\u2026", "...", "?!", "!?", "!!", "??", "...."}
_CLOSERS = {"\"", "'", "\u201d", "\u2019", ")", "]", "}", "\u00bb", "*"}
_OPENERS = {"(", "["}


@Language.component("claimlint_sentences")
def sentences(doc: Doc) -> Doc:
    n = len(doc)
    if n == 0:
        return doc
    analysis = _analysis(doc)
    text = doc._.claimlint.text
    toks = [text[a:b] for a, b in zip(analysis.starts, analysis.ends)]
    starts = [False] * n
    starts[0] = True
    block = doc._.claimlint_block
    forced: set[int] = set()  # first tokens of joined blocks: nothing before them runs on
    if block is not None and block.breaks:
        for br in block.breaks:
            k = bisect.bisect_left(analysis.starts, br)
            if k < n:
                starts[k] = True
                forced.add(k)
    cit = analysis.citation
    i = 0
    while i < n:
        if toks[i] in _TERMINAL and not cit[i]:
            j = i + 1
            while j < n and j not in forced:
                t = toks[j]
                if t in _TERMINAL or t in _CLOSERS or cit[j] or t.isspace():
                    j += 1
                    continue
                if t in _OPENERS:
                    # A parenthetical made of a citation still belongs to this sentence.
                    close = j + 1
                    while close < n and close - j < 60 and toks[close] not in (")", "]"):
                        close += 1
                    if close < n and toks[close] in (")", "]") and any(cit[j:close + 1]):
                        j = close + 1
                        continue
                break
            if j < n and not toks[j][:1].islower():
                starts[j] = True
            i = j
            continue
        i += 1
    bounds = [k for k in range(n) if starts[k]] + [n]
    analysis.sents = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    flags = numpy.full((n, 1), -1, dtype="int64")
    flags[[k for k in range(n) if starts[k]], 0] = 1
    doc.from_array([SENT_START], flags.view("uint64"))
    return doc


# Negation (NegEx/ConText). Cues scope forward to a terminator, at most _NEG_WINDOW tokens.
NEG_CUES = {"not", "no", "never", "n't", "n\u2019t", "without", "nor", "neither", "none", "nobody",
            "nothing", "cannot", "nowhere", "lack", "lacks", "lacking", "absence", "far", "hardly",
            "unlikely", "rather", "instead", "zero", "yet",
            # Distancing: a claim the copy reports without making it ("some sites claim that it
            # cures cancer", "is said to reverse diabetes") is treated like a denied one.
            "claim", "claims", "claimed", "myth", "allegedly", "supposedly", "purportedly", "said"}
NEG_PSEUDO = {("not", "only"), ("not", "just"), ("not", "merely"), ("no", "longer"), ("no", "more"),
              ("no", "doubt"), ("no", "wonder"), ("not", "necessarily"), ("nothing", "but"),
              ("no", "matter"), ("never", "again"), ("not", "simply")}
NEG_NEEDS_NEXT = {"far": {"from"}, "rather": {"than"}, "instead": {"of"}, "lack": {"of"},
                  "absence": {"of"}, "lacks": None, "lacking": None, "unlikely": None,
                  "hardly": None, "yet": {"to"},  # "has yet to be shown"; "yet" alone turns a sentence
                  "claim": {"that"}, "claims": {"that"}, "claimed": {"that"}, "myth": {"that"},
                  "allegedly": None, "supposedly": None, "purportedly": None, "said": {"to", "by"}}
# Cues that count only after one of these words: "is said to", not "she said to me".
NEG_NEEDS_PREV = {"said": {"is", "are", "was", "were", "been", "often", "widely", "sometimes"}}
NEG_TERMINATORS = {"but", "however", "although", "though", "yet", "except", "whereas", "which",
                   "who", "while", "unless", "because", "so", ";", ":", "\u2014", "\u2013",
                   "--", "since", "nevertheless", "still", "instead"}
_NEG_WINDOW = 8
_COORDINATORS = {"and", "or", ","}
_DENIALS = {"not", "n't", "n\u2019t", "never", "cannot"}
_NEW_CLAUSE = {"it", "we", "they", "you", "this", "that", "these", "those", "our", "he", "she", "i",
               "there", "its", "it's", "it\u2019s", "and", "or", "so", "then", "instead", "just",
               "only", "rather", "the", "a", "an", "your", "their", "many", "most", "some"}

HEDGE_STRONG = {"may", "might", "could", "possibly", "potentially", "perhaps", "appear", "appears",
                "seem", "seems", "suggest", "suggests", "suggested", "vary", "varies", "hopefully",
                "preliminary"}
_CLAUSE_BREAK = {";", ":", "\u2014", "but", "however", "although", "though", "whereas", "while"}


@Language.component("claimlint_context")
def context(doc: Doc) -> Doc:
    analysis = _analysis(doc)
    lower = analysis.lower
    for s, e in analysis.sents:
        # Negation.
        i = s
        while i < e:
            w = lower[i]
            nxt = lower[i + 1] if i + 1 < e else ""
            if w in NEG_CUES and (w, nxt) not in NEG_PSEUDO:
                need = NEG_NEEDS_NEXT.get(w, ())
                if need and nxt not in need:
                    i += 1
                    continue
                prev = NEG_NEEDS_PREV.get(w)
                if prev is not None and (i == s or lower[i - 1] not in prev):
                    i += 1
                    continue
                if w == "no" and nxt in ("one", "1") and i + 2 < e and lower[i + 2] in ("else",):
                    i += 1
                    continue
                analysis.is_neg_cue[i] = True
                k = i + 1
                stop = min(e, i + 1 + _NEG_WINDOW)
                while k < stop:
                    if lower[k] in NEG_TERMINATORS and k > i + 1:
                        break
                    if lower[k] == "," and k + 1 < e and lower[k + 1] in _NEW_CLAUSE:
                        break  # "not a cure, it is a tool"; a list ("diagnose, treat, cure") goes on
                    if (lower[k] in NEG_CUES and k > i + 1
                            and any(lower[m] in _COORDINATORS for m in range(i + 1, k))):
                        break  # "not a stimulant and not habit-forming": the second cue is its own claim
                    if analysis.neg_cue[k] < 0:
                        analysis.neg_cue[k] = i
                    k += 1
            i += 1
        # Hedges: a strong cue hedges its clause.
        clause_start = s
        for k in range(s, e + 1):
            if k == e or lower[k] in _CLAUSE_BREAK:
                if any(lower[m] in HEDGE_STRONG for m in range(clause_start, k)):
                    for m in range(clause_start, k):
                        analysis.hedge[m] = True
                clause_start = k + 1
        # "results vary", "not everyone", "individual results" hedge the whole sentence.
        text = doc._.claimlint.text[analysis.starts[s]:analysis.ends[e - 1]].lower()
        if ("results vary" in text or "results may vary" in text or "not everyone" in text
                or "individual results" in text or "results differ" in text):
            for m in range(s, e):
                analysis.hedge[m] = True
    return doc


COMPONENTS = ["claimlint_citations", "claimlint_sentences", "claimlint_context"]

_lock = threading.Lock()
_pipelines: dict[str, Language] = {}


def _customise_tokenizer(nlp: Language) -> None:
    """Split citation markers glued to a word ("improved.[3]", "relief.²", "cure^4")."""
    from spacy.attrs import ORTH
    from spacy.util import compile_suffix_regex

    suffixes = list(nlp.Defaults.suffixes) + [
        r"\[\^?\d{1,3}(?:[,\u2013-]\s?\d{1,3})*",
        r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+(?:[,\u2013-][\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+)*",
        r"\^\d{1,3}",
    ]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search

    for special in ("al.", "approx.", "vs.", "e.g.", "i.e.", "cf.", "etc.", "Fig.", "fig.", "No.",
                    "Dr.", "Drs.", "Mr.", "Mrs.", "Ms.", "Prof.", "St.", "Inc.", "Ltd.", "Co.",
                    "Jr.", "Sr.", "Ph.D.", "M.D.", "D.O.", "N.D.", "R.N.", "U.S.", "U.K.", "wk.",
                    "wks.", "hr.", "hrs.", "min.", "mg.", "oz.", "lb.", "lbs."):
        nlp.tokenizer.add_special_case(special, [{ORTH: special}])


def build_pipeline(model: str | None = None) -> Language:
    _ensure_extensions()
    if model in (None, "", "blank", "en", "blank:en"):
        nlp = spacy.blank("en")
        _customise_tokenizer(nlp)
        nlp.add_pipe("claimlint_lemmatizer")
    else:
        try:
            nlp = spacy.load(model, exclude=["parser", "senter", "ner", "entity_linker",
                                             "entity_ruler", "textcat", "textcat_multilabel"])
        except OSError as exc:
            raise ModelError(
                f"spaCy pipeline {model!r} is not installed or cannot be loaded ({exc}); install it "
                "with pip (claimlint never downloads models), or drop --model to use the built-in "
                "rule-based pipeline"
            ) from None
        if nlp.lang != "en":
            raise ModelError(f"spaCy pipeline {model!r} is for language {nlp.lang!r}; claimlint "
                             "needs an English pipeline")
        _customise_tokenizer(nlp)
        if "lemmatizer" not in nlp.pipe_names:
            nlp.add_pipe("claimlint_lemmatizer")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    # spaCy refuses texts over a million characters (a memory guard for parsers, which this
    # pipeline does not have); the size of what is checked is bounded by max-file-size instead.
    nlp.max_length = 10 ** 9
    return nlp


def get_pipeline(model: str | None = None) -> Language:
    """The process-wide pipeline for ``model`` (built once, on first use)."""
    key = model or "blank"
    with _lock:
        nlp = _pipelines.get(key)
        if nlp is None:
            nlp = _pipelines[key] = build_pipeline(model)
        return nlp


def analyse(nlp: Language, block) -> Doc:
    """Run the pipeline over one block (a document's blocks joined by ``join_blocks``)."""
    doc = nlp.make_doc(block.text)
    doc._.claimlint_block = block
    return nlp(doc)
