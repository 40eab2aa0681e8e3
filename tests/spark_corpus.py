"""A generated corpus for the Spark tests: a few hundred documents in Markdown, HTML, plain text
and Word, in several encodings, some of them broken on purpose.

Claims come from the project's labelled corpus (``tests/corpus/docs``); the rest is neutral copy
written here. Deterministic for a given seed. Each document has the bytes a file would hold and,
when those bytes decode, the text; ``expect_error`` says why a document cannot be checked.
"""
from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NEUTRAL = [
    "The clinic opens at eight on weekdays and at ten on Saturdays.",
    "Parking is behind the building, and the bus stops at the corner of Elm and Fifth.",
    "Bring a photo ID and a list of the medicines you take to your first visit.",
    "Our team includes two nurses, a pharmacist and a front-desk coordinator named Dana.",
    "Appointments can be moved up to a day ahead without a fee.",
    "We answer messages sent through the portal within one business day.",
    "The waiting room has books for children and a quiet corner for calls.",
    "Invoices are emailed after each visit; we accept cards and health savings accounts.",
    "Video visits are available to anyone in the state at the time of the appointment.",
    "The newsletter comes out monthly with staff news and dates of our free talks.",
    "Our café au lait is on the house on Fridays — ask at the desk. ☕",
    "Dr. Ngozi Okafor leads the Tuesday case review for the whole care team.",
]
HEADINGS = ["About us", "Your first visit", "What to expect", "Pricing", "Our team",
            "Frequently asked questions", "Stories from our clients", "Visit us"]
# Sentences for the custom pack of the tests (``house/immunity``), and a cured line that an inline
# suppression silences (Markdown) or that nothing silences (elsewhere).
HOUSE = ["Our tonic boosts immunity in a week.", "Elderberry syrup boosts immunity naturally."]
SUPPRESSED = "This elixir cures all ills, the 1920s poster read."


@dataclass
class Doc:
    id: str
    ext: str                  # md, html, txt, docx
    data: bytes               # what a file of it holds
    text: str | None = None   # the text, when the bytes decode (None: undecodable, or Word)
    expect_error: str = ""    # the kind of error the document must produce, if any

    @property
    def path(self) -> str:
        return f"{self.id}.{self.ext}"

    @property
    def format(self) -> str | None:
        return {"md": "markdown", "html": "html", "txt": "text"}.get(self.ext)


