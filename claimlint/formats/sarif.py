"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. Results are written as files arrive; the rules they reference (``tool.driver.rules``,
indexed by ``ruleIndex`` in order of first use) and the invocation, with a notification for each
file that could not be checked, follow the results -- JSON does not order an object's keys, so
the report streams and still holds only rule ids in memory.

* Columns are 1-based code points with ``endColumn`` exclusive, as in every claimlint format; the
  run says so with ``"columnKind": "unicodeCodePoints"`` (SARIF's default is UTF-16 units).
* Relative paths become relative URIs against ``%SRCROOT%`` (the folder claimlint ran in);
  absolute paths become ``file:`` URIs.
* ``partialFingerprints["claimlintFingerprint/v1"]`` is the finding's fingerprint, which survives
  lines being added or removed elsewhere in the file.
"""
from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

from ..findings import FileError, FileResult, Finding, Summary
from . import Formatter
from ..explain import REPO_URI, rule_url
from .common import (PROBLEM_SEVERITY, SARIF_LEVEL, json_dumps, markdown_text, rule_examples,
                      template_text)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "claimlintFingerprint/v1"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def _quote(path: str) -> str:
    """Percent-encode a path for a URI (as UTF-8; undecodable file-name bytes as they were)."""
    try:
        return quote(path, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", errors="surrogatepass")


def artifact_location(path: str) -> dict:
    """A path as SARIF ``artifactLocation``: relative paths stay relative (forward slashes,
    percent-encoded) under ``%SRCROOT%``; absolute ones become ``file:`` URIs."""
    windows = os.name == "nt"
    p = path.replace("\\", "/") if windows else path
    if windows and p.startswith("//"):  # UNC: //server/share/...
        return {"uri": "file:" + _quote(p)}
    if windows and re.match(r"[A-Za-z]:/", p):
        return {"uri": "file:///" + p[:2] + _quote(p[2:])}
    if p.startswith("/"):
        return {"uri": "file://" + _quote(p)}
    return {"uri": _quote(p), "uriBaseId": SRCROOT}


def region(f: Finding) -> dict:
    start_line = max(1, f.line)
    start_col = max(1, f.column)
    end_line = max(start_line, f.end_line or start_line)
    end_col = max(1, f.end_column or start_col)
    if end_line == start_line and end_col < start_col:
        end_col = start_col
    out: dict[str, Any] = {"startLine": start_line, "startColumn": start_col,
                           "endLine": end_line, "endColumn": end_col}
    if f.excerpt:
        out["snippet"] = {"text": f.excerpt}
    return out


def rule_descriptor(rule_id: str, meta: Any) -> dict:
    """``reportingDescriptor`` for a rule, from its ``RuleMeta`` (or just the id if unknown)."""
    desc: dict[str, Any] = {"id": rule_id}
    if meta is None:
        desc["helpUri"] = rule_url(None, rule_id)
        return desc
    short = template_text(meta.message) or rule_id
    rationale = " ".join((meta.rationale or "").split())
    suggestion = template_text(meta.suggestion)
    references = [" ".join(str(r).split()) for r in (meta.references or [])]
    bad, good = rule_examples(meta, "bad"), rule_examples(meta, "good")

    text = [rationale or short]
    md = [markdown_text(rationale or short)]
    if suggestion:
        text.append(f"How to fix: {' '.join(suggestion.split())}")
        md.append(f"**How to fix:** {markdown_text(suggestion)}")
    for title, items in (("References", references), ("Examples that are reported", bad),
                         ("Examples that are fine", good)):
        if items:
            text.append(f"{title}:\n" + "\n".join(f"- {i}" for i in items))
            md.append(f"**{title}**\n\n" + "\n".join(f"- {markdown_text(i)}" for i in items))

    category = meta.category or ""
    tags = ["compliance"] + ([category] if category and category != "compliance" else [])
    desc.update({
        "name": meta.name or rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": rationale or short},
        "help": {"text": "\n\n".join(text), "markdown": "\n\n".join(md)},
        "helpUri": rule_url(meta, rule_id),
        "defaultConfiguration": {"level": SARIF_LEVEL.get(meta.severity, "warning")},
        "properties": {
            "category": category,
            "kind": meta.kind,
            "pack": meta.pack,
            "tags": tags,
            "problem.severity": PROBLEM_SEVERITY.get(meta.severity, "warning"),
        },
    })
    return desc


def notification(d: FileError) -> dict:
    loc: dict[str, Any] = {"artifactLocation": artifact_location(d.path)}
    if d.line and d.line >= 1:
        loc["region"] = {"startLine": d.line}
        if d.column and d.column >= 1:
            loc["region"]["startColumn"] = d.column
    text = str(d) if d.message else f"{d.path}: could not be checked"
    return {"level": "error", "message": {"text": text}, "locations": [{"physicalLocation": loc}]}


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))


class SarifFormatter(Formatter):
    name = "sarif"

    def begin(self) -> None:
        self._rule_index: dict[str, int] = {}
        self._first = True
        self._errors: list[FileError] = []
        self.out.write(
            "{\n"
            f'  "$schema": "{SCHEMA_URI}",\n'
            '  "version": "2.1.0",\n'
            '  "runs": [\n'
            "    {\n"
            '      "columnKind": "unicodeCodePoints",\n'
            '      "results": [')

    def _index(self, rule_id: str) -> int:
        if rule_id not in self._rule_index:
            self._rule_index[rule_id] = len(self._rule_index)
        return self._rule_index[rule_id]

    def result(self, f: Finding) -> dict:
        res: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": self._index(f.rule),
            "level": SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message or f.rule},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.path),
                                                "region": region(f)}}],
        }
        if f.fingerprint:
            res["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
        res["properties"] = {"category": f.category, "scope": f.scope}
        return res

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self.out.write(("\n" if self._first else ",\n")
                           + _indent(json_dumps(self.result(f), indent=2), 8))
            self._first = False
        self._errors.extend(result.errors)

    def end(self, summary: Summary) -> None:
        diags = self._errors
        rules = self.options.rules or {}
        driver: dict[str, Any] = {"name": "claimlint", "informationUri": REPO_URI}
        version = self.options.tool_version
        if not version:
            from .. import __version__ as version
        driver["version"] = version
        if _SEMVER.fullmatch(version):
            driver["semanticVersion"] = version
        driver["rules"] = [rule_descriptor(rid, rules.get(rid)) for rid in self._rule_index]
        invocation: dict[str, Any] = {"executionSuccessful": not diags}
        if diags:
            invocation["toolExecutionNotifications"] = [notification(d) for d in diags]
        self.out.write("\n      ],\n" if not self._first else "],\n")
        self.out.write('      "tool": ' + _indent(json_dumps({"driver": driver}, indent=2), 6)
                       .lstrip() + ",\n")
        self.out.write('      "invocations": '
                       + _indent(json_dumps([invocation], indent=2), 6).lstrip() + "\n")
        self.out.write("    }\n  ]\n}\n")
