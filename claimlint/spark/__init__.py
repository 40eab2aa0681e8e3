"""claimlint on Apache Spark: a DataFrame of documents in, a DataFrame of findings out.

::

    from claimlint import Settings
    from claimlint.spark import check_dataframe

    pages = spark.read.parquet("s3://bucket/pages/")           # url, body, kind
    findings = check_dataframe(pages, id_column="url", text_column="body",
                               format_column="kind", settings=Settings.load("claimlint.yaml"))
    findings.write.parquet("s3://bucket/findings/")

One row per finding -- span and document-level findings alike -- with the fields of
``claimlint check --format json`` plus the id; a document that could not be checked (null,
undecodable, over ``max-file-size``, a reader's failure) is a row whose ``error`` says why, never
a failed job. The checking runs in ``mapInArrow`` with one warm Linter per Python worker; custom
rule packs travel inside the job. ``python -m claimlint.spark`` is the command for the common case.
See ``docs/spark.md``.

Importing this module does not import PySpark; calling :func:`check_dataframe` does.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ..errors import ClaimlintError, UsageError
from ..settings import Settings
from .engine import (ERROR_FIELD, FINDING_FIELDS, FIX_FIELDS, INT_FIELDS, OUTPUT_FIELDS, Job,
                     check_batches, make_job)

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructField, StructType

__all__ = ["check_dataframe", "output_schema", "summarize", "OUTPUT_FIELDS", "require_pyspark"]

INSTALL_HINT = "install the Spark extra: pip install 'claimlint-health[spark]'"


def require_pyspark() -> None:
    """Raise :class:`ClaimlintError` naming the extra to install when PySpark or pyarrow is
    missing."""
    missing = []
    for name in ("pyspark", "pyarrow"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ClaimlintError(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
                             f"installed; {INSTALL_HINT}")


def output_schema(id_field: StructField) -> StructType:
    """The schema of the findings table, given the input's id column."""
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    fix = StructType([StructField(name, IntegerType() if kind == "int" else StringType())
                      for name, kind in FIX_FIELDS])
    fields = [StructField(id_field.name, id_field.dataType, True)]
    for name in FINDING_FIELDS:
        typ = IntegerType() if name in INT_FIELDS else fix if name == "fix" else StringType()
        fields.append(StructField(name, typ, True))
    fields.append(StructField(ERROR_FIELD, StringType(), True))
    return StructType(fields)


def _check_columns(df: DataFrame, job: Job) -> None:
    from pyspark.sql.types import BinaryType, StringType

    types = {f.name: f.dataType for f in df.schema.fields}

    def need(role: str, name: str | None, allowed: tuple) -> None:
        if name is None:
            return
        if name not in types:
            raise UsageError(f"the {role} column {name!r} is not in the input (its columns: "
                             f"{', '.join(df.columns) or 'none'})")
        if allowed and not isinstance(types[name], allowed):
            kinds = " or ".join("string" if a is StringType else "binary" for a in allowed)
            raise UsageError(f"the {role} column {name!r} must be {kinds}, not "
                             f"{types[name].simpleString()}")

    need("id", job.id_column, ())
    need("text", job.text_column, (StringType, BinaryType))
    need("format", job.format_column, (StringType,))
    need("path", job.path_column, (StringType,))
    if job.id_column in OUTPUT_FIELDS:
        raise UsageError(f"the id column {job.id_column!r} has the name of a column of the "
                         f"findings; rename it first (df.withColumnRenamed)")


def check_dataframe(df: DataFrame, *, text_column: str = "text", id_column: str = "id",
                    format_column: str | None = None, path_column: str | None = None,
                    default_format: str | None = None, settings: Settings | None = None,
                    partitions: int | None = None) -> DataFrame:
    """The findings of every document of ``df``, one row per finding or per error.

    ``text_column`` holds each document's text: a string, or bytes decoded as the command line
    decodes a file (UTF-8, UTF-16/32 with a byte-order mark, an HTML page's declared charset;
    ``.docx`` bytes when the path ends in ``.docx``). ``id_column`` (any type) is copied to each
    row. ``format_column`` holds ``markdown``, ``html`` or ``text`` per document; where it is
    absent or null, ``default_format`` applies, else the format follows the path's extension as
    on the command line. ``path_column`` names the document in the ``path`` field and decides
    which ``overrides`` apply (relative paths are taken from the configuration's folder); without
    it the id, as a string, is the path.

    ``settings`` (default: the built-in defaults, ``Settings()``) is what the command line would
    use; the custom pack files it names are read here, on the driver, and shipped with the job.
    ``partitions`` repartitions the input first (to spread few large input files over the
    cluster's cores). The result is lazy, like any DataFrame; its schema is :func:`output_schema`.

    Raises :class:`~claimlint.errors.ClaimlintError` (before any job runs) for a missing column,
    a column of the wrong type, an unknown ``default_format``, or settings whose packs or rule
    selectors are not valid.
    """
    require_pyspark()
    settings = settings if settings is not None else Settings()
    job = make_job(settings, text_column=text_column, id_column=id_column,
                   format_column=format_column, path_column=path_column,
                   default_format=default_format)
    _check_columns(df, job)
    # Load the packs and check the selectors here, so a bad pack stops the driver with its file
    # and line instead of failing every task.
    from ..linter import Linter

    Linter(settings)
    columns = list(dict.fromkeys(c for c in (id_column, text_column, format_column, path_column)
                                 if c is not None))
    docs = df.select(*columns)
    if partitions:
        docs = docs.repartition(int(partitions))
    schema = output_schema(df.schema[id_column])
    return docs.mapInArrow(functools.partial(check_batches, job), schema)


def summarize(findings: DataFrame, id_column: str | None = None) -> dict[str, Any]:
    """Counts over a findings table: findings per category and per severity, error rows, and
    (given ``id_column``) the documents with errors. Two small aggregations; nothing is cached."""
    from pyspark.sql import functions as F

    per = (findings.groupBy("category", "severity", F.col(ERROR_FIELD).isNull().alias("ok"))
           .count().collect())
    by_category: dict[str, int] = {}
    by_severity: dict[str, int] = {}
    total = error_rows = 0
    for row in per:
        if not row["ok"]:
            error_rows += row["count"]
            continue
        total += row["count"]
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["count"]
        by_severity[row["severity"]] = by_severity.get(row["severity"], 0) + row["count"]
    out: dict[str, Any] = {
        "findings": total,
        "by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "error_rows": error_rows,
    }
    if id_column is not None:
        out["documents_with_errors"] = (
            findings.where(F.col(ERROR_FIELD).isNotNull()).select(id_column).distinct().count()
            if error_rows else 0)
    return out
