"""Word documents: paragraphs and tables, located as file.docx:PARAGRAPH:COLUMN."""
from __future__ import annotations

import json

import pytest

docx = pytest.importorskip("docx", reason="python-docx is a dependency; install the project")

from claimlint import sources  # noqa: E402
from claimlint.errors import InputError  # noqa: E402
from claimlint.linter import Linter  # noqa: E402
from claimlint.settings import Settings  # noqa: E402
from helpers import docx_with_document_xml, run_cli  # noqa: E402


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


# ------------------------------------------------------------------------------------------------
# Word markup python-docx's own reading gets wrong: merged cells, content controls, tracked changes
# ------------------------------------------------------------------------------------------------

def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(*inline: str) -> str:
    return f"<w:p>{''.join(inline)}</w:p>"


def _tc(*blocks: str, props: str = "") -> str:
    tc_pr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{tc_pr}{''.join(blocks) or '<w:p/>'}</w:tc>"


def _tr(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def _tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{''.join(rows)}</w:tbl>"


def _sdt(*content: str) -> str:
    return (f'<w:sdt><w:sdtPr><w:alias w:val="Box"/><w:id w:val="7"/></w:sdtPr>'
            f"<w:sdtContent>{''.join(content)}</w:sdtContent></w:sdt>")


def _ins(*runs: str, tag: str = "ins") -> str:
    return f'<w:{tag} w:id="1" w:author="Editor" w:date="2024-05-01T00:00:00Z">{"".join(runs)}</w:{tag}>'


def _deleted(text: str, tag: str = "del") -> str:
    return (f'<w:{tag} w:id="2" w:author="Editor" w:date="2024-05-01T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:{tag}>')


def _word(tmp_path, *body_xml: str, name: str = "edited.docx"):
    """A .docx (python-docx's template) whose body holds ``body_xml`` before its section settings."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    sect_pr = d.element.body.find(qn("w:sectPr"))
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{''.join(body_xml)}</w:body>")
    for child in list(wrapper):
        sect_pr.addprevious(child)
    path = tmp_path / name
    d.save(str(path))
    return path


def _lines(path) -> list[str]:
    return sources.load(str(path)).text.split("\n")


@pytest.mark.parametrize("props,lines", [
    ("<w:vMerge/>", ["Our tea cures colds."]),
    ('<w:vMerge w:val="continue"/>', ["Our tea cures colds."]),
    ('<w:vMerge w:val="sideways"/>', ["left", "Our tea cures colds."]),
    ('<w:gridSpan w:val="abc"/>', ["left", "Our tea cures colds."]),
    ('<w:gridSpan w:val="0"/>', ["left", "Our tea cures colds."]),
    ('<w:gridSpan w:val="-3"/>', ["left", "Our tea cures colds."]),
    ('<w:gridSpan w:val="99999999999999999999"/>', ["left", "Our tea cures colds."]),
    ('<w:gridSpan w:val="abc"/><w:vMerge/>', ["Our tea cures colds."]),
], ids=["vmerge-first-row", "vmerge-continue-first-row", "vmerge-unknown", "gridspan-text",
        "gridspan-zero", "gridspan-negative", "gridspan-huge", "both"])
def test_odd_cell_properties_are_read_not_raised(tmp_path, props, lines):
    # python-docx's row.cells raised ValueError on these (outside read_docx's error handling).
    path = _word(tmp_path, _tbl(_tr(_tc(_p(_run("left")), props=props),
                                    _tc(_p(_run("Our tea cures colds."))))), _p(_run("After.")))
    assert _lines(path) == lines + ["After."]


def test_vertically_merged_cell_is_read_once(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    top = table.cell(0, 0)
    top.text = "This balm soothes burns."
    top.merge(table.cell(2, 0))                     # down three rows
    table.cell(0, 1).merge(table.cell(1, 2))        # two rows by two columns
    table.cell(0, 1).text = "Block of four."
    table.cell(2, 1).text = "b"
    table.cell(2, 2).text = "c"
    d.add_paragraph("Below the table.")
    d.save(str(tmp_path / "merged.docx"))
    assert _lines(tmp_path / "merged.docx") == ["This balm soothes burns.", "Block of four.", "b", "c",
                                                "Below the table."]


def test_vertical_merge_written_as_xml_is_read_once(tmp_path):
    path = _word(tmp_path, _tbl(
        _tr(_tc(_p(_run("Merged down.")), props='<w:vMerge w:val="restart"/>'), _tc(_p(_run("one")))),
        _tr(_tc(props='<w:vMerge w:val="continue"/>'), _tc(_p(_run("two")))),
        _tr(_tc(props="<w:vMerge/>"), _tc(_p(_run("three")))),
        _tr(_tc(_p(_run("Not merged."))), _tc(_p(_run("four"))))))
    assert _lines(path) == ["Merged down.", "one", "two", "three", "Not merged.", "four"]


def test_content_controls_are_read_in_order(tmp_path):
    path = _word(
        tmp_path,
        _sdt(_p(_run("A paragraph in a control."))),
        _tbl(_sdt(_tr(_tc(_p(_run("A row in a control."))), _tc(_p(_run("Its neighbour."))))),
             _tr(_sdt(_tc(_p(_run("A cell in a control.")))),
                 _tc(_sdt(_p(_run("A paragraph in a control in a cell.")))))),
        _sdt(_tbl(_tr(_tc(_p(_run("A table in a control."))))),
             _sdt(_p(_run("Controls in controls.")))),
        _p(_run("Plain "), _sdt(_run("inline")), _run(" text.")),
        '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr></w:sdt>',  # no content: nothing to read
    )
    assert _lines(path) == ["A paragraph in a control.", "A row in a control.", "Its neighbour.",
                            "A cell in a control.", "A paragraph in a control in a cell.",
                            "A table in a control.", "Controls in controls.", "Plain inline text."]


def test_tracked_changes_read_as_displayed(tmp_path):
    path = _word(
        tmp_path,
        _p(_run("Our syrup "), _ins(_run("calms ")), _deleted("fixes "), _run("coughs.")),
        _p(_deleted("A whole deleted sentence."), _run("Kept.")),
        _p(_ins(_run("Inserted whole."))),
        _p(_deleted("Moved away. ", tag="moveFrom"), _ins(_run("Moved here."), tag="moveTo")),
        _p('<w:hyperlink w:anchor="top">', _run("Link "), _ins(_run("text")), "</w:hyperlink>", _run(".")),
        _tbl(_tr(_tc(_p(_ins(_run("In a cell."))), _p(_deleted("Gone."))))),
    )
    assert _lines(path) == ["Our syrup calms coughs.", "Kept.", "Inserted whole.", "Moved here.",
                            "Link text.", "In a cell.", ""]


def test_merged_cells_controls_and_insertions_are_located(tmp_path):
    _word(
        tmp_path,
        _p(_run("Price list")),
        _tbl(_tr(_tc(_p(_run("This balm is a cure-all.")), props='<w:vMerge w:val="restart"/>'),
                 _tc(_p(_run("Small")))),
             _tr(_tc(props="<w:vMerge/>"), _tc(_p(_run("Large")))),
             _sdt(_tr(_tc(_p(_run("Studies show it helps you rest."))),
                      _tc(props='<w:gridSpan w:val="abc"/>')))),
        _p(_run("Our lozenges "), _ins(_run("cure ")), _deleted("are a miracle cure for "),
           _run("sore throats.")),
        name="prices.docx",
    )
    (tmp_path / ".claimlint.yaml").write_text("packs: [starter]\n")
    proc = run_cli("check", "prices.docx", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    found = sorted((f["rule"], f["line"], f["column"], f["excerpt"])
                   for f in json.loads(proc.stdout)["findings"])
    assert found == [("starter/cure-words", 2, 16, "cure-all"),
                     ("starter/cure-words", 7, 14, "cure"),
                     ("starter/studies-show", 5, 1, "Studies show")]


def test_style_without_a_value_is_a_plain_paragraph(tmp_path):
    # python-docx raises InvalidXmlError (neither KeyError nor ValueError) for <w:pStyle/>.
    path = _word(tmp_path, '<w:p><w:pPr><w:pStyle/></w:pPr><w:r><w:t>No style id.</w:t></w:r></w:p>',
                 '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>A heading</w:t></w:r></w:p>')
    doc = sources.load(str(path))
    assert doc.text == "No style id.\nA heading"
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading"]


# -- regressions found by the property tests (tests/test_properties.py) ------------------------

@pytest.mark.parametrize("tcpr", ["<w:vMerge/>", "<w:gridSpan w:val=\"abc\"/>"],
                         ids=["vmerge-first-row", "gridspan-not-a-number"])
def test_docx_table_cell_properties_raise_value_error(tcpr):
    body = f"<w:tbl><w:tr><w:tc><w:tcPr>{tcpr}</w:tcPr><w:p/></w:tc></w:tr></w:tbl>"
    try:
        sources.load("a.docx", data=docx_with_document_xml(body))
    except InputError:
        pass


def test_docx_vertically_merged_cell_read_twice():
    body = ("<w:tbl>"
            "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>"
            "<w:p><w:r><w:t>Our drops cure insomnia.</w:t></w:r></w:p></w:tc>"
            "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"
            "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
            "<w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr>"
            "</w:tbl>")
    doc = sources.load("a.docx", data=docx_with_document_xml(body))
    assert doc.text.count("cure") == 1, doc.text
    cures = [f for f in Linter(Settings()).check_document(doc).findings if f.rule == "claims/cure-claim"]
    assert len(cures) == 1


@pytest.mark.parametrize("table", [
    "<w:tbl><w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>It cures cancer.</w:t></w:r></w:p>"
    "</w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>",
    "<w:tbl><w:tr><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>It cures cancer.</w:t></w:r></w:p>"
    "</w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>",
], ids=["row-in-sdt", "cell-in-sdt"])
def test_docx_content_controls_in_tables_are_skipped(table):
    doc = sources.load("a.docx", data=docx_with_document_xml(table))
    assert "It cures cancer." in doc.text
# ------------------------------------------------------------------------------------------------
# Zip bombs and very long documents
# ------------------------------------------------------------------------------------------------

def _template_parts() -> list[tuple[str, bytes]]:
    import io
    import zipfile

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return [(i.filename, src.read(i)) for i in src.infolist()]


def _bomb(path, body_unit: bytes, repeat: int, compression=None):
    """A .docx whose document.xml holds ``body_unit`` ``repeat`` times, written as a stream so
    that the test never holds the unpacked part in memory."""
    import zipfile

    compression = zipfile.ZIP_DEFLATED if compression is None else compression
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in _template_parts():
            if name != "word/document.xml":
                z.writestr(name, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with z.open(name, "w", force_zip64=True) as out:
                out.write(head + b"<w:body>")
                chunk = body_unit * max(1, 1_000_000 // len(body_unit))
                left = repeat
                while left > 0:
                    n = min(left, 1_000_000 // len(body_unit) or 1)
                    out.write(chunk if n * len(body_unit) == len(chunk) else body_unit * n)
                    left -= n
                out.write(tail)
    return path


RUN = b"<w:p><w:r><w:t>Our drops cure insomnia.</w:t></w:r></w:p>"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import resource
    import time

    path = _bomb(tmp_path / "bomb.docx", RUN, 160_000_000 // len(RUN))
    assert path.stat().st_size < 2_000_000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    with pytest.raises(InputError, match=r"unpacks to 16\d MB, over the 100 MB limit \(a zip bomb\?\)"):
        sources.load(str(path))
    assert time.process_time() - t0 < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 100_000  # KB
    proc = run_cli("check", "bomb.docx", "--no-cache", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "bomb.docx: not checked: the Word document unpacks to" in proc.stderr


def test_the_text_and_markup_have_their_own_limit(tmp_path):
    path = _bomb(tmp_path / "long.docx", RUN, 30_000_000 // len(RUN))
    with pytest.raises(InputError, match="text and markup unpack to 3\\d MB, over the 25 MB limit"):
        sources.load(str(path))
    # Limits grow with max-file-size.
    from claimlint.sources.docx import check_package

    check_package(path.read_bytes(), "long.docx", max_bytes=40_000_000)


def test_too_many_parts_or_another_compression_is_refused(tmp_path):
    import zipfile

    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        for name, data in _template_parts():
            z.writestr(name, data)
        for i in range(6000):
            z.writestr(f"extra/part{i}.xml", b"")
    with pytest.raises(InputError, match="holds 6,0.. parts"):
        sources.load(str(many))
    bz = _bomb(tmp_path / "bz.docx", RUN, 10, compression=zipfile.ZIP_BZIP2)
    with pytest.raises(InputError, match="compression method 12"):
        sources.load(str(bz))


def test_many_paragraphs_are_read_quickly(tmp_path):
    import time

    styled = b'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Head</w:t></w:r></w:p>'
    path = _bomb(tmp_path / "long.docx", RUN * 9 + styled, 3_000)  # 30,000 paragraphs
    t0 = time.process_time()  # CPU time: other work on the machine does not count
    doc = sources.load(str(path))
    assert time.process_time() - t0 < 10  # 45 s before: python-docx resolved each paragraph's style
    kinds = [b.kind for b in doc.blocks]
    assert len(kinds) == 30_000 and kinds[:10] == ["paragraph"] * 9 + ["heading"]
    assert kinds.count("heading") == 3_000
