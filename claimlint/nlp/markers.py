"""Character-level patterns for citation markers and quantities.

They run over a block's prose before it meets the tokenizer's decisions, so "improved.[3]" or
"1-in-5" are recognised however spaCy splits them. No spaCy import here.
"""
from __future__ import annotations

import re

# --- citations --------------------------------------------------------------------------------
_NAME = r"[A-Z][\w\u2019'\-]+"
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
           r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|"
           r"Winter|Since|Updated|Established|Founded|Est|Copyright)")

CITATION_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("url", re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>()\[\]{}\"]+[^\s<>()\[\]{}\".,;:!?\u2019')]",
                       re.IGNORECASE)),
    ("doi", re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;:)\]]", re.IGNORECASE)),
    ("pmid", re.compile(r"\bPMID:?\s*\d{5,9}\b|\bPMCID:?\s*PMC\d{4,9}\b|\bPMC\d{4,9}\b")),
    ("bracket", re.compile(r"\[\^?\d{1,3}(?:\s*[,\u2013\u2014-]\s*\^?\d{1,3})*\]")),
    ("caret", re.compile(r"\^\[?\d{1,3}\]?(?!\d|\.\d)")),
    ("superscript", re.compile(r"(?<=\S)[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+(?:[,\u2013-][\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+)*")),
    ("author-year", re.compile(
        r"\((?:see\s+|e\.g\.,?\s+|cf\.\s+|source:\s*|sources:\s*)?"
        rf"(?!{_MONTHS}\b)"
        r"(?:" + _NAME + r"(?:\s+et\s+al\.?|\s+(?:and|&)\s+" + _NAME + r")?"
        r"|[A-Z][A-Za-z&.\u2019' -]{1,80}?)"
        r",?\s+" + _YEAR +
        r"(?:\s*[;,]\s*[^();]{1,80}?,?\s+" + _YEAR + r")*\)",
    )),
    ("author-year", re.compile(
        _NAME + r"(?:\s+et\s+al\.?|\s+(?:and|&)\s+" + _NAME + r")\s*\(" + _YEAR + r"\)"
    )),
    # Reference numbers in parentheses closing a sentence: "...in older men (2)." or
    # "...energy (1) (2) (3)." Not a numbered list item ("(1) Book a call"): the marker must
    # follow a word and be followed only by other markers and the end of the sentence.
    ("paren-ref", re.compile(
        r"(?:(?<=[\w%)\]\u201d\"'\u2019])|(?<=[\w%)\]\u201d\"'\u2019]\s))"
        r"\(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\)"
        r"(?=(?:\s*\(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\))*\s*(?:[.;!?]|$))"
    )),
]

CITING_LINK_SCHEMES = ("mailto:", "tel:", "javascript:", "sms:")

# --- numbers ----------------------------------------------------------------------------------
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100,
}
_NUMW = r"(?:" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + r")"
_NUMW_COMPOUND = _NUMW + r"(?:[\s-]" + _NUMW + r")?"
_DIGITS = r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = r"(?:" + _DIGITS + r"|" + _NUMW_COMPOUND + r")"
_VULGAR = "\u00bd\u2153\u2154\u00bc\u00be\u2155\u2156\u2157\u2158\u2159\u215a\u215b\u215c\u215d\u215e"
_FRACTION_WORD = r"(?:halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|eighths?|tenths?)"
_COMPARATIVE = (r"(?:more|less|fewer|as|faster|quicker|better|higher|greater|lower|stronger|longer|"
                r"likelier|likely|cheaper|safer|bigger|larger|smaller|the\s+(?:rate|speed|results?|"
                r"effect|relief|improvement|weight|fat))")

