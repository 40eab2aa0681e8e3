"""claimlint on Spark: the worker engine (needs pyarrow only), and end to end on a local[2]
session, where the findings must equal those of ``claimlint check --format json``."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT, run_cli
from spark_corpus import HOUSE_PACK, generate

# --------------------------------------------------------------------------------------------
# Without Spark
# --------------------------------------------------------------------------------------------


def test_importing_claimlint_does_not_import_pyspark():
    code = ("import sys, claimlint, claimlint.linter, claimlint.spark, claimlint.spark.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'pyarrow', "
            "'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_every_package_is_in_the_wheel():
    """``claimlint.spark`` is a package of its own; the wheel lists its packages by name."""
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "claimlint").rglob("__init__.py")}
    assert found <= listed, found - listed
    spark_extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["spark"]
    assert any(d.startswith("pyspark") for d in spark_extra)


def test_the_command_without_pyspark_says_what_to_install(tmp_path):
    # A Python where pyspark cannot be imported: a module of that name that fails.
    (tmp_path / "pyspark.py").write_text("raise ImportError('no pyspark here')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "claimlint.spark", "in.parquet", "out"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "claimlint: error: pyspark is not installed; install the Spark extra: "
        "pip install 'claimlint-health[spark]'"]


def test_the_command_file_runs_as_a_script():
    """spark-submit runs claimlint/spark/__main__.py as a file, not as a module of a package."""
    proc = subprocess.run([sys.executable, str(ROOT / "claimlint" / "spark" / "__main__.py"),
                           "--help"], capture_output=True, text=True, cwd=ROOT.parent)
    assert proc.returncode == 0, proc.stderr
    assert "--text-column" in proc.stdout and "--id-column" in proc.stdout


pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install "
                         "'claimlint-health[spark]')")

from claimlint import Linter, Settings  # noqa: E402
from claimlint.spark import engine  # noqa: E402


def _batch(texts, ids=None, formats=None, paths=None, binary=False):
    ids = ids or [f"d{i}" for i in range(len(texts))]
    cols = {"id": pa.array(ids, pa.string()),
            "text": pa.array(texts, pa.binary() if binary else pa.string())}
    if formats is not None:
        cols["fmt"] = pa.array(formats, pa.string())
    if paths is not None:
        cols["path_"] = pa.array(paths, pa.string())
    return pa.RecordBatch.from_pydict(cols)


def _rows(job, *batches):
    out = []
    for b in engine.check_batches(job, iter(batches)):
        out.extend(b.to_pylist())
    return out


def _job(settings=None, **kw):
    kw.setdefault("text_column", "text")
    kw.setdefault("id_column", "id")
    return engine.make_job(settings or Settings(), **kw)


def test_findings_are_the_linters_and_errors_are_rows():
    texts = ["Our drops cure insomnia. Clinically proven!", None, "<p>4 in 5 feel better.</p>",
             "fine", "x" * 1200, "Nothing to see."]
    fmts = ["markdown", None, "html", "weird", "text", None]
    paths = ["a.md", "b.md", None, "d.txt", "e.txt", "f.md"]
    job = _job(Settings(max_file_size=0.001), format_column="fmt", path_column="path_")
    rows = _rows(job, _batch(texts, formats=fmts, paths=paths))
    linter = Linter(Settings(max_file_size=0.001))
    expect = [dict(r.to_dict(), id="d0") for r in
              linter.check_text(texts[0], path="a.md", format="markdown").findings]
    expect += [dict(r.to_dict(), id="d2") for r in
               linter.check_text(texts[2], path="d2", format="html").findings]
    got = [{k: v for k, v in r.items() if v is not None} for r in rows if r["error"] is None]
    for e in expect:
        if "fix" in e:
            e["fix"] = dict(e["fix"])
    assert got == [{k: v for k, v in e.items() if v is not None} for e in expect]
    assert {r["scope"] for r in rows if r["error"] is None} == {"span", "document"}
    errors = [(r["id"], r["path"], r["error"]) for r in rows if r["error"] is not None]
    assert errors == [
        ("d1", "b.md", "no text: the text column is null"),
        ("d3", "d.txt", "unknown format 'weird': use markdown, html or text"),
        ("d4", "e.txt", "file is 0.0 MB, over the 0 MB limit (raise max-file-size in the "
                        "configuration to check it)"),
    ]
    for r in rows:
        if r["error"] is not None:
            assert all(r[k] is None for k in engine.FINDING_FIELDS if k not in ("path", "line",
                                                                                  "column"))


def test_bytes_are_decoded_as_the_command_line_decodes_files(tmp_path):
    text = "Our café drops cure insomnia.\nNo side effects at all.\n"
    datas = [text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
             b"\xff\xfe" + text.encode("utf-16-le"), text.encode("latin-1"), b"\x00bin"]
    names = ["u8.md", "bom.md", "u16.md", "latin.md", "nul.md"]
    for name, data in zip(names, datas):
        (tmp_path / name).write_bytes(data)
    rows = _rows(_job(path_column="path_"), _batch(datas, paths=names, binary=True))
    linter = Linter(Settings(root=str(tmp_path)))
    for i, name in enumerate(names):
        result = linter.check_file(str(tmp_path / name))
        mine = [r for r in rows if r["id"] == f"d{i}"]
        assert [r["rule"] for r in mine if r["error"] is None] == [f.rule for f in result.findings]
        assert [(r["line"], r["column"]) for r in mine if r["error"] is None] == \
            [(f.line, f.column) for f in result.findings]
        assert [(r["error"], r["line"], r["column"]) for r in mine if r["error"]] == \
            [(e.message, e.line, e.column) for e in result.errors]
    assert any("not valid UTF-8 (byte 0xE9 at line 1, column 8)" in (r["error"] or "")
               for r in rows)


def test_word_documents_come_as_bytes(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Our drops cure insomnia in a week.")
    path = tmp_path / "news.docx"
    d.save(str(path))
    data = path.read_bytes()
    rows = _rows(_job(path_column="path_"),
                 _batch([data, data, b"PK\x03\x04 broken"], paths=["news.docx", "news.md",
                                                                   "bad.docx"],
                        formats=None, binary=True))
    linter = Linter(Settings())
    expect = [f.rule for f in linter.check_file(str(path)).findings]
    assert expect and [r["rule"] for r in rows if r["id"] == "d0"] == expect
    assert [r["error"] for r in rows if r["id"] == "d1"] == [
        "binary file (contains NUL bytes); not checked"]  # a zip, read as a Markdown file
    assert [r["error"] for r in rows if r["id"] == "d2"] == [
        "not a readable Word document (BadZipFile: File is not a zip file)"]
    rows = _rows(_job(format_column="fmt"), _batch(["text"], formats=["docx"]))
    assert rows[0]["error"].startswith("a Word document must be given as bytes")


def test_one_engine_per_process_however_many_batches(monkeypatch):
    import claimlint.linter

    built = []

    class Counting(claimlint.linter.Linter):
        def __init__(self, *a, **kw):
            built.append(1)
            super().__init__(*a, **kw)

    monkeypatch.setattr(claimlint.linter, "Linter", Counting)
    monkeypatch.setattr(engine, "_engines", {})
    monkeypatch.setattr(engine, "CHUNK_DOCUMENTS", 3)
    job = _job(Settings(ignore=["claims/superlative-claim"]))
    batches = [_batch(["Our drops cure insomnia."] * 7) for _ in range(4)]
    rows = _rows(job, *batches)
    assert len(rows) >= 28 and built == [1]
    # The same settings in a new job (other columns): the same engine.
    _rows(_job(Settings(ignore=["claims/superlative-claim"]), format_column="fmt"),
          _batch(["x"], formats=["text"]))
    assert built == [1]
    _rows(_job(Settings(ignore=["claims/*"])), _batch(["x"]))
    assert built == [1, 1]


def test_custom_packs_travel_as_bytes(tmp_path, monkeypatch):
    pack = tmp_path / "house.yaml"
    pack.write_text(HOUSE_PACK)
    settings = Settings.load(isolated=True, extend_packs=[str(pack)])
    job = _job(settings)
    assert job.packs == ((str(pack), HOUSE_PACK.encode()),)
    pack.unlink()  # an executor has no such file: the job carries it
    monkeypatch.setattr(engine, "_engines", {})
    monkeypatch.setattr(engine, "_pack_dirs", {})
    rows = _rows(job, _batch(["Our tonic boosts immunity in a week."]))
    assert "house/immunity" in [r["rule"] for r in rows]
    local = engine.worker_settings(job).extend_packs[0]
    assert local != str(pack) and os.path.basename(local) == "house.yaml"
    with open(local, encoding="utf-8") as fh:
        assert fh.read() == HOUSE_PACK
    with pytest.raises(Exception, match="cannot read rule pack"):
        _job(settings)


def test_overrides_match_relative_paths_as_written(tmp_path, monkeypatch):
    (tmp_path / ".claimlint.yaml").write_text(
        "overrides:\n  - files: ['legal/**']\n    ignore: ['claims/*']\n")
    settings = Settings.load(start=str(tmp_path))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # an executor's working folder is not the configuration's
    monkeypatch.setattr(engine, "_engines", {})
    text = "Our drops cure insomnia."
    rows = _rows(_job(settings, path_column="path_"),
                 _batch([text] * 3, paths=["legal/terms.md", "blog/post.md",
                                           str(tmp_path / "legal" / "abs.md")]))
    rules = {r["id"]: {x["rule"] for x in rows if x["id"] == r["id"]} for r in rows}
    assert "claims/cure-claim" not in rules["d0"]
    assert "claims/cure-claim" in rules["d1"]
    assert "claims/cure-claim" not in rules["d2"]


def test_a_failing_reader_is_an_error_row(monkeypatch):
    monkeypatch.setattr(engine, "_engines", {})
    job = _job()
    linter = engine.engine(job)

    def broken(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(linter, "check_text", broken)
    rows = _rows(job, _batch(["a", "b"]))
    assert [r["error"] for r in rows] == [
        "internal error while checking the document (RuntimeError: boom); it was not checked -- "
        "please report it"] * 2


# --------------------------------------------------------------------------------------------
# On a local Spark session
# --------------------------------------------------------------------------------------------

N_DOCS = 300


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install "
                        "'claimlint-health[spark]')")
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime (Spark needs Java 17)")
    from pyspark.sql import SparkSession

    old = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("claimlint-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               # Small Arrow batches: every worker sees many, and must keep one engine.
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "32")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if old is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = old


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The generated documents, their files, a configuration naming a custom pack, and what
    ``claimlint check --format json`` reports on them."""
    base = tmp_path_factory.mktemp("spark-corpus")
    docs = generate(N_DOCS)
    folder = base / "docs"
    folder.mkdir()
    for d in docs:
        (folder / d.path).write_bytes(d.data)
    (base / "house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    config = base / "claimlint.yaml"
    config.write_text("max-file-size: 1\nextend-packs: [house.yaml]\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", "--config", str(config), "--no-cache", ".",
                   cwd=folder, timeout=300)
    assert proc.returncode == 2, proc.stderr  # findings, and documents that cannot be checked
    report = json.loads(proc.stdout)
    return {"docs": docs, "folder": folder, "config": config, "pack": base / "house.yaml",
            "cli": report}


def _as_contract(row: dict) -> str:
    """A findings row as the JSON object ``--format json`` prints for it (key order included)."""
    d = {k: row[k] for k in engine.FINDING_FIELDS}
    if not d["fingerprint"]:
        del d["fingerprint"]
    if d["fix"] is None:
        del d["fix"]
    else:
        d["fix"] = dict(d["fix"])
    return json.dumps(d, ensure_ascii=False, indent=2)


def _cli_findings(report: dict, paths=None) -> list[str]:
    return sorted(json.dumps(f, ensure_ascii=False, indent=2) for f in report["findings"]
                  if paths is None or f["path"] in paths)


@pytest.mark.slow
def test_findings_equal_the_command_lines(spark, corpus):
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    from claimlint.spark import check_dataframe

    docs, report = corpus["docs"], corpus["cli"]
    settings = Settings.load(str(corpus["config"]))
    schema = StructType([StructField("id", StringType()), StructField("data", BinaryType()),
                         StructField("text", StringType()), StructField("kind", StringType()),
                         StructField("file", StringType())])
    df = spark.createDataFrame([(d.id, d.data, d.text, d.format, d.path) for d in docs], schema)
    # As bytes: every document, the broken ones too; formats from the format column, Word
    # documents from their path.
    as_bytes = check_dataframe(df, id_column="id", text_column="data", format_column="kind",
                               path_column="file", settings=settings, partitions=4)
    # As strings: a third of the documents whose bytes decode, and the one over the size limit.
    some = df.where("text is not null and (cast(substring(id, 4) as int) % 3 = 0 "
                    "or length(text) > 1000000)")
    as_text = check_dataframe(some, id_column="id", text_column="text",
                              format_column="kind", path_column="file", settings=settings)
    # The custom pack exists on the driver only while the job is defined: the executors must
    # use the copy the job carries.
    moved = corpus["pack"].with_suffix(".moved")
    corpus["pack"].rename(moved)
    try:
        rows = [r.asDict(recursive=True) for r in as_bytes.collect()]
        text_rows = [r.asDict(recursive=True) for r in as_text.collect()]
    finally:
        moved.rename(corpus["pack"])

    findings = [r for r in rows if r["error"] is None]
    assert sorted(_as_contract(r) for r in findings) == _cli_findings(report)
    assert len(findings) == len(report["findings"]) > N_DOCS
    assert all(r["path"] == f"{r['id']}.{r['path'].rsplit('.', 1)[1]}" for r in rows)
    # Both kinds of findings, the custom pack's among them.
    assert {r["scope"] for r in findings} == {"span", "document"}
    assert any(r["rule"] == "house/immunity" for r in findings)
    assert any(r["fix"] for r in findings)

    errors = sorted((r["path"], r["line"], r["column"], r["error"]) for r in rows
                    if r["error"] is not None)
    assert errors == sorted((e["path"], e["line"], e["column"], e["message"])
                            for e in report["diagnostics"])
    broken = {d.path for d in docs if d.expect_error}
    assert {e[0] for e in errors} == broken and len(broken) == 6

    decodable = {d.path for d in docs if d.text is not None
                 and (int(d.id[3:]) % 3 == 0 or d.expect_error == "size")}
    assert len(decodable) > N_DOCS // 4
    assert sorted(_as_contract(r) for r in text_rows if r["error"] is None) == \
        _cli_findings(report, decodable)
    assert [(r["path"], r["error"]) for r in text_rows if r["error"] is not None] == \
        [(d.path, e["message"]) for d in docs if d.expect_error == "size"
         for e in report["diagnostics"] if e["path"] == d.path]


@pytest.mark.slow
def test_one_warm_engine_per_python_worker(spark, corpus):
    """After the documents went through in batches of 32, each Python worker that checked some
    built one engine for the job: not one per batch or per row."""
    from claimlint.spark import check_dataframe

    docs = corpus["docs"]
    df = spark.createDataFrame([(d.id, d.text) for d in docs if d.text is not None],
                               "id string, text string").repartition(2)
    n_docs = df.count()
    assert check_dataframe(df, settings=Settings(ignore=["claims/superlative-claim"])).count() > 0

    def probe(batches):
        import os as _os

        import pyarrow as _pa

        from claimlint.spark import engine as _engine

        for _ in batches:
            pass
        yield _pa.RecordBatch.from_pydict({"pid": [_os.getpid()],
                                           "engines": [_engine.stats["engines"]],
                                           "documents": [_engine.stats["documents"]]})

    stats = spark.range(8).repartition(8).mapInArrow(
        probe, "pid long, engines long, documents long").collect()
    per_pid = {r["pid"]: r for r in stats}
    busy = [r for r in per_pid.values() if r["documents"]]
    assert busy, stats
    checked = sum(r["documents"] for r in busy)
    # This job's engine plus the engines of the other tests' settings at most.
    # At most one engine per settings the tests used (three), however many batches of 32
    # documents each worker took.
    assert all(r["engines"] <= 3 for r in busy), stats
    assert max(r["documents"] for r in busy) > 3 * 32 and checked >= n_docs, stats


@pytest.mark.slow
def test_the_command_reads_parquet_and_writes_findings(spark, corpus, tmp_path, monkeypatch):
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from claimlint.spark.cli import main

    docs = [d for d in corpus["docs"] if d.text is not None][:120]
    src = tmp_path / "pages.parquet"
    pq.write_table(pa.table({"url": [f"https://example.test/{d.path}" for d in docs],
                             "body": [d.text for d in docs],
                             "kind": [d.format for d in docs]}), src)
    out = tmp_path / "findings"
    monkeypatch.chdir(tmp_path)
    args = [str(src), str(out), "--text-column", "body", "--id-column", "url", "--format-column",
            "kind", "--isolated", "--extend-pack", str(corpus["pack"]), "--summary-json",
            "summary.json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out).to_pylist()
    linter = Linter(Settings.load(isolated=True, extend_packs=[str(corpus["pack"])]))
    expect = sorted((f"https://example.test/{d.path}", f.rule, f.line, f.column)
                    for d in docs
                    for f in linter.check_text(d.text, path=f"https://example.test/{d.path}",
                                               format=d.format).findings)
    assert sorted((r["url"], r["rule"], r["line"], r["column"]) for r in table) == expect
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["documents"] == len(docs) and summary["findings"] == len(expect)
    assert summary["by_category"]["house-style"] == sum(1 for r in table
                                                        if r["category"] == "house-style")
    lines = {line.split()[0]: line.split()[1] for line in result.output.splitlines() if line}
    assert lines["documents"] == f"{len(docs):,}" and lines["findings"] == f"{len(expect):,}"
    # OUTPUT exists now: a usage error in one line, exit code 2.
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "already exists" in again.output
    bad = CliRunner().invoke(main, [str(src), str(tmp_path / "x"), "--text-column", "nope",
                                    "--id-column", "url", "--isolated"])
    assert bad.exit_code == 2
    assert "the text column 'nope' is not in the input (its columns: url, body, kind)" in \
        bad.output
    assert spark.sparkContext._jsc is not None  # the command left the tests' session running


@pytest.mark.slow
def test_the_command_reads_json_lines_and_csv(spark, tmp_path):
    import csv

    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from claimlint.spark.cli import main

    docs = [("p1", "Our drops cure insomnia.\n\nNo side effects, \"ever\", at all.", "md"),
            ("p2", "<p>4 in 5 patients, in our clinic, feel better.</p>", "html")]
    with open(tmp_path / "pages.jsonl", "w", encoding="utf-8") as fh:
        for i, text, fmt in docs:
            fh.write(json.dumps({"id": i, "body": text, "fmt": fmt}) + "\n")
    with open(tmp_path / "pages.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "body", "fmt"])
        w.writerows(docs)
    linter = Linter(Settings())
    expect = sorted((i, f.rule, f.line, f.column, f.excerpt) for i, text, fmt in docs
                    for f in linter.check_text(text, path=i, format=fmt).findings)
    assert {e[0] for e in expect} == {"p1", "p2"}
    # Absolute paths: Spark resolves relative ones against the JVM's working folder.
    for name in ("pages.jsonl", "pages.csv"):
        out = tmp_path / f"out-{name}"
        result = CliRunner().invoke(main, [str(tmp_path / name), str(out), "--text-column",
                                           "body", "--format-column", "fmt", "--isolated"])
        assert result.exit_code == 0, result.output
        rows = pq.read_table(out).to_pylist()
        assert sorted((r["id"], r["rule"], r["line"], r["column"], r["excerpt"])
                      for r in rows) == expect, name
