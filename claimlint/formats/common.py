"""Helpers the machine-readable formats share: escaping and rule descriptions.

Everything a document or a rule pack supplies (paths, messages, excerpts, rationales, examples)
is untrusted text: each format escapes it for its own syntax with the functions here.
"""
from __future__ import annotations

import json
import re
import string
from typing import Any


# Our severities as SARIF levels and as GitHub code scanning's "problem.severity".
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}

ELLIPSIS = "\u2026"

# -- rule metadata ---------------------------------------------------------------------------


def template_text(template: str | None) -> str:
    """A message template with every placeholder (``{match}``, ``{quantity:>3}``...) shown as "…"."""
    if not template:
        return ""
    try:
        parts = []
        for literal, field, _, _ in string.Formatter().parse(template):
            parts.append(literal)
            if field is not None:
                parts.append(ELLIPSIS)
        return "".join(parts)
    except ValueError:  # an unbalanced brace: show the template as written
        return template


def rule_examples(meta: Any, key: str) -> list[str]:
    examples = getattr(meta, "examples", None) or {}
    out = []
    for e in examples.get(key) or []:
        text = " ".join(str(e).split())
        if text:
            out.append(text)
    return out


# -- text escaping ---------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON allows these raw in strings, but line-splitters (str.splitlines, JavaScript before ES2019)
# and HTML pages that embed the JSON do not.
_JSON_UNSAFE = re.compile("[<>&\u0085\u2028\u2029\ud800-\udfff]")


def json_dumps(obj: Any, indent: int | None = None) -> str:
    """JSON with non-ASCII text kept readable, but ``< > &``, NEL, U+2028/2029 and lone
    surrogates written as ``\\uXXXX`` escapes: safe to embed in HTML, safe to split on lines,
    and always encodable as UTF-8. The parsed values are unchanged."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent,
                      separators=(",", ": ") if indent is not None else (", ", ": "))
    # These characters can only occur inside JSON strings, so escaping them everywhere is exact.
    return _JSON_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group()), text)


# XML 1.0 allows #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: Any) -> str:
    """``text`` with the characters XML 1.0 forbids removed (ElementTree escapes the rest)."""
    if text is None:
        return ""
    return _XML_ILLEGAL.sub("", str(text))


# Characters that would break a one-line human format or drive a terminal: C0 and C1 controls,
# DEL, line and paragraph separators, and the bidirectional overrides ("Trojan Source").
_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                        "\ud800-\udfff]")


def one_line(text: Any) -> str:
    """``text`` on one line, with control characters shown as escapes instead of sent to the
    terminal (an ANSI sequence in a document must not recolour or rewrite the report)."""
    if text is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(text)).replace("\t", " ")
    return _INVISIBLE.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                          else "\\u%04x" % ord(m.group()), text)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!])")
_HTML_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))(?=\s|$)")


def markdown_text(text: Any) -> str:
    """Plain text (one paragraph) escaped so Markdown shows it literally: no emphasis, links,
    headings, lists or raw HTML come out of a rule pack's text. ``< > &`` become character
    references, which no Markdown renderer turns back into markup."""
    if text is None:
        return ""
    text = " ".join(str(text).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub("[&<>]", lambda m: _HTML_ENTITY[m.group()], text)
    # Nothing may start a list: "- x" -> "\- x", "1. x" -> "1\. x".
    return _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2)
                                                      else m.group(3) + "\\" + m.group(4)), text)


# -- workflow commands -----------------------------------------------------------------------


def workflow_data(text: Any) -> str:
    """Escape the message of a GitHub Actions workflow command (``%``, CR, LF). Lone surrogates
    (undecodable file names) become U+FFFD so the line can always be written."""
    text = _SURROGATE.sub("\ufffd", "" if text is None else str(text))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: Any) -> str:
    """Escape a property value of a workflow command (also ``:`` and ``,``)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
