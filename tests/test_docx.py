"""Word documents: paragraphs and tables, located as file.docx:PARAGRAPH:COLUMN."""
from __future__ import annotations

import json

import pytest

docx = pytest.importorskip("docx", reason="python-docx is a dependency; install the project")

from claimlint import sources  # noqa: E402
from claimlint.errors import InputError  # noqa: E402
from conftest import run_cli  # noqa: E402


@pytest.fixture
def word_file(tmp_path):
    d = docx.Document()
    d.add_heading("Spring newsletter", 1)
    d.add_paragraph("Our drops cure insomnia in a week.")
    d.add_paragraph("")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Opening hours"
    table.cell(0, 1).text = "This tonic is a cure-all."
    d.add_paragraph("Studies show it lifts your mood.", style="List Bullet")
    path = tmp_path / "newsletter.docx"
    d.save(str(path))
    return path


def test_paragraphs_and_cells_are_lines(word_file):
    doc = sources.load(str(word_file))
    assert doc.format == "docx"
    assert doc.text.split("\n") == ["Spring newsletter", "Our drops cure insomnia in a week.", "",
                                    "Opening hours", "This tonic is a cure-all.",
                                    "Studies show it lifts your mood."]
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "paragraph", "paragraph", "list-item"]


def test_findings_are_paragraph_and_column(word_file, tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    proc = run_cli("check", "newsletter.docx", "--format", "json", cwd=tmp_path)
    found = [(f["rule"], f["line"], f["column"], f["excerpt"]) for f in json.loads(proc.stdout)["findings"]]
    assert ("starter/cure-words", 2, 11, "cure") in found
    assert ("starter/cure-words", 5, 17, "cure-all") in found
    assert ("starter/studies-show", 6, 1, "Studies show") in found
    proc = run_cli("check", "newsletter.docx", "--format", "concise", cwd=tmp_path)
    assert "newsletter.docx:2:11: error [starter/cure-words]" in proc.stdout


def test_folders_include_word_files(word_file, tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    proc = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    assert {f["path"] for f in json.loads(proc.stdout)["findings"]} == {"newsletter.docx"}


def test_broken_word_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable Word document"):
        sources.load(str(bad))
    proc = run_cli("check", "broken.docx", cwd=tmp_path)
    assert proc.returncode == 2 and "broken.docx: not a readable Word document" in proc.stderr
