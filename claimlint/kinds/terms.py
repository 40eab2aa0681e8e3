"""Term lists: the matching building block that several kinds share.

A *terms* value in a rule pack is either a list of phrases::

    phrases: [cure, cure-all, miracle cure]

or a mapping that mixes phrases, spaCy Matcher token patterns and regular expressions, with the same
filters a rule has::

    when:
      phrases: [cure, reverse]
      match: lemma            # lemma (default) | lower | exact
      patterns: [[{LOWER: no}, {LOWER: side}, {LEMMA: effect}]]
      regex: ['\\bseizure[- ]free\\b']
      unless: [negated]
      except: [cure rate]
"""
from __future__ import annotations

from ..nlp.analysis import cl as _cl

import hashlib
from typing import Any

import regex as re_engine

from ..nlp.lemmas import forms
from ..prefilter import AnyOf, regex_literals, trigger_forms, trigger_score, words_of
from ..yamlutil import LDict, LList
from ..saferegex import RegexTimeout, SafeRegex
from ..schema import Opt, Where, did_you_mean, validate_options

UNLESS = ("negated", "hedged", "cited", "question")
MATCH_MODES = ("lemma", "lower", "exact")

TERMS_SPEC = {
    "phrases": Opt("strlist", default=[], help="words or phrases"),
    "match": Opt("enum", default="lemma", choices=MATCH_MODES, help="how phrases compare to tokens"),
    "patterns": Opt("patterns", default=[], help="spaCy Matcher token patterns"),
    "regex": Opt("regexlist", default=[], help="regular expressions over the sentence text"),
    "ignore-case": Opt("bool", default=None, help="regexes ignore case (default: true)"),
    "unless": Opt("enumlist", default=[], choices=UNLESS, help="drop matches that are ..."),
    "except": Opt("any", default=None, help="matches inside these terms are dropped"),
    "if-sentence-has": Opt("any", default=None, help="keep a match only if its sentence has these"),
    "unless-sentence-has": Opt("any", default=None, help="drop a match whose sentence has these"),
    "any-of": Opt("any", default=None, help="further term sets whose matches count too"),
}

# Token-pattern keys spaCy's Matcher accepts.
_PATTERN_KEYS = {"ORTH", "TEXT", "NORM", "LOWER", "LEMMA", "POS", "TAG", "MORPH", "DEP", "ENT_TYPE",
                 "ENT_IOB", "ENT_ID", "ENT_KB_ID", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT",
                 "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP",
                 "IS_SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "SPACY", "SHAPE", "PREFIX",
                 "SUFFIX", "OP", "_"}
_WORD_KEYS = {"ORTH", "TEXT", "LOWER", "LEMMA"}  # NORM maps "n't" to "not": no trigger
_EXTENSIONS = {"negated", "hedged", "citation"}
_UNAVAILABLE = {"DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"}


def check_patterns(value: Any, where: Where, line: int, name: str) -> list[list[dict]]:
    """Structural validation of Matcher patterns (spaCy validates the rest when they compile)."""
    if not isinstance(value, list):
        raise where.error(f"{name!r} must be a list of token patterns", line)
    for i, pat in enumerate(value):
        pline = value.line_of(i) if isinstance(value, LList) else line
        if not isinstance(pat, list) or not pat:
            raise where.error(f"{name!r}: pattern {i + 1} must be a non-empty list of token specs", pline)
        for j, tok in enumerate(pat):
            tline = pat.line_of(j) if isinstance(pat, LList) else pline
            if not isinstance(tok, dict):
                raise where.error(f"{name!r}: pattern {i + 1}, token {j + 1} must be a mapping", tline)
            for key, val in tok.items():
                tl = tok.line_of(key) if isinstance(tok, LDict) else tline
                ukey = str(key).upper() if key != "_" else "_"
                if ukey not in _PATTERN_KEYS:
                    raise where.error(f"{name!r}: pattern {i + 1}: unknown token attribute {key!r}"
                                      + did_you_mean(ukey, _PATTERN_KEYS), tl)
                problem = _check_token_value(ukey, val)
                if problem:
                    raise where.error(f"{name!r}: pattern {i + 1}, {key}: {problem}", tl)
    return [[{str(k).upper() if k != "_" else "_": v for k, v in tok.items()} for tok in pat]
            for pat in value]


