"""The language server's checks in process (no client): what is checked and how, size limits,
configuration problems, internal errors, the hover text -- and that the rest of the command line
does not pay for the server."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from claimlint.lsp.engine import Job, Options  # noqa: E402
from claimlint.lsp.server import ClaimlintServer, Request, _format_for, explain_markdown  # noqa: E402

CLAIM = "Our drops cure insomnia.\n"


def run(server, text=CLAIM, path=None, language="markdown", options=Options(), workspace=None,
        encoding="utf-16"):
    uri = "untitled:1" if path is None else f"file://{path}"
    req = Request(uri, 1, text, language, str(path) if path else None,
                  str(workspace) if workspace else None, options, encoding)
    return server._run_job(Job(uri, 1, req))


@pytest.fixture(scope="module")
def server():
    return ClaimlintServer()


def codes(out):
    return [str(d.code) for d in out.diagnostics]


def test_formats_from_language_id_then_extension():
    assert _format_for(None, "markdown") == "markdown"
    assert _format_for("/a/b.txt", "plaintext") == "text"
    assert _format_for("/a/b.htm", "unknown") == "html"
    assert _format_for("/a/b.mdx", "") == "markdown"
    assert _format_for("/a/b.py", "python") is None


def test_prose_is_checked_code_is_not(server, tmp_path):
    out = run(server, path=tmp_path / "a.md", workspace=tmp_path)
    assert "claims/cure-claim" in codes(out) and out.fmt == "markdown"
    out = run(server, path=tmp_path / "a.py", language="python", workspace=tmp_path)
    assert out.diagnostics == [] and out.fmt is None
    # An untitled buffer is checked by its language id.
    assert "claims/cure-claim" in codes(run(server, language="plaintext"))
    # A language the user added, and a file the configuration includes.
    opts = Options(languages=("restructuredtext",))
    out = run(server, path=tmp_path / "a.rst", language="restructuredtext", options=opts,
              workspace=tmp_path)
    assert out.fmt == "text" and "claims/cure-claim" in codes(out)
    (tmp_path / ".claimlint.yaml").write_text('include: ["*.copy"]\n')
    out = run(server, path=tmp_path / "a.copy", language="unknown", workspace=tmp_path)
    assert out.fmt == "text" and "claims/cure-claim" in codes(out)


def test_excluded_files_and_disabled_server_report_nothing(server, tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("exclude: [archive/]\n")
    (tmp_path / "archive").mkdir()
    assert run(server, path=tmp_path / "archive" / "old.md", workspace=tmp_path).diagnostics == []
    assert run(server, path=tmp_path / "a.md", options=Options(enable=False)).diagnostics == []


def test_too_large_is_one_clear_diagnostic(server, tmp_path):
    text = CLAIM * 30_000  # 0.75 MB
    out = run(server, text, path=tmp_path / "big.md", workspace=tmp_path)
    (d,) = out.diagnostics
    assert d.code == "claimlint/too-large" and "0.8 MB" in d.message and "0.5 MB" in d.message
    assert "claimlint.maxDocumentSize" in d.message
    (tmp_path / ".claimlint.yaml").write_text("max-file-size: 0.0001\n")
    out = run(server, CLAIM * 20, path=tmp_path / "b.md", workspace=tmp_path)
    assert "max-file-size in the configuration" in out.diagnostics[0].message


def test_a_configuration_problem_is_reported_on_prose_only(server, tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("select: [claims/*\n")  # not YAML
    out = run(server, path=tmp_path / "a.md", workspace=tmp_path)
    (d,) = out.diagnostics
    assert d.code == "claimlint/configuration" and ".claimlint.yaml" in d.message
    assert out.problem is not None and out.problem.path == str(tmp_path / ".claimlint.yaml")
    out = run(server, path=tmp_path / "a.py", language="python", workspace=tmp_path)
    assert out.diagnostics == [] and out.problem is None


def test_an_internal_error_is_a_diagnostic_not_a_crash(server, tmp_path, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("something in the engine broke")

    monkeypatch.setattr(server.engines, "settings_for", broken)
    (d,) = run(server, path=tmp_path / "a.md").diagnostics
    assert "internal error" in d.message and "something in the engine broke" in d.message
    assert d.severity == types.DiagnosticSeverity.Error


def test_emoji_before_a_claim_in_each_encoding(server):
    text = "🌙🌙 Our drops cure insomnia.\n"
    for enc, start in (("utf-16", 15), ("utf-8", 19), ("utf-32", 13)):
        out = run(server, text, language="markdown", encoding=enc)
        (d,) = [d for d in out.diagnostics if d.code == "claims/cure-claim"]
        assert (d.range.start.character, d.range.end.character) == (start, start + 4), enc


def test_explain_markdown_keeps_structure_and_escapes_prose():
    text = ("claims/x  (cure-claim, error, kind: phrase)\n\nWhat it finds\n'…' cures *all*\n\n"
            "Regulation and guidance\n  - 16 CFR 255 <section>\n\nExamples that are reported\n"
            "  ✗ First line.\n\nSecond paragraph of the same example.\n\nExamples that are fine\n"
            "  ✓ Fine copy.\n\nDefined in rules/x.yaml:3")
    md = explain_markdown(text)
    assert md.splitlines()[0] == "`claims/x` (cure-claim, error, kind: phrase)"
    assert "**What it finds**" in md and "cures \\*all\\*" in md
    assert "- 16 CFR 255 \\<section\\>" in md
    assert "- ✗ First line.\n\n  Second paragraph of the same example." in md
    assert "- ✓ Fine copy." in md and "*Defined in* `rules/x.yaml:3`" in md


def test_the_command_line_does_not_import_the_server():
    code = ("import sys, claimlint.cli; "
            "print(sorted(m for m in ('pygls', 'lsprotocol', 'cattrs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    help_ = subprocess.run([sys.executable, "-m", "claimlint", "server", "--help"],
                           capture_output=True, text=True)
    assert help_.returncode == 0 and "language server" in help_.stdout
