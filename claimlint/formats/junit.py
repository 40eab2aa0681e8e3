"""``--format junit``: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure
Pipelines, CircleCI, the JUnit report actions on GitHub).

    <testsuites name="claimlint" tests="3" failures="2" errors="0" time="1.204">
      <testsuite name="docs/post.md" tests="2" failures="2" errors="0" skipped="0" time="0.81" ...>
        <testcase classname="docs/post.md" name="claims/cure-claim at 12:1" file="docs/post.md"
                  line="12" time="0">
          <failure message="'cure' promises a cure" type="error">...</failure>
        </testcase>
      ...

One ``<testsuite>`` per checked file; one failing ``<testcase>`` per finding (whatever its
severity, which is the failure's ``type``); one passing ``<testcase>`` for a file with nothing to
report; one ``<testcase>`` with an ``<error>`` for each problem that stopped a file (or a rule)
from being checked. A suite's ``time`` is how long claimlint spent between it and the previous
file. The root's totals are only known at the end, so the small element tree is written then;
Documents are never held.

ElementTree escapes markup; characters XML 1.0 cannot carry at all (most control characters,
lone surrogates) are removed first.
"""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from ..findings import FileError, FileResult, Finding, Summary
from . import Formatter
from .common import xml_text

CLEAN_CASE = "no problems found"
ERROR_TYPE = "claimlint.error"


def _seconds(s: float) -> str:
    return f"{max(s, 0.0):.3f}"


def failure_text(f: Finding) -> str:
    lines = [f.message, f"at {f.path}:{f.line}:{f.column}"]
    if f.excerpt:
        lines.append(f"excerpt: {f.excerpt}")
    if f.suggestion:
        lines.append(f"help: {f.suggestion}")
    lines.append(f"rule: {f.rule} ({f.category}, {f.severity})")
    return "\n".join(lines)


def _case(parent: ET.Element, path: str, name: str, line: int | None = None) -> ET.Element:
    attrs = {"classname": xml_text(path), "name": xml_text(name), "file": xml_text(path)}
    if line:
        attrs["line"] = str(line)
    attrs["time"] = "0"
    return ET.SubElement(parent, "testcase", attrs)


class JunitFormatter(Formatter):
    name = "junit"

    def begin(self) -> None:
        self._root = ET.Element("testsuites", {"name": "claimlint"})
        self._suites: dict[str, ET.Element] = {}
        self._timestamp = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(
            timespec="seconds")
        self._start = self._last = time.perf_counter()

    def _suite(self, path: str) -> ET.Element:
        suite = self._suites.get(path)
        if suite is None:
            suite = ET.SubElement(self._root, "testsuite", {
                "name": xml_text(path), "tests": "0", "failures": "0", "errors": "0",
                "skipped": "0", "time": "0.000", "timestamp": self._timestamp})
            self._suites[path] = suite
        return suite

    @staticmethod
    def _bump(suite: ET.Element, key: str) -> None:
        suite.set(key, str(int(suite.get(key, "0")) + 1))

    def _add_error(self, d: FileError) -> None:
        suite = self._suite(d.path)
        where = f" at {d.line}:{d.column or 1}" if d.line else ""
        case = _case(suite, d.path, f"could not be checked{where}", d.line)
        error = ET.SubElement(case, "error", {"message": xml_text(d.message), "type": ERROR_TYPE})
        error.text = xml_text(str(d))
        self._bump(suite, "tests")
        self._bump(suite, "errors")

    def file(self, result: FileResult) -> None:
        now = time.perf_counter()
        suite = self._suite(result.path)
        suite.set("time", _seconds(now - self._last + float(suite.get("time", "0"))))
        self._last = now
        for f in result.findings:
            case = _case(suite, f.path, f"{f.rule} at {f.line}:{f.column}", f.line)
            failure = ET.SubElement(case, "failure", {"message": xml_text(f.message),
                                                      "type": xml_text(f.severity)})
            failure.text = xml_text(failure_text(f))
            self._bump(suite, "tests")
            self._bump(suite, "failures")
        for e in result.errors:
            self._add_error(e)
        if not result.findings and not result.errors:
            _case(suite, result.path, CLEAN_CASE)
            self._bump(suite, "tests")

    def end(self, summary: Summary) -> None:
        root = self._root
        for key in ("tests", "failures", "errors"):
            root.set(key, str(sum(int(s.get(key, "0")) for s in self._suites.values())))
        root.set("time", _seconds(time.perf_counter() - self._start))
        ET.indent(root, space="  ")
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(root, encoding="unicode"))
        self.out.write("\n")