_PREDICATES = {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS", "REGEX", "FUZZY", "==", "!=",
               ">=", "<=", ">", "<"}
_BOOL_KEYS = {k for k in _PATTERN_KEYS if k.startswith(("IS_", "LIKE_")) or k == "SPACY"}


def _check_token_value(key: str, val: Any) -> str | None:
    """Why a token-pattern value is invalid, or None. Mirrors spaCy's Matcher schema."""
    import re as _re

    if key == "OP":
        if not isinstance(val, str) or not _re.fullmatch(r"[!?+*1]|\{\d*(?:,\d*)?\}", val):
            return f"OP must be one of ! ? + * {{n}} {{n,m}} {{n,}} {{,m}}, not {val!r}"
        return None
    if key in _UNAVAILABLE:
        return ("is not available: claimlint's pipeline has no dependency parser or entity "
                "recognizer")
    if key == "_":
        if not isinstance(val, dict):
            return "'_' must map extension names (negated, hedged, citation) to values"
        for name, v in val.items():
            if name not in _EXTENSIONS:
                return f"unknown extension {name!r}; claimlint sets " + ", ".join(sorted(_EXTENSIONS)) \
                    + did_you_mean(str(name), _EXTENSIONS)
            if not isinstance(v, bool):
                return f"extension {name!r} is true or false, not {v!r}"
        return None
    if key in _BOOL_KEYS:
        return None if isinstance(val, bool) else f"must be true or false, not {val!r}"
    if key == "LENGTH":
        if isinstance(val, int) and not isinstance(val, bool):
            return None
        if not isinstance(val, dict) or not all(
                p in ("==", "!=", ">=", "<=", ">", "<", "IN", "NOT_IN") for p in val):
            return "LENGTH takes a number or comparisons such as {'>=': 4}"
        for p, v in val.items():
            ok = (isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v)) \
                if p in ("IN", "NOT_IN") else (isinstance(v, int) and not isinstance(v, bool))
            if not ok:
                return f"LENGTH {p} takes {'a list of numbers' if p in ('IN', 'NOT_IN') else 'a number'}"
        return None
    if isinstance(val, (str, int)) and not isinstance(val, bool):
        return None
    if isinstance(val, dict):
        for pred, arg in val.items():
            if pred not in _PREDICATES:
                return f"unknown predicate {pred!r}" + did_you_mean(str(pred), _PREDICATES)
            if pred in ("IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"):
                if not isinstance(arg, list):
                    return f"{pred} takes a list"
            elif pred == "REGEX":
                if not isinstance(arg, str):
                    return "REGEX takes a string"
                try:
                    re_engine.compile(arg)
                except re_engine.error as exc:
                    return f"invalid REGEX {arg!r}: {exc}"
        return None
    return f"unsupported value {val!r}"