def claim_lines() -> list[str]:
    """Lines of the labelled corpus with some words in them, markup removed."""
    out = []
    for path in sorted((ROOT / "tests" / "corpus" / "docs").glob("*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".html", ".md"):
            text = re.sub(r"<[^>]+>|[#*>|`_\[\]]|&[a-z]+;", " ", text)
        for line in text.splitlines():
            line = " ".join(line.split())
            if len(line.split()) >= 6 and not line.startswith(("---", "title:", "tags:")):
                out.append(line)
    return out


def _paragraphs(rng: random.Random, claims: list[str]) -> list[tuple[str, str]]:
    paras: list[tuple[str, str]] = []
    for _ in range(rng.randint(3, 9)):
        r = rng.random()
        if r < 0.2:
            paras.append(("h", rng.choice(HEADINGS)))
        if r < 0.45:
            paras.append(("p", rng.choice(claims)))
        elif r < 0.5:
            paras.append(("p", rng.choice(HOUSE)))
        else:
            paras.append(("p", " ".join(rng.sample(NEUTRAL, rng.randint(1, 3)))))
    return paras


def markdown(rng: random.Random, paras: list[tuple[str, str]]) -> str:
    parts = []
    if rng.random() < 0.3:
        parts.append(f'---\ntitle: "{rng.choice(HEADINGS)}"\ndescription: {paras[-1][1][:60]!r}\n'
                     "tags: [clinic]\n---")
    for kind, text in paras:
        if kind == "h":
            parts.append("## " + text)
        elif rng.random() < 0.15:
            parts.append("- " + text + "\n- " + rng.choice(NEUTRAL))
        else:
            parts.append(text)
    if rng.random() < 0.2:
        parts.append(f"<!-- claimlint-disable-next-line claims/cure-claim -- a quoted advert -->"
                     f"\n{SUPPRESSED}")
    if rng.random() < 0.1:
        parts.append("```\nthis cures everything (code is not checked)\n```")
    return "\n\n".join(parts) + "\n"


def html(rng: random.Random, paras: list[tuple[str, str]], charset: str = "utf-8") -> str:
    def esc(t: str) -> str:
        return t.replace("&", "&amp;").replace("<", "&lt;")

    body = "\n".join(f"<h2>{esc(t)}</h2>" if k == "h" else f"<p>{esc(t)}</p>" for k, t in paras)
    return (f"<!doctype html>\n<html><head><meta charset=\"{charset}\">"
            f"<title>{esc(rng.choice(HEADINGS))} &ndash; Clinic</title>\n"
            f"<meta name=\"description\" content=\"{esc(paras[0][1][:80])}\">\n"
            "<script>var cure = 'cures everything';</script></head>\n<body>\n"
            "<nav><a href=\"/\">Home</a> &middot; <a href=\"/book\">Book</a></nav>\n"
            f"{body}\n<footer>&copy; Clinic</footer></body></html>\n")


def text(rng: random.Random, paras: list[tuple[str, str]]) -> str:
    lines = [t for _, t in paras]
    if rng.random() < 0.1:
        lines.insert(0, "# claimlint-disable-next-line claims/cure-claim")
        lines.insert(1, SUPPRESSED)
    return "\n".join(lines) + "\n"


def word(paras: list[tuple[str, str]]) -> bytes:
    import docx

    d = docx.Document()
    for kind, t in paras:
        if kind == "h":
            d.add_heading(t, 2)
        else:
            d.add_paragraph(t)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def generate(n: int = 300, seed: int = 16, max_bytes: int = 1_000_000) -> list[Doc]:
    """``n`` documents, the broken ones among them (``max_bytes`` is the size limit the tests
    configure: one document is just over it)."""
    rng = random.Random(seed)
    claims = claim_lines()
    docs: list[Doc] = []
    for i in range(n):
        ident = f"doc{i:04d}"
        paras = _paragraphs(rng, claims)
        ext = rng.choices(["md", "html", "txt"], weights=[40, 30, 30])[0]
        if ext == "md":
            t = markdown(rng, paras)
        elif ext == "html":
            t = html(rng, paras)
        else:
            t = text(rng, paras)
            if rng.random() < 0.15:
                t = t.replace("\n", "\r\n")
        r = rng.random()
        if r < 0.05:
            data = "\ufeff".encode("utf-8") + t.encode("utf-8")        # UTF-8 with a BOM
        elif r < 0.08:
            data = "\ufeff".encode("utf-16-le") + t.encode("utf-16-le")  # UTF-16 with a BOM
        else:
            data = t.encode("utf-8")
        docs.append(Doc(ident, ext, data, t))

    def add(ext: str, data: bytes, t: str | None, error: str = "") -> None:
        docs.append(Doc(f"doc{len(docs):04d}", ext, data, t, error))

    # Valid but unusual: empty; a page in windows-1252 that says so; Word documents.
    add("md", b"", "")
    page = html(rng, [("p", "Our café tonic is completely safe — no side effects at all.")],
                charset="windows-1252")
    add("html", page.encode("cp1252"), page)
    for _ in range(2):
        add("docx", word(_paragraphs(rng, claims)), None)
    # Broken: not UTF-8, binary, a page declaring a charset browsers do not have, too large,
    # and a Word document that is not one.
    add("md", "Our caf\u00e9 drops cure insomnia.\n".encode("latin-1"), None, "decode")
    add("txt", b"Line one is fine.\nLine two \xff\xfe\xfa is not.\n", None, "decode")
    add("txt", b"\x00\x01\x02binary\x00data", None, "binary")
    bogus = b"<html><head><meta charset=\"x-bogus\"></head><body><p>caf\xe9</p></body></html>"
    add("html", bogus, None, "charset")
    big = ("Our clinic is open on weekdays. " * (max_bytes // 32 + 200)) + "\n"
    add("txt", big.encode("utf-8"), big, "size")
    add("docx", b"PK\x03\x04 not really a zip", None, "reader")
    return docs


HOUSE_PACK = """\
pack: house
description: The house style of the tests' imaginary publisher.
categories: [house-style]
rules:
  - id: immunity
    kind: phrase
    category: house-style
    severity: warning
    message: "'{match}' is a claim the house style does not allow"
    rationale: Immunity claims need a regulator's approval.
    references: [House style guide, section 4]
    suggestion: Say what the ingredient contains instead.
    phrases: [boosts immunity]
    match: lower
    examples:
      bad: [It boosts immunity.]
      good: [It contains vitamin C.]
"""
