"""``python -m claimlint.spark INPUT OUTPUT``: check a table of documents on Spark, write the
findings as Parquet and print a summary.

It runs as it is on one machine (Spark's default master, ``local[*]``, or ``--master``) and under
``spark-submit`` on a cluster, where the master and resources come from spark-submit. Exit codes:
0 the findings were written; 2 a usage, configuration, rule-pack or input problem (nothing was
checked, or nothing written). Documents that could not be checked do not change the exit code:
they are rows with an ``error`` and are counted in the summary.
"""
from __future__ import annotations

import json
import os
import sys
import time

import click

from ..cli.options import config_options, fail, load_settings, rule_options
from ..errors import ClaimlintError

READERS = {".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json",
           ".ndjson": "json", ".csv": "csv"}


def input_format(path: str, given: str | None) -> str:
    """The reader for INPUT: ``--input-format``, else its extension, else Parquet (a folder of
    part files, as Spark writes them)."""
    if given:
        return given
    base = path.rstrip("/").rsplit("/", 1)[-1].lower()
    for ext, fmt in READERS.items():
        if base.endswith(ext):
            return fmt
    return "parquet"


def read_input(spark, path: str, fmt: str):
    reader = spark.read
    if fmt == "csv":
        # Texts hold commas, quotes and line breaks: quoted fields may span lines.
        reader = reader.option("header", True).option("multiLine", True).option("escape", '"')
    elif fmt == "json":
        reader = reader.option("multiLine", False)
    return reader.format(fmt).load(path)


def _under_spark_submit() -> bool:
    # spark-submit starts the JVM first and tells the Python driver where its gateway is.
    return "PYSPARK_GATEWAY_PORT" in os.environ


def get_session(master: str | None, app_name: str = "claimlint"):
    """The active session (under spark-submit, or a notebook) or a new one."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    if not _under_spark_submit():
        if (master or "local").startswith("local"):
            # Launched from this Python, the local workers must run this Python too: the one
            # claimlint is installed in (not the first python3 on the PATH).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    session = builder.getOrCreate()
    return session, True


def _cores(spark) -> int | None:
    """The cores Spark schedules tasks on (None where the session cannot say, as over Spark
    Connect)."""
    try:
        return int(spark.sparkContext.defaultParallelism)
    except Exception:
        return None


def _partitions(df) -> int | None:
    try:
        return df.rdd.getNumPartitions()
    except Exception:
        return None


def _fmt(n: int) -> str:
    return f"{n:,}"


def print_summary(summary: dict, out) -> None:
    """The summary as a small table: documents, findings per category, errors, time."""
    def row(label: str, value: str, note: str = "") -> str:
        return f"{label:<32}{value:>10}" + (f"   {note}" if note else "")

    sev = ", ".join(f"{_fmt(n)} {name}" for name, n in summary["by_severity"].items())
    lines = [row("documents", _fmt(summary["documents"])),
             row("findings", _fmt(summary["findings"]), f"by severity: {sev}")]
    for category, n in summary["by_category"].items():
        lines.append(row("  " + category, _fmt(n)))
    bad, rows = summary["documents_with_errors"], summary["error_rows"]
    lines.append(row("not checked", _fmt(bad),
                     f"document{'s' if bad != 1 else ''} with an error row "
                     f"({_fmt(rows)} error row{'s' if rows != 1 else ''})"))
    secs = summary["seconds"]
    rate = summary["documents"] / secs if secs > 0 else 0.0
    cores = f" on {summary['cores']} cores" if summary.get("cores") else ""
    lines.append(row("time", f"{secs:.1f} s", f"{rate:,.1f} documents/s{cores}"))
    lines.append(f"{'output':<32}{summary['output']}")
    click.echo("\n".join(lines), file=out)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_path", metavar="INPUT")
@click.argument("output_path", metavar="OUTPUT")
@click.option("--text-column", default="text", show_default=True,
              help="The column holding each document's text (string, or bytes to decode).")
@click.option("--id-column", default="id", show_default=True,
              help="The column identifying each document; copied to every row.")
@click.option("--format-column", help="A column of formats per document: markdown, html, text.")
@click.option("--path-column", help="A column of paths naming the documents (default: the id).")
@click.option("--format", "default_format",
              type=click.Choice(["markdown", "html", "text", "md", "htm", "txt"]),
              help="The format of documents with no format column value (default: from the "
                   "path's extension, else text).")
@config_options
@rule_options
@click.option("--input-format", type=click.Choice(["parquet", "json", "csv"]),
              help="How to read INPUT (default: from its extension; Parquet for a folder).")
@click.option("--master", help="Spark master, e.g. local[2] (default: spark-submit's, else "
                               "local[*]).")
@click.option("--partitions", type=click.IntRange(min=1),
              help="Repartition the documents into this many tasks (default: three per core "
                   "when the input has fewer partitions than that).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option("--summary-json", type=click.Path(dir_okay=False),
              help="Also write the summary as JSON to this (local) file.")
def main(input_path, output_path, **o):
    """Check the documents of INPUT (Parquet, JSON Lines or CSV) and write one row per finding,
    or per document that could not be checked, to OUTPUT (Parquet)."""
    from . import check_dataframe, require_pyspark, summarize

    try:
        require_pyspark()
    except ClaimlintError as exc:
        fail(exc)
    settings = load_settings(o, [])
    spark, created = get_session(o["master"])
    try:
        code = _run(spark, created, settings, input_path, output_path, o, check_dataframe,
                    summarize)
    finally:
        if created:
            spark.stop()
    sys.exit(code)


def _run(spark, created, settings, input_path, output_path, o, check_dataframe,
         summarize) -> int:
    from pyspark.errors import AnalysisException

    if created and not _under_spark_submit():
        try:  # Spark's INFO lines would bury the summary; spark-submit's logging is the user's
            spark.sparkContext.setLogLevel("WARN")
        except Exception:
            pass
    start = time.perf_counter()
    fmt = input_format(input_path, o["input_format"])
    try:
        docs = read_input(spark, input_path, fmt)
        cores = _cores(spark)
        partitions = o["partitions"]
        if partitions is None and cores and (_partitions(docs) or 0) < 3 * cores:
            partitions = 3 * cores
        findings = check_dataframe(
            docs, text_column=o["text_column"], id_column=o["id_column"],
            format_column=o["format_column"], path_column=o["path_column"],
            default_format=o["default_format"], settings=settings, partitions=partitions)
        writer = findings.write.mode("overwrite" if o["overwrite"] else "errorifexists")
        writer.parquet(output_path)
    except ClaimlintError as exc:
        fail(exc)
    except AnalysisException as exc:  # no such input, OUTPUT exists, a column Spark cannot read
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"{first}")
    seconds = time.perf_counter() - start
    documents = docs.count()
    written = spark.read.parquet(output_path)
    summary = {"documents": documents, **summarize(written, o["id_column"]),
               "seconds": round(seconds, 3), "cores": cores, "output": output_path}
    print_summary(summary, sys.stdout)
    if o["summary_json"]:
        with open(o["summary_json"], "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
            fh.write("\n")
    return 0


def run() -> None:
    main(prog_name="python -m claimlint.spark")
