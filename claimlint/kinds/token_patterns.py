"""spaCy Matcher token patterns in rule packs: their validation (with the pack's line numbers),
their REGEX predicates made time-limited, and phrase documents made the way documents are."""
from __future__ import annotations

import hashlib
from typing import Any

import regex as re_engine

from ..saferegex import SafeRegex
from ..schema import Where, did_you_mean
from ..yamlutil import LDict, LList

# Token-pattern keys spaCy's Matcher accepts.
PATTERN_KEYS = {"ORTH", "TEXT", "NORM", "LOWER", "LEMMA", "POS", "TAG", "MORPH", "DEP", "ENT_TYPE",
                 "ENT_IOB", "ENT_ID", "ENT_KB_ID", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT",
                 "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP",
                 "IS_SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "SPACY", "SHAPE", "PREFIX",
                 "SUFFIX", "OP", "_"}
WORD_KEYS = {"ORTH", "TEXT", "LOWER", "LEMMA"}  # NORM maps "n't" to "not": no trigger
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
                if ukey not in PATTERN_KEYS:
                    raise where.error(f"{name!r}: pattern {i + 1}: unknown token attribute {key!r}"
                                      + did_you_mean(ukey, PATTERN_KEYS), tl)
                problem = check_token_value(ukey, val)
                if problem:
                    raise where.error(f"{name!r}: pattern {i + 1}, {key}: {problem}", tl)
    return [[{str(k).upper() if k != "_" else "_": v for k, v in tok.items()} for tok in pat]
            for pat in value]


_PREDICATES = {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS", "REGEX", "FUZZY", "==", "!=",
               ">=", "<=", ">", "<"}
_BOOL_KEYS = {k for k in PATTERN_KEYS if k.startswith(("IS_", "LIKE_")) or k == "SPACY"}


def check_token_value(key: str, val: Any) -> str | None:
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


_ATTR_GETTERS = {
    "ORTH": lambda t: t.text, "TEXT": lambda t: t.text, "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_, "NORM": lambda t: t.norm_, "SHAPE": lambda t: t.shape_,
    "PREFIX": lambda t: t.prefix_, "SUFFIX": lambda t: t.suffix_, "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_, "MORPH": lambda t: str(t.morph),
}


def time_limited_regexes(patterns: list, where: Where, line: int) -> list:
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


def lemmatised(nlp, phrases):
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