QUANTITY_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("percent", re.compile(
        r"(?<![\w.])(?:" + _NUM + r")(?:\s*(?:%|percent|per\s+cent|pct)?\s*(?:-|\u2013|\u2014|to)\s*(?:"
        + _DIGITS + r"))?\s*(?:%|\bpercent\b|\bper\s+cent\b|\bpct\b)", re.IGNORECASE)),
    ("fraction", re.compile(
        r"[" + _VULGAR + r"]"
        r"|(?<![\w/.])\d{1,2}/\d{1,2}(?:st|nd|rd|th)?(?![\w/])"
        r"|\b(?:one|two|three|four|five|one[\s-]and[\s-]a)[\s-]+" + _FRACTION_WORD + r"\b"
        r"|\b(?:a|an)\s+" + _FRACTION_WORD + r"\s+of\b"
        # "half of", but not a stretch of time ("the first half of the course")
        r"|(?<!first\s)(?<!second\s)(?<!last\s)(?<!other\s)(?<!latter\s)(?<!former\s)"
        r"\bhalf\s+(?:of|the|as|all)\b|\b(?:by|in)\s+half\b",
        re.IGNORECASE)),
    ("ratio", re.compile(
        r"\b" + _NUM + r"(?:\s+|-)(?:in|out(?:\s+|-)of|of\s+every)(?:\s+|-)" + _NUM + r"\b"
        r"|\b" + _NUM + r"\s+of\s+(?:" + _DIGITS + r"|" + _NUMW + r")(?=\s+[a-z])",
        re.IGNORECASE)),
    ("multiplier", re.compile(
        r"(?<![\w.])\d+(?:\.\d+)?\s*[x\u00d7](?![\w])(?!\s*\d)"
        r"|\b(?:" + _NUM + r")[\s-]?fold\b"
        r"|\b(?:twice|thrice|(?:" + _NUM + r")\s+times)(?=\s+" + _COMPARATIVE + r"\b)"
        r"|\b(?:double|triple|quadruple)[sd]?\s+(?:the\s+)?(?:results?|rate|odds|chance|effect|speed|weight\s+loss)\b",
        re.IGNORECASE)),
    ("amount", re.compile(
        r"\b(?:an\s+)?average\s+of\s+(?:" + _DIGITS + r")(?:\s*(?:%|[a-z]+))?"
        r"|(?<![\w.])(?:up\s+to\s+|an\s+average\s+of\s+|average\s+of\s+|over\s+)?(?:" + _DIGITS + r")"
        r"(?:\s*(?:-|\u2013|to)\s*(?:" + _DIGITS + r"))?\s*(?:pounds|lbs?|kg|kilos|kilograms|stone|inches|"
        r"dress\s+sizes|sizes|shades|points|years\s+younger)\b"
        # a survey score: "a satisfaction score of 96", "success rating of 4.8"
        r"|\b(?:satisfaction|recommendation|success|approval|net\s+promoter)\s+(?:score|rating|rate)\s+"
        r"(?:of\s+)?\d{1,3}(?:\.\d+)?\b(?!\s*(?:%|percent|per\s+cent))",
        re.IGNORECASE)),
    ("proportion", re.compile(
        r"\b(?:the\s+(?:vast\s+|overwhelming\s+|great\s+)?majority\s+of|a\s+majority\s+of|most|"
        r"(?:nearly|almost|virtually|practically)\s+(?:all|every(?:one|body)?)|"
        r"the\s+vast\s+majority)\b(?!\s+(?:common|commonly|important|often|likely|effective|"
        r"popular|recent|widely|frequently)\b)",
        re.IGNORECASE)),
]

_VALUE = re.compile(r"\d+(?:\.\d+)?")


def find_citations(text: str) -> list[tuple[int, int, str]]:
    out = []
    for kind, pat in CITATION_PATTERNS:
        for m in pat.finditer(text):
            out.append((m.start(), m.end(), kind))
    return out


def find_quantities(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every quantity, longest first where they overlap."""
    found = []
    for kind, pat in QUANTITY_PATTERNS:
        for m in pat.finditer(text):
            if m.end() <= m.start():
                continue
            if kind == "fraction":
                parts = _VALUE.findall(m.group(0))
                if len(parts) == 2 and float(parts[0]) >= float(parts[1]):
                    continue  # 24/7, 3/2: not a proportion
            found.append((m.start(), m.end(), kind))
    found.sort(key=lambda q: (q[0], -(q[1] - q[0])))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for q in found:
        if q[0] >= last_end:
            out.append(q)
            last_end = q[1]
    return out