class Terms:
    """Compiled terms: phrases, token patterns and regexes, with their filters."""

    def __init__(self, raw: Any, where: Where, line: int, name: str, default_unless=(),
                 ignore_case: bool = True):
        self.name = name
        if raw is None:
            raw = []
        if isinstance(raw, (list, str)):
            raw = LDict(phrases=raw)
            raw.line = line
            raw.lines = {"phrases": line}
        if not isinstance(raw, dict):
            raise where.error(f"{name!r} must be a list of phrases or a mapping", line)
        if not isinstance(raw, LDict):
            raw = LDict(raw)
            raw.line, raw.lines = line, {k: line for k in raw}
        opts = validate_options(raw, TERMS_SPEC, where, context=f"{name}: ")
        self.phrases: list[str] = opts["phrases"]
        self.match: str = opts["match"]
        self.unless: tuple[str, ...] = tuple(opts["unless"] or default_unless)
        self.patterns = check_patterns(opts["patterns"], where, raw.line_of("patterns"), name) \
            if opts["patterns"] else []
        if opts["ignore-case"] is not None:
            ignore_case = opts["ignore-case"]
        self.regexes = [SafeRegex(p, ignore_case, where, raw.line_of("regex")) for p in opts["regex"]]
        def sub(key: str) -> Terms | None:
            if opts[key] is None:
                return None
            return Terms(opts[key], where, raw.line_of(key), f"{name}.{key}")

        self.exceptions = sub("except")
        self.if_has = sub("if-sentence-has")
        self.unless_has = sub("unless-sentence-has")
        self.alternatives: list[Terms] = []
        if opts["any-of"] is not None:
            alts = opts["any-of"]
            if not isinstance(alts, list) or not alts:
                raise where.error(f"{name}: 'any-of' must be a list of term sets", raw.line_of("any-of"))
            for i, alt in enumerate(alts):
                aline = alts.line_of(i) if isinstance(alts, LList) else raw.line_of("any-of")
                self.alternatives.append(Terms(alt, where, aline, f"{name}.any-of[{i + 1}]"))
        if not (self.phrases or self.patterns or self.regexes or self.alternatives):
            raise where.error(f"{name!r} has no phrases, patterns, regex or any-of", raw.line)
        self._pattern_line = raw.line_of("patterns")
        self._where = where
        self._hub = None
        self._keys: list[str] = []
        self._nlp = None

    def __bool__(self) -> bool:
        return True

    # -- prefilter ------------------------------------------------------------------------------
    def trigger(self) -> AnyOf | None:
        if "_trigger" not in self.__dict__:
            self.__dict__["_trigger"] = self._derive_trigger()
        return self.__dict__["_trigger"]

    def _derive_trigger(self) -> AnyOf | None:
        own = self._matcher_trigger()
        if own is None:
            return None
        subs = set(own.substrings)
        for rx in self.regexes:
            lits = regex_literals(rx.pattern)
            if lits is None:
                return None
            subs |= lits
        trig = AnyOf(own.words, frozenset(subs))
        for alt in self.alternatives:
            t = alt.trigger()
            if t is None:
                return None
            trig = trig | t
        return trig

    # -- matching -------------------------------------------------------------------------------
    def prepare(self, nlp, owner: object = None) -> None:
        """Register this term set with ``owner``'s matcher hub (default: a hub of its own)."""
        if self._nlp is nlp:
            return
        from .hub import hub_for

        # Each term set has its own matchers: a set whose words are absent is skipped whole.
        hub = hub_for(nlp, self)
        self._nlp = nlp
        self._hub = hub
        self._keys = []
        if self.phrases:
            attr = {"lemma": "LEMMA", "lower": "LOWER", "exact": "ORTH"}[self.match]
            if attr == "LEMMA":
                docs = list(_lemmatised(nlp, self.phrases))
            else:
                docs = [nlp.make_doc(p if attr == "ORTH" else p.lower()) for p in self.phrases]
            self._keys.append(hub.add_phrases(attr, docs))
        if self.patterns:
            try:
                self._keys.append(hub.add_patterns(_time_limited_regexes(self.patterns, self._where,
                                                                         self._pattern_line),
                                                   [_pattern_words(p) for p in self.patterns]))
            except Exception as exc:  # spaCy raises ValueError/MatchPatternError with details
                msg = str(exc).strip().splitlines()
                detail = " ".join(x.strip() for x in msg if x.strip())[:300]
                raise self._where.error(f"{self.name!r}: invalid token pattern: {detail}",
                                        self._pattern_line) from None
        for t in (self.exceptions, self.if_has, self.unless_has, *self.alternatives):
            if t is not None:
                t.prepare(nlp, owner)

    def raw_matches(self, doc) -> list[tuple[int, int]]:
        """Token spans of every match in ``doc`` before filters."""
        out: list[tuple[int, int]] = []
        if self._keys and self._present(doc):
            for key in self._keys:
                out.extend(self._hub.matches(doc, key))
        if self.regexes:
            out.extend(regex_token_spans(doc, self.regexes))
        return out

    def _present(self, doc) -> bool:
        """Can the phrases or patterns match at all? (their trigger words are in the text)"""
        own = self.__dict__.get("_own_trigger", False)
        if own is False:
            own = self.__dict__["_own_trigger"] = self._matcher_trigger()
        if own is None:
            return True
        an = _cl(doc)
        feats = an.__dict__.get("features")
        if feats is None:
            from ..prefilter import Features

            feats = an.__dict__["features"] = Features(an.text)
        return own.test(feats)

    def _matcher_trigger(self) -> AnyOf | None:
        """What the phrases and token patterns need (None: they could match anywhere)."""
        words: set[str] = set()
        subs: set[str] = set()
        for phrase in self.phrases:
            got = _phrase_words(phrase, self.match == "lemma")
            if got is None:
                return None
            words |= got
        for pat in self.patterns:
            got = _pattern_words(pat)
            if got is None:
                got = _pattern_substrings(pat)
                if got is None:
                    return None
                subs |= got
            else:
                words |= got
        return AnyOf(frozenset(words), frozenset(subs))

    def any_match(self, doc) -> bool:
        """Is there at least one match? Stops at the first alternative that has one."""
        raw = self.raw_matches(doc)
        if raw and filter_matches(doc, raw, self.unless, self.exceptions, self.if_has,
                                  self.unless_has):
            return True
        return any(alt.any_match(doc) for alt in self.alternatives)

    def matches(self, doc) -> list[tuple[int, int]]:
        """Token spans of matches that survive ``unless`` and ``except``, longest first."""
        raw = self.raw_matches(doc)
        keep = filter_matches(doc, raw, self.unless, self.exceptions, self.if_has, self.unless_has) \
            if raw else []
        for alt in self.alternatives:
            keep.extend(alt.matches(doc))
        return longest(keep)


