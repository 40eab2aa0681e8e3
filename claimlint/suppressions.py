"""Inline suppressions, written where the copy is.

Markdown and HTML use comments; plain text uses a line of its own (optionally after ``#`` or
``//``)::

    <!-- claimlint-disable claims/cure-claim, evidence -- quoting the 1890s advert on purpose -->
    ...
    <!-- claimlint-enable -->
    <!-- claimlint-disable-next-line claims/safety-claim -- the safety data is linked below -->
    <!-- claimlint-disable-file -->
    # claimlint-disable-next-line evidence/efficacy-statistic

Rule selectors are rule ids, pack names, globs (``claims/*``) or ``category:NAME``; no selector means
every rule. Text after `` -- `` is the reason. A suppression that suppresses nothing is reported as
``claimlint/unused-suppression`` (like ruff's unused ``noqa``); a selector that names no known rule
is reported as ``claimlint/unknown-suppression``. Both are warnings that can be ignored like any
rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import selectors
from .document import Document
from .findings import Finding

UNUSED = "claimlint/unused-suppression"
UNKNOWN = "claimlint/unknown-suppression"
META_RULES = (UNUSED, UNKNOWN)

DIRECTIVE = re.compile(
    r"^\s*claimlint-(disable-file|disable-next-line|disable|enable)\b"
    r"(?P<rest>.*?)\s*$",
    re.DOTALL,
)


@dataclass
class Directive:
    kind: str  # disable-file | disable-next-line | disable | enable
    selectors: list[str]
    reason: str
    start: int  # original offsets of the comment
    end: int
    used: bool = False
    region: tuple[int, int] = (0, 0)
    ends_here: list = field(default_factory=list)


def parse_directives(doc: Document) -> list[Directive]:
    out = []
    for start, end, body in doc.comments:
        m = DIRECTIVE.match(body)
        if not m:
            continue
        rest = m.group("rest")
        reason = ""
        if "--" in rest:
            rest, reason = rest.split("--", 1)
        sels = [s for s in re.split(r"[\s,]+", rest.strip()) if s]
        out.append(Directive(m.group(1), sels, reason.strip(), start, end))
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
    _regions(doc, directives)
    kept = []
    for f in findings:
        suppressed = False
        for d in directives:
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
        if d.kind == "enable":
            continue
        unknown = [s for s in d.selectors
                   if not any(_matches([s], r, c) for r, c in known_rules.items())]
        if unknown:
            meta.append(_meta(doc, d, UNKNOWN,
                              f"Suppression names {', '.join(repr(s) for s in unknown)}, which matches "
                              "no known rule, pack or category"))
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
        suggestion="Remove the comment, or correct the rule id it names." if rule == UNKNOWN
        else "Remove the comment.",
        start=d.start, end=d.end, scope="span", context=" ".join(excerpt.split()),
        context_start=0, context_end=len(" ".join(excerpt.split())),
        fix=_removal(doc, d) if rule == UNUSED and doc.format in ("text", "markdown", "html") else None,
    )
