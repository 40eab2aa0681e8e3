"""Inline suppressions, written where the copy is.

Markdown and HTML use comments; plain text uses a line of its own (optionally after ``#`` or
``//``)::

    <!-- claimlint-disable claims/cure-claim, evidence -- quoting the 1890s advert on purpose -->
    ...
    <!-- claimlint-enable -->
    <!-- claimlint-disable-next-line claims/safety-claim -- the safety data is linked below -->
    Our drops cure insomnia. <!-- claimlint-disable-line claims/cure-claim -->
    <!-- claimlint-disable-file -->
    # claimlint-disable-next-line evidence/efficacy-statistic

The directives: ``disable-line`` (the line the comment is on; not in plain text, where a directive
is a line of its own), ``disable-next-line`` (the next line of text), ``disable`` ... ``enable`` (a
range; an ``enable`` with selectors ends only the ranges naming one of them) and ``disable-file``.

Rule selectors are rule ids, pack names, globs (``claims/*``) or ``category:NAME``; no selector means
every rule. Text after `` -- `` is the reason. A suppression that suppresses nothing is reported as
``claimlint/unused-suppression`` (like ruff's unused ``noqa``). A directive claimlint cannot read
whole -- an unknown form (``claimlint-disable-lines``), or a selector that names no known rule
(with a "did you mean" for a misspelt one) -- is reported as ``claimlint/unknown-suppression`` and
suppresses nothing at all: a directive is never applied half-read. Both are warnings that can be
ignored like any rule.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from . import selectors
from .document import Document
from .findings import Finding

UNUSED = "claimlint/unused-suppression"
UNKNOWN = "claimlint/unknown-suppression"
META_RULES = (UNUSED, UNKNOWN)

KINDS = ("disable-file", "disable-next-line", "disable-line", "disable", "enable")
# Any comment that starts with "claimlint-" is meant for claimlint: the whole word after it is the
# directive's form (so that "disable-line" is never read as "disable" of a rule "-line").
DIRECTIVE = re.compile(r"^\s*claimlint-(?P<kind>[A-Za-z][\w-]*)(?P<rest>.*?)\s*$", re.DOTALL)


@dataclass
class Directive:
    kind: str  # one of KINDS, or "invalid"
    selectors: list[str]
    reason: str
    start: int  # original offsets of the comment
    end: int
    used: bool = False
    region: tuple[int, int] = (0, 0)
    ends_here: list = field(default_factory=list)
    error: str | None = None  # why it is not applied (an unknown form or selector)
    written: str = ""  # the form as written, for messages


def _closest(word: str, options) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def parse_directives(doc: Document) -> list[Directive]:
    out = []
    for start, end, body in doc.comments:
        m = DIRECTIVE.match(body)
        if not m:
            continue
        written = m.group("kind")
        kind = written.lower()
        rest = m.group("rest")
        reason = ""
        if "--" in rest:
            rest, reason = rest.split("--", 1)
        sels = [s for s in re.split(r"[\s,]+", rest.strip()) if s]
        d = Directive(kind, sels, reason.strip(), start, end, written=written)
        if kind not in KINDS:
            guess = _closest(kind, KINDS)
            hint = f" (did you mean 'claimlint-{guess}'?)" if guess else ""
            d.kind = "invalid"
            d.error = (f"Unknown directive 'claimlint-{written}'{hint}; it suppresses nothing "
                       f"(the forms are claimlint-{', claimlint-'.join(KINDS)})")
        elif rest and not rest[:1].isspace() and not rest.startswith(","):
            d.kind = "invalid"
            d.error = (f"Cannot read the directive 'claimlint-{written}{rest.rstrip()}' (a space must "
                       f"follow 'claimlint-{written}'); it suppresses nothing")
        elif kind == "disable-line" and doc.format == "text":
            d.kind = "invalid"
            d.error = ("claimlint-disable-line suppresses findings on its own line, but in plain text "
                       "a directive is a line of its own: use claimlint-disable-next-line; it "
                       "suppresses nothing")
        out.append(d)
    return out


def _matches(sels: list[str], rule: str, category: str) -> bool:
    """Does a directive with selectors ``sels`` (none: every rule) cover this rule?"""
    return not sels or selectors.any_matches(sels, rule, category)


def _regions(doc: Document, directives: list[Directive]) -> None:
    """Work out the text range each disabling directive covers."""
    n = len(doc.text)
    open_: list[Directive] = []
    lines = doc.lines
    for d in directives:
        if d.kind == "disable-file":
            d.region = (0, n)
        elif d.kind == "disable-next-line":
            line, _ = doc.position(d.end)
            start = _next_content_line(doc, line + 1)
            if start is None:
                d.region = (n, n)
            else:
                ln, _ = doc.position(start)
                end = lines.line_start(ln + 1) if ln < lines.line_count() else n
                d.region = (start, end)
        elif d.kind == "disable-line":
            first, _ = doc.position(d.start)
            last, _ = doc.position(d.end)
            end = lines.line_start(last + 1) if last < lines.line_count() else n
            d.region = (lines.line_start(first), end)
        elif d.kind == "disable":
            d.region = (d.end, n)
            open_.append(d)
        elif d.kind == "enable":
            for o in list(open_):
                if not d.selectors or set(d.selectors) & set(o.selectors) or not o.selectors:
                    o.region = (o.region[0], d.start)
                    open_.remove(o)


def _next_content_line(doc: Document, line: int) -> int | None:
    """Offset of the first non-blank line at or after ``line`` that is not itself a directive."""
    lines = doc.lines
    while line <= lines.line_count():
        text = doc.line_text(line)
        if text.strip() and "claimlint-" not in text:
            start = lines.line_start(line)
            return start + (len(text) - len(text.lstrip()))
        line += 1
    return None


def apply(doc: Document, findings: list[Finding], known_rules: dict[str, str],
          enabled: set[str]) -> list[Finding]:
    """Drop suppressed findings; add findings for unused and unknown suppressions.

    ``known_rules`` maps every loaded rule id to its category; ``enabled`` holds the ids that ran.
    """
    directives = parse_directives(doc)
    if not directives:
        return findings
    known_ids = list(known_rules)
    names = known_ids + sorted({r.split("/", 1)[0] for r in known_ids}) + \
        sorted({f"category:{c}" for c in known_rules.values()})
    for d in directives:
        if d.error is not None:
            continue
        unknown = [s for s in d.selectors
                   if not any(_matches([s], r, c) for r, c in known_rules.items())]
        if unknown:
            shown = []
            for sel in unknown:
                guess = _closest(sel, names)
                shown.append(f"{sel!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
            d.error = (f"Suppression names {', '.join(shown)}, which matches no known rule, pack or "
                       "category; the comment suppresses nothing")
    active = [d for d in directives if d.error is None]
    _regions(doc, active)
    kept = []
    for f in findings:
        suppressed = False
        for d in active:
            if d.kind == "enable":
                continue
            a, b = d.region
            if a <= f.start < b or (a == b == f.start):
                if _matches(d.selectors, f.rule, f.category):
                    d.used = True
                    suppressed = True
        if not suppressed:
            kept.append(f)
    meta: list[Finding] = []
    for d in directives:
        if d.error is not None:
            meta.append(_meta(doc, d, UNKNOWN, d.error))
            continue
        if d.kind == "enable":
            continue
        relevant = any(_matches(d.selectors, r, known_rules[r]) for r in enabled)
        if not d.used and relevant:
            what = ", ".join(d.selectors) if d.selectors else "every rule"
            meta.append(_meta(doc, d, UNUSED,
                              f"Unused suppression ({what}): nothing here is reported; remove it"))
    return sorted(kept + meta, key=Finding.sort_key)


def _removal(doc: Document, d: Directive):
    """Delete the directive; when it is alone on its line, the whole line goes."""
    from .fixes import Edit

    text = doc.text
    line_start = text.rfind("\n", 0, d.start) + 1
    line_end = text.find("\n", d.end)
    line_end = len(text) if line_end < 0 else line_end + 1
    before, after = text[line_start:d.start], text[d.end:line_end]
    if not before.strip() and not after.strip():
        return Edit(line_start, line_end, "", True)
    return Edit(d.start, d.end, "", True)


def _meta(doc: Document, d: Directive, rule: str, message: str) -> Finding:
    line, col = doc.position(d.start)
    end_line, end_col = doc.position(d.end)
    excerpt = doc.text[d.start:d.end]
    return Finding(
        path=doc.path, rule=rule, category="suppression", severity="warning", message=message,
        line=line, column=col, end_line=end_line, end_column=end_col, excerpt=excerpt,
        suggestion=("Correct the directive (claimlint-disable-line, -disable-next-line, -disable, "
                    "-enable, -disable-file) or remove it." if d.kind == "invalid" else
                    "Remove the comment, or correct the rule id it names.") if rule == UNKNOWN
        else "Remove the comment.",
        start=d.start, end=d.end, scope="span", context=" ".join(excerpt.split()),
        context_start=0, context_end=len(" ".join(excerpt.split())),
        fix=_removal(doc, d) if rule == UNUSED and doc.format in ("text", "markdown", "html") else None,
    )
