"""The language server's checking side, without a client: editor options, configuration
discovery and reload, broken packs, and the worker's debounce and cancellation."""
from __future__ import annotations

import os
import threading
import time

import pytest

from claimlint.lsp.engine import Engine, Engines, Options, Problem, Worker, parse_options
from helpers import HOUSE_PACK

CLAIM = "Our drops cure insomnia."


def test_options_from_the_editor():
    opts, problems = parse_options({"select": ["claims/*"], "ignore": "claims/superlative-claim",
                                    "debounce": 100, "maxDocumentSize": 2, "languages": ["rst"],
                                    "severity": {"claims/cure-claim": "warning"}})
    assert problems == []
    assert opts.select == ("claims/*",) and opts.ignore == ("claims/superlative-claim",)
    assert opts.debounce == 0.1 and opts.max_bytes == 2_000_000 and opts.languages == ("rst",)
    assert opts.severity == (("claims/cure-claim", "warning"),)
    # The section can come wrapped, as some clients send it, even beside other keys.
    assert parse_options({"claimlint": {"enable": False}})[0].enable is False
    opts, problems = parse_options({"debounce": 10, "claimlint": {"ignore": ["claims/*"]}})
    assert problems == [] and opts.debounce == 0.01 and opts.ignore == ("claims/*",)


def test_bad_options_are_reported_and_left_at_their_defaults():
    opts, problems = parse_options({"debounce": "soon", "select": [3], "colour": "red",
                                    "severity": {"x": "fatal"}, "maxDocumentSize": 0})
    assert opts == Options()
    assert len(problems) == 5
    assert any("claimlint.colour" in p for p in problems)
    assert parse_options([1, 2])[1] and parse_options(None) == (Options(), [])


def _engine(engines, folder, opts=Options()):
    settings = engines.settings_for(str(folder), str(folder), opts)
    return settings if isinstance(settings, Problem) else engines.engine(settings)


def _rules(engine, text=CLAIM, path="page.md"):
    return sorted({f.rule for f in engine.linter.check_text(text, path=path).findings})


def _touch_later(path, text):
    """Rewrite a file so that its modification time surely differs from before."""
    before = os.stat(path).st_mtime_ns if os.path.exists(path) else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10_000_000, before + 10_000_000))