def regex_token_spans(doc, regexes: list[SafeRegex], with_groups: bool = False) -> list:
    """Token spans of regex matches, each inside one sentence.

    A pattern is searched once over the text in scope. A match that crosses a sentence boundary
    is not kept; instead the sentences it touched are searched again one by one, so that a match
    inside one of them is not hidden by the crossing one. A pattern with anchors (``^``, ``$``) is
    searched sentence by sentence, so that ``^`` means the start of a sentence.
    """
    an = _cl(doc)
    text = an.text
    out = []
    if an.scope is None:
        ranges = [(0, len(text))]
    else:
        ranges = [(an.starts[s], an.ends[e - 1]) for s, e in an.scope if e > s]
    lowered = an.lower_text

    def sentence_range(k: int) -> tuple[int, int]:
        ss, se = an.sents[k]
        return an.starts[ss], an.ends[se - 1]

    def keep(rx, base: int, m) -> None:
        toks = an.tokens_of(base + m.start(), base + m.end())
        if toks is None:
            return
        if with_groups:
            out.append((toks[0], toks[1], {k: v for k, v in m.groupdict().items() if v is not None}))
        else:
            out.append(toks)

    for rx in regexes:
        if rx.literals is not None and not any(lit in lowered for lit in rx.literals):
            continue  # the text lacks every fixed part of the pattern: it cannot match
        if rx.anchored:
            sents = [k for k, (ss, _) in enumerate(an.sents)
                     if any(a <= an.starts[ss] < b for a, b in ranges)]
        else:
            sents = []
            for a, b in ranges:
                for m in rx.finditer(text[a:b]):
                    if m.end() <= m.start():
                        continue
                    toks = an.tokens_of(a + m.start(), a + m.end())
                    if toks is None:
                        continue
                    first, last = an.sentence_index(toks[0]), an.sentence_index(toks[1] - 1)
                    if first == last:
                        keep(rx, a, m)
                    else:
                        sents.extend(range(first, last + 1))
        done: set[int] = set()
        for k in sents:
            if k in done:
                continue
            done.add(k)
            a, b = sentence_range(k)
            for m in rx.finditer(text[a:b]):
                if m.end() > m.start():
                    keep(rx, a, m)
    return sorted(set(out)) if not with_groups else out


