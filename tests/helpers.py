"""What many test modules use: run the command line in a subprocess, and where things are."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def run_cli(*args: str, cwd: str | os.PathLike | None = None, stdin: bytes | None = None,
            env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed claimlint (``python -m claimlint``) and capture its output as text."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    proc = subprocess.run([sys.executable, "-m", "claimlint", *args], cwd=cwd, input=stdin,
                          capture_output=True, env=full_env, timeout=timeout)
    proc.stdout = proc.stdout.decode("utf-8")  # type: ignore[assignment]
    proc.stderr = proc.stderr.decode("utf-8")  # type: ignore[assignment]
    return proc


def run_json(*args: str, **kw) -> tuple[dict, subprocess.CompletedProcess]:
    proc = run_cli("check", "--format", "json", *args, **kw)
    try:
        return json.loads(proc.stdout), proc
    except json.JSONDecodeError:  # pragma: no cover - shown on failure
        raise AssertionError(f"not JSON (exit {proc.returncode}): {proc.stdout!r}\n{proc.stderr}")


def docx_with_document_xml(body_xml: str) -> bytes:
    """A .docx made from python-docx's template whose word/document.xml body is ``body_xml``."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                head = xml[:xml.index("<w:body>") + len("<w:body>")]
                data = (head + body_xml + "</w:body></w:document>").encode("utf-8")
            z.writestr(item, data)
    return out.getvalue()


# A small custom pack, as a compliance team would write one (the language server tests load it).
HOUSE_PACK = """\
pack: house
rules:
  - id: miracle
    kind: phrase
    category: cure-claim
    severity: warning
    message: "'{match}' is a miracle claim"
    rationale: Miracles are not evidence.
    references: [House style guide]
    phrases: [miracle drops]
    examples:
      bad: [Try our miracle drops today.]
      good: [Try our drops today.]
"""