def test_configuration_is_found_upwards_and_reloaded_when_it_changes(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("ignore: [claims/cure-claim]\n")
    sub = tmp_path / "posts" / "2024"
    sub.mkdir(parents=True)
    engines = Engines()
    e1 = _engine(engines, sub)
    assert isinstance(e1, Engine) and "claims/cure-claim" not in _rules(e1)
    assert e1.config_file == str(tmp_path / ".claimlint.yaml")
    # Unchanged files: the same warm engine, for this folder and its neighbours.
    assert _engine(engines, sub) is e1
    assert _engine(engines, tmp_path) is e1
    _touch_later(tmp_path / ".claimlint.yaml", "select: [claims/cure-claim]\n")
    e2 = _engine(engines, sub)
    assert e2 is not e1 and _rules(e2) == ["claims/cure-claim"]
    # A nearer configuration file, created later, wins.
    (sub / ".claimlint.yaml").write_text("ignore: [claims/*]\n")
    assert "claims/cure-claim" not in _rules(_engine(engines, sub))


def test_editor_options_apply_over_the_configuration(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("select: [claims/*]\n")
    engines = Engines()
    e = _engine(engines, tmp_path, Options(ignore=("claims/cure-claim",)))
    assert "claims/cure-claim" not in _rules(e)
    e = _engine(engines, tmp_path, Options(isolated=True, select=("evidence/*",)))
    assert _rules(e, "Our drops are clinically proven.") == ["evidence/proven-claim"]
    p = _engine(engines, tmp_path, Options(select=("claims/no-such-rule",)))
    assert isinstance(p, Problem) and "no-such-rule" in str(p)


PACK = HOUSE_PACK


def test_a_broken_or_deleted_pack_is_a_problem_until_it_is_fixed(tmp_path):
    pack = tmp_path / "packs" / "house.yaml"
    pack.parent.mkdir()
    pack.write_text(PACK)
    (tmp_path / ".claimlint.yaml").write_text("extend-packs: [./packs/house.yaml]\n")
    engines = Engines()
    e = _engine(engines, tmp_path)
    assert isinstance(e, Engine), e
    assert "house/miracle" in _rules(e, "Try our miracle drops today.")
    assert str(pack) in engines.pack_files()
    _touch_later(pack, PACK.replace("kind: phrase", "kind: telepathy"))
    p = _engine(engines, tmp_path)
    assert isinstance(p, Problem) and p.path == str(pack) and p.line, p
    assert "telepathy" in p.message
    pack.unlink()
    p = _engine(engines, tmp_path)
    assert isinstance(p, Problem) and "house.yaml" in str(p)
    assert str(pack) in engines.pack_files()  # still watched, to notice it come back
    _touch_later(pack, PACK)
    e = _engine(engines, tmp_path)
    assert isinstance(e, Engine) and "house/miracle" in _rules(e, "Try our miracle drops today.")


def test_a_broken_configuration_names_its_line(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("select: [claims/*]\nfail-on: sometimes\n")
    p = _engine(Engines(), tmp_path)
    assert isinstance(p, Problem)
    assert p.path == str(tmp_path / ".claimlint.yaml") and p.line == 2


def test_include_and_exclude_follow_the_configuration(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text('include: ["*.mdx"]\nexclude: [drafts/]\n')
    e = _engine(Engines(), tmp_path)
    assert e.included(str(tmp_path / "a.mdx")) and not e.included(str(tmp_path / "a.py"))
    assert e.excluded(str(tmp_path / "drafts" / "a.md"))
    assert e.excluded(str(tmp_path / "node_modules" / "x" / "a.md"))
    assert not e.excluded(str(tmp_path / "posts" / "a.md"))


def test_rule_docs_for_hover(tmp_path):
    e = _engine(Engines(), tmp_path, Options(isolated=True))
    doc = e.rule_doc("claims/cure-claim")
    assert "Why it matters" in doc.text and doc.url.startswith("https://")
    assert e.rule_doc("claimlint/unused-suppression") is None


# -- the worker ------------------------------------------------------------------------------

class Recorder:
    def __init__(self):
        self.ran: list = []
        self.delivered: list = []
        self.done = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def handler(self, job):
        self.gate.wait(30)
        self.ran.append((job.key, job.payload))
        if job.payload == "boom":
            raise ValueError("boom")
        return job.payload.upper()

    def deliver(self, job, result):
        self.delivered.append((job.key, job.seq, result))
        self.done.set()

    def wait_for(self, n, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.delivered) < n and time.monotonic() < deadline:
            self.done.wait(0.05)
            self.done.clear()
        return self.delivered


def test_worker_debounces_and_keeps_only_the_newest_waiting_job():
    rec = Recorder()
    w = Worker(rec.handler, rec.deliver)
    try:
        for i in range(5):
            last = w.submit("doc", f"v{i}", delay=0.3)
        w.submit("other", "x", delay=0.0)
        rec.wait_for(2)
        time.sleep(0.2)
        assert rec.ran == [("other", "x"), ("doc", "v4")]
        assert [d[2] for d in rec.delivered] == ["X", "V4"]
        assert rec.delivered[1][1] == last.seq
    finally:
        w.stop(5)


def test_worker_waits_out_the_debounce():
    rec = Recorder()
    w = Worker(rec.handler, rec.deliver)
    try:
        start = time.monotonic()
        w.submit("doc", "a", delay=0.4)
        rec.wait_for(1)
        assert time.monotonic() - start >= 0.4
    finally:
        w.stop(5)


def test_a_running_job_is_not_lost_and_its_newer_version_follows():
    rec = Recorder()
    rec.gate.clear()
    w = Worker(rec.handler, rec.deliver)
    try:
        first = w.submit("doc", "old")
        deadline = time.monotonic() + 10
        while w.running is None and time.monotonic() < deadline:
            time.sleep(0.01)
        newer = w.submit("doc", "new")   # arrives while "old" runs
        w.submit("gone", "closed", delay=0.2)
        w.cancel("gone")
        rec.gate.set()
        rec.wait_for(2)
        time.sleep(0.3)
        # Both ran, in order; the caller tells the stale one by its sequence number.
        assert [(k, s) for k, s, _ in rec.delivered] == [("doc", first.seq), ("doc", newer.seq)]
        assert ("gone", "closed") not in rec.ran
    finally:
        w.stop(5)


def test_a_failing_job_is_delivered_as_its_exception_and_the_worker_goes_on():
    rec = Recorder()
    w = Worker(rec.handler, rec.deliver)
    try:
        w.submit("a", "boom")
        w.submit("b", "fine", delay=0.05)
        rec.wait_for(2)
        assert isinstance(rec.delivered[0][2], ValueError) and rec.delivered[1][2] == "FINE"
    finally:
        w.stop(5)