def filter_matches(doc, spans, unless, exceptions=None, if_has=None, unless_has=None):
    """The spans that survive ``unless``, ``except``, ``if-sentence-has``, ``unless-sentence-has``."""
    an = _cl(doc)
    excepted = exceptions.matches(doc) if exceptions is not None else []
    has = if_has.matches(doc) if if_has is not None else None
    hasnt = unless_has.matches(doc) if unless_has is not None else None
    keep = []
    for s, e in spans:
        if unless and not passes_unless(an, s, e, unless, doc):
            continue
        if excepted and any(xs < e and s < xe for xs, xe in excepted):
            continue
        if has is not None or hasnt is not None:
            ss, se = an.sentence_of(s)
            if has is not None and not any(ss <= hs and he <= se for hs, he in has):
                continue
            if hasnt is not None and any(ss <= hs and he <= se for hs, he in hasnt):
                continue
        keep.append((s, e))
    return keep


def is_question(doc, ss: int, se: int) -> bool:
    """Does the sentence end with a question mark (ignoring closing quotes and brackets)?"""
    k = se - 1
    while k >= ss and doc[k].text in ("\"", "'", "\u201d", "\u2019", ")", "]", "*"):
        k -= 1
    return k >= ss and doc[k].text.endswith("?")


def passes_unless(an, s: int, e: int, unless, doc=None) -> bool:
    if "negated" in unless and an.negated(s, e):
        return False
    if "hedged" in unless and an.hedged(s, e):
        return False
    if "cited" in unless or "question" in unless:
        ss, se = an.sentence_of(s)
        if "cited" in unless and an.cited(ss, se):
            return False
        if "question" in unless and doc is not None and is_question(doc, ss, se):
            return False
    return True


def longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, preferring the longest, in document order."""
    spans = sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[tuple[int, int]] = []
    for s, e in spans:
        if all(e <= ts or s >= te for ts, te in taken):
            taken.append((s, e))
    return sorted(taken)


_ATTR_GETTERS = {
    "ORTH": lambda t: t.text, "TEXT": lambda t: t.text, "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_, "NORM": lambda t: t.norm_, "SHAPE": lambda t: t.shape_,
    "PREFIX": lambda t: t.prefix_, "SUFFIX": lambda t: t.suffix_, "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_, "MORPH": lambda t: str(t.morph),
}


def _time_limited_regexes(patterns: list, where: Where, line: int) -> list:
    """Token patterns whose REGEX predicates go through claimlint's time-limited engine.

    spaCy's Matcher runs REGEX with Python's re, which can backtrack for ever on a long token;
    each such predicate becomes a token extension that searches with a time limit instead.
    """
    from spacy.tokens import Token

    out = []
    for pat in patterns:
        new_pat = []
        for tok in pat:
            tok = dict(tok)
            for key in list(tok):
                val = tok[key]
                if key == "_" or not isinstance(val, dict) or "REGEX" not in val:
                    continue
                rx = SafeRegex(val["REGEX"], False, where, line)
                name = "cl_rx_" + hashlib.sha1(f"{key}\0{rx.pattern}".encode()).hexdigest()[:12]
                if not Token.has_extension(name):
                    getter = _ATTR_GETTERS.get(key, _ATTR_GETTERS["TEXT"])
                    Token.set_extension(name, getter=lambda t, g=getter, r=rx: r.search(g(t)) is not None)
                rest = {p: v for p, v in val.items() if p != "REGEX"}
                if rest:
                    tok[key] = rest
                else:
                    del tok[key]
                tok.setdefault("_", {})
                tok["_"] = {**tok["_"], name: True}
            new_pat.append(tok)
        out.append(new_pat)
    return out


def _lemmatised(nlp, phrases):
    """Pattern docs with lemmas, made the way documents get theirs."""
    if "claimlint_lemmatizer" in nlp.pipe_names:
        from ..nlp.lemmas import lemma_table

        table = lemma_table()
        for p in phrases:
            d = nlp.make_doc(p)
            for t in d:
                t.lemma_ = table.get(t.lower_, t.lower_)
            yield d
    else:
        names = [n for n in nlp.pipe_names if not n.startswith("claimlint_")]
        yield from nlp.pipe(phrases, disable=[n for n in nlp.pipe_names if n not in names])



def _word_triggers(word: str, lemma: bool) -> set[str] | None:
    """Trigger words for a token ``word`` (every inflected form when matching lemmas), each with
    the written words spaCy cuts it out of; None if one of them is a number or a unit."""
    out: set[str] = set()
    for form in (forms(word) if lemma else (word,)):
        got = trigger_forms(form)
        if got is None:
            return None
        out |= got
    return out


def _phrase_words(phrase: str, lemma: bool) -> set[str] | None:
    """Words one of which occurs wherever ``phrase`` matches: those of its best word; None if no
    word of it will do."""
    best: set[str] | None = None
    for w in words_of(phrase):
        these = _word_triggers(w, lemma)
        if these and (best is None or trigger_score(these) > trigger_score(best)):
            best = these
    return best


def _phrase_requirements(phrase: str, lemma: bool) -> list[set[str]] | None:
    """For each word of ``phrase`` that has trigger words, those words: a match shows one of each."""
    reqs = [t for t in (_word_triggers(w, lemma) for w in words_of(phrase)) if t]
    return reqs or None


def _pattern_requirements(pat: list[dict]) -> list[set[str]] | None:
    """For each token a match of ``pat`` must have, the words one of which it shows."""
    reqs = []
    for key, vals in _required_values(pat):
        got: set[str] = set()
        for v in vals:
            # The best word of the value: one word ("safe") or several ("co-op", "n't").
            these = _phrase_words(v, key == "LEMMA")
            if not these:
                break
            got |= these
        else:
            reqs.append(got)
    return reqs or None


def _all_requirements(terms: "Terms") -> list[list[set[str]]] | None:
    """Per phrase and per pattern (of the term set and its alternatives), the word sets a match
    needs every one of; None when some phrase or pattern gives no requirement."""
    out = []
    lemma = terms.match == "lemma"
    for phrase in terms.phrases:
        req = _phrase_requirements(phrase, lemma)
        if req is None:
            return None
        out.append(req)
    for pat in terms.patterns:
        req = _pattern_requirements(pat)
        if req is None:
            return None
        out.append(req)
    for alt in terms.alternatives:
        more = _all_requirements(alt)
        if more is None:
            return None
        out.extend(more)
    return out


def all_regexes(terms: "Terms") -> list[SafeRegex]:
    """The regexes of ``terms`` and of its alternatives."""
    return list(terms.regexes) + [rx for alt in terms.alternatives for rx in all_regexes(alt)]


# A block filter is described by a plain, JSON-able spec, so that it is derived once per set of
# packs and kept with the triggers (deriving word forms needs the lemma tables):
#   {"words": [[[w, ...], ...], ...], "regex": bool}
# It holds for a block when, for some entry of "words", the block has a word of each of its sets,
# or when "regex" is true and one of the rule's regexes matches in the block.

def terms_filter_spec(terms: "Terms") -> dict | None:
    """The block-filter spec of ``terms``: the trigger asks for one word of a phrase or pattern,
    this asks for all of them ("most" *and* "notice" for "most patients notice"), and runs the
    regexes. None when no such test can be derived."""
    reqs = _all_requirements(terms)
    regexes = all_regexes(terms)
    if reqs is None or (regexes and regex_filter_spec(regexes) is None) or not (reqs or regexes):
        return None
    return {"words": [sorted((sorted(s) for s in req), key=len) for req in reqs],
            "regex": bool(regexes)}


def regex_filter_spec(regexes: list[SafeRegex]) -> dict | None:
    """The block-filter spec of a list of regexes; None if one cannot be judged on a block alone."""
    if not regexes or any(rx.literals is None or not _block_safe(rx.pattern)
                          for rx in regexes):
        return None
    return {"words": [], "regex": True}


def make_block_filter(spec: dict, regexes: list[SafeRegex]):
    """A test of one block's :class:`~claimlint.prefilter.Features` built from ``spec``. A regex
    search over its time limit raises ``RegexTimeout``: the caller keeps the block."""
    reqs = [[frozenset(s) for s in req] for req in spec["words"]]
    regexes = list(regexes) if spec["regex"] else []

    def test(f) -> bool:
        if reqs:
            words = f.words
            for req in reqs:  # the smallest (rarest-looking) set first: a block usually fails it
                if all(not words.isdisjoint(s) for s in req):
                    return True
        if regexes:
            lower, text = f.lower, None
            for rx in regexes:
                if not any(lit in lower for lit in rx.literals):
                    continue
                if text is None:
                    text = f.text.strip()
                if rx.search(text) is not None:
                    return True
        return False

    return test


def _block_safe(pattern: str) -> bool:
    """Can ``pattern`` be judged on one block alone? Not with anchors, positive lookaround (the
    rule's own search may see beyond the block, or less of it), ``\\B``, or syntax only the regex
    module reads (reverse searching, fuzzy matching ...)."""
    try:
        from re import _constants as c, _parser as sp  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse as sp  # type: ignore[no-redef]
    if "(?r" in pattern or "(?V1" in pattern:
        return False
    try:
        tree = sp.parse(pattern)
    except Exception:
        return False
    ok_at = {c.AT_BOUNDARY}

    def walk(items) -> bool:
        for op, av in items:
            if op is c.AT and av not in ok_at:
                return False
            if op is c.ASSERT:
                return False
            if op is c.ASSERT_NOT and not walk(av[1]):
                return False
            if op is c.SUBPATTERN and not walk(av[-1]):
                return False
            if op is c.BRANCH and not all(walk(alt) for alt in av[1]):
                return False
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) \
                    and not walk(av[2]):
                return False
            if op is getattr(c, "ATOMIC_GROUP", None) and not walk(av):
                return False
            if op is c.GROUPREF_EXISTS:
                return False
        return True

    return walk(list(tree))


def _required_values(pat: list[dict]):
    """(key, values) of each token a match of ``pat`` must have, for the keys that name text."""
    for tok in pat:
        op = tok.get("OP")
        if op not in (None, "+", "1") and not (isinstance(op, str) and op.startswith("{") and
                                                not op.startswith("{0") and not op.startswith("{,")):
            continue
        for key in _WORD_KEYS:
            if key not in tok:
                continue
            val = tok[key]
            if isinstance(val, str):
                yield key, [val]
            elif isinstance(val, dict) and set(val) == {"IN"} and isinstance(val["IN"], list) \
                    and val["IN"] and all(isinstance(v, str) for v in val["IN"]):
                yield key, list(val["IN"])


def _pattern_substrings(pat: list[dict]) -> set[str] | None:
    """Text one piece of which every match of a token pattern shows (a token's own text), for a
    pattern with no trigger words ("#" "1"); None if unknown."""
    best: set[str] | None = None
    for key, vals in _required_values(pat):
        if key == "LEMMA" or not all(v.strip() for v in vals):
            continue
        got = {v.lower() for v in vals}
        if best is None or min(map(len, got)) > min(map(len, best)):
            best = got
    return best


def _pattern_words(pat: list[dict]) -> set[str] | None:
    """Words one of which must occur for a token pattern to match (None if unknown): those of its
    best required token."""
    reqs = _pattern_requirements(pat)
    return max(reqs, key=trigger_score) if reqs else None
