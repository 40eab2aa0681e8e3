"""``--format html``: one self-contained HTML report, for reviewers who are not at a terminal.

    claimlint check docs/ --format html -o report.html

* Each document's **original text** is shown as written (line breaks kept), every span finding
  wrapped in a ``<mark>`` coloured by its category. Overlapping findings are split into flat
  segments at every boundary, so the markup is always well formed; a segment lists every finding
  that covers it in ``data-f``. Hovering a highlight shows the finding (``title``); clicking it
  opens a panel (a small inline script) or, without JavaScript, jumps to the finding's card below
  the text (``:target``), which holds the message, rule id, rationale, regulation and suggested
  rewrite. Document-level findings are banners at the top of their document.
* Streaming: each document is written as it arrives and is not kept; only counts are. The
  summary and the index of documents are therefore written *after* the documents, and displayed
  *before* them with CSS (``order`` in a flex column), which needs no script.
* Documents are collapsed (``<details>``); the index links to each. The script opens a document
  reached by a link, opens the only document of a one-file report, and offers expand/collapse
  all (``#open-all`` in the address opens every document).
* Nothing is loaded from anywhere: inline CSS and SVG, and a Content-Security-Policy that forbids
  every external load and allows only the report's own script (by nonce).
* Everything a document, a path or a rule pack supplies is untrusted: it is escaped with
  ``html.escape(..., quote=True)`` after control characters, lone surrogates and bidirectional
  overrides are made visible (no ANSI sequence, no "Trojan Source" reordering reaches the page).
"""
from __future__ import annotations

import html
import re
import secrets
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Iterable

from ..findings import FileError, FileResult, Finding, Summary
from ..taxonomy import CATEGORIES, OTHER_COLOUR, SEVERITIES
from . import Formatter
from ..explain import safe_url
from .common import template_text


# Characters that must not reach the page as they are: C0 controls but tab/LF/CR (ESC would start
# an ANSI sequence), DEL, C1 controls, lone surrogates (not encodable), and the invisible
# bidirectional controls that can make text display differently from what it says.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # the Unicode "control pictures": \x1b -> ␛
    if c == 0x7F:
        return "\u2421"
    if 0xDC80 <= c <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return "\\x%02x" % (c - 0xDC00)
    if 0xD800 <= c <= 0xDFFF:
        return "\ufffd"
    if c <= 0x9F:
        return "\\x%02x" % c
    return "\\u%04x" % c


def clean(text: Any) -> str:
    """``text`` with the characters above made visible (offsets of what precedes are kept)."""
    if text is None:
        return ""
    return _UNSAFE.sub(_visible, str(text))


def esc(text: Any) -> str:
    """Untrusted text as HTML text or attribute value."""
    return html.escape(clean(text), quote=True)


def category_class(category: str) -> str:
    return "c-" + category if category in CATEGORIES else "c-other"


def severity_class(severity: str) -> str:
    return "sev-" + (severity if severity in SEVERITIES else "warning")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def segments(length: int, spans: Iterable[tuple[int, int, Any]]) -> list[tuple[int, int, list]]:
    """Cut ``[0, length)`` at every span boundary: ``(start, end, [keys covering it])`` for
    each piece, in order (pieces that no span covers have an empty list). Spans are clamped to
    the text; an empty one is widened to one character so that it can be shown."""
    cleaned = []
    for a, b, key in spans:
        a = max(0, min(int(a), length))
        b = max(a, min(int(b), length))
        if a == b:
            if length == 0:
                continue
            if a < length:
                b = a + 1
            else:
                a = length - 1
        cleaned.append((a, b, key))
    bounds = sorted({0, length, *(a for a, _, _ in cleaned), *(b for _, b, _ in cleaned)})
    starts: dict[int, list] = {}
    for a, b, key in cleaned:
        starts.setdefault(a, []).append((b, key))
    active: list[tuple[int, Any]] = []
    out = []
    for a, b in zip(bounds, bounds[1:]):
        active = [(e, k) for e, k in active if e > a] + starts.get(a, [])
        out.append((a, b, [k for _, k in active]))
    return out


CSS = """
:root{--fg:#1d2330;--muted:#5b6475;--line:#d8dce3;--bg:#f6f7f9;--card:#fff;--accent:#2456a6;
  --error:#b3261e;--warning:#9a6700;--info:#2456a6}
*{box-sizing:border-box}
html{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:var(--fg);background:var(--bg)}
body{margin:0}
.page{display:flex;flex-direction:column;gap:18px;max-width:1200px;margin:0 auto;padding:20px}
.page>header{order:0}.page>#summary{order:1}.page>#index{order:2}.page>#documents{order:3}
.page>footer{order:4;color:var(--muted);font-size:13px}
section,header,nav{background:var(--card);border:1px solid var(--line);border-radius:8px;
  padding:14px 18px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
.muted{color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:10px 0 0;padding:0;list-style:none;font-size:13px}
.swatch{display:inline-block;width:.95em;height:.95em;border-radius:3px;vertical-align:-.12em;
  margin-right:5px;border:1px solid rgba(0,0,0,.15)}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}
.tile{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:110px}
.tile b{display:block;font-size:22px}
.cols{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
table{border-collapse:collapse;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#b4bac5}
tr.total td{font-weight:600;border-top:2px solid var(--line)}
.index-wrap{overflow-x:auto}
#index table{font-size:13px}
#index th,#index td{padding:3px 6px}
#index th{position:sticky;top:0;background:var(--card);font-weight:600;vertical-align:bottom}
#index th .sev{font-size:10px;padding:0 5px}
#index td.path{overflow-wrap:anywhere;min-width:14em}
.chart{max-width:100%;height:auto}
.sev{display:inline-block;font-size:12px;font-weight:600;padding:0 7px;border-radius:9px;
  color:#fff;text-transform:uppercase;letter-spacing:.02em}
.sev.sev-error{background:var(--error)}.sev.sev-warning{background:var(--warning)}
.sev.sev-info{background:var(--info)}
details.doc{border:1px solid var(--line);border-radius:6px;margin:8px 0;background:var(--card)}
details.doc>summary{cursor:pointer;padding:8px 12px;display:flex;flex-wrap:wrap;gap:6px 10px;
  align-items:center}
details.doc>summary .path{font-weight:600;word-break:break-all}
details.doc[open]>summary{border-bottom:1px solid var(--line);background:#fafbfc}
details.doc:target,details.doc>summary:focus-visible{outline:2px solid var(--accent)}
.doc-body{padding:10px 14px 14px}
.chip{font-size:12px;border-radius:9px;padding:0 7px;border:1px solid rgba(0,0,0,.12)}
.clean{color:#2e7d32;font-size:13px}
.banner{border-left:5px solid var(--error);background:#fff5f5;border-radius:4px;padding:8px 12px;
  margin:0 0 10px}
.banner.sev-warning{border-left-color:var(--warning);background:#fffaf0}
.banner.sev-info{border-left-color:var(--info);background:#f3f7ff}
.banner .msg,.card .msg{font-weight:600}
.text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7;font-size:15px;
  border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:#fff;margin:0;
  max-height:80vh;overflow:auto}
.text.empty{color:var(--muted);font-style:italic}
mark.hl{border-radius:3px;padding:1px 0;color:inherit;cursor:pointer}
mark.hl a{color:inherit;text-decoration:none}
mark.hl.multi{box-shadow:inset 0 -3px 0 rgba(0,0,0,.35)}
mark.hl:hover,mark.hl.active{outline:2px solid rgba(0,0,0,.45)}
.anchor:target+mark{outline:2px solid var(--accent)}
ol.findings{list-style:none;padding:0;margin:12px 0 0}
.card{border:1px solid var(--line);border-left:6px solid #999;border-radius:6px;padding:8px 12px;
  margin:0 0 8px;background:#fff}
.card:target{outline:3px solid var(--accent);background:#f3f7ff}
.card .head,.banner .head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.card dl,.banner dl{margin:6px 0 0;display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;
  font-size:14px}
.card dt,.banner dt{color:var(--muted)}.card dd,.banner dd{margin:0}
.card ul,.banner ul{margin:0;padding-left:18px;list-style:disc}
q.excerpt{font-style:italic}
.diag{color:var(--error)}
.toolbar{display:flex;gap:8px;margin-top:10px}
.toolbar button{font:inherit;font-size:13px;padding:2px 10px;border:1px solid var(--line);
  border-radius:5px;background:#fff;cursor:pointer}
.popup{position:absolute;z-index:10;max-width:min(560px,92vw);background:#fff;border:1px solid #9aa3b2;
  border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.18);padding:8px}
.popup .card{margin:0 0 6px}.popup .close{float:right;border:0;background:none;font-size:18px;cursor:pointer}
@media print{.page>#documents{order:3}.popup,.toolbar{display:none}.text{max-height:none}}
""" + "".join(
    f".c-{name}{{background:{colour}}}.card.c-{name},.banner.c-{name}{{border-left-color:{colour};"
    f"background:#fff}}\n" for name, colour in ((c.name, c.colour) for c in CATEGORIES.values())
) + f".c-other{{background:{OTHER_COLOUR}}}.card.c-other{{border-left-color:#9e9e9e;background:#fff}}\n"

# Runs after the whole report is parsed (it is the last element). Text comes only from the
# report's own, already escaped, DOM: nothing is parsed as HTML.
SCRIPT = r"""
(function () {
  var root = document.documentElement;
  root.setAttribute('data-report-script', 'ran');
  var docs = document.querySelectorAll('details.doc');
  function setAll(open) { for (var i = 0; i < docs.length; i++) docs[i].open = open; }
  function reveal(el) { for (var p = el; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true; }
  function fromHash() {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (!id) return;
    if (id === 'open-all') { setAll(true); return; }
    var el = document.getElementById(id);
    if (el) { reveal(el); el.scrollIntoView(); }
  }
  if (docs.length === 1) docs[0].open = true;
  fromHash();
  window.addEventListener('hashchange', fromHash);
  var bar = document.getElementById('toolbar');
  if (bar) {
    bar.hidden = false;
    bar.querySelector('[data-act=open]').addEventListener('click', function () { setAll(true); });
    bar.querySelector('[data-act=close]').addEventListener('click', function () { setAll(false); });
  }
  var pop = document.createElement('div');
  pop.className = 'popup'; pop.hidden = true; pop.setAttribute('role', 'dialog');
  document.body.appendChild(pop);
  var current = null;
  function hide() {
    pop.hidden = true;
    if (current) { current.classList.remove('active'); current.setAttribute('aria-expanded', 'false'); }
    current = null;
  }
  function show(mark) {
    hide();
    while (pop.firstChild) pop.removeChild(pop.firstChild);
    var close = document.createElement('button');
    close.className = 'close'; close.type = 'button'; close.textContent = '\u00d7';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', hide);
    pop.appendChild(close);
    var ids = (mark.getAttribute('data-f') || '').split(' ');
    for (var i = 0; i < ids.length; i++) {
      var card = ids[i] && document.getElementById(ids[i]);
      if (!card) continue;
      var copy = card.cloneNode(true);
      copy.removeAttribute('id');
      var withId = copy.querySelectorAll('[id]');
      for (var j = 0; j < withId.length; j++) withId[j].removeAttribute('id');
      pop.appendChild(copy);
    }
    var r = mark.getBoundingClientRect();
    pop.hidden = false;
    var left = Math.max(8, Math.min(window.scrollX + r.left,
                                    window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.left = left + 'px';
    pop.style.top = (window.scrollY + r.bottom + 6) + 'px';
    current = mark; mark.classList.add('active'); mark.setAttribute('aria-expanded', 'true');
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    var mark = t && t.closest ? t.closest('mark.hl') : null;
    if (mark) {
      e.preventDefault();
      if (mark === current) hide(); else show(mark);
    } else if (current && !pop.contains(t)) {
      hide();
    }
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
  root.setAttribute('data-report-ready', '1');
})();
"""


class HtmlFormatter(Formatter):
    name = "html"
    machine = False
    needs_documents = True

    # -- rule text ---------------------------------------------------------------------------

    def _meta(self, rule_id: str) -> Any:
        return (self.options.rules or {}).get(rule_id)

    def _explain(self, f: Finding) -> dict:
        """The texts shown for a finding: message, rationale, references, suggestion, link."""
        meta = self._meta(f.rule)
        rationale = " ".join((getattr(meta, "rationale", "") or "").split())
        references = [" ".join(str(r).split()) for r in (getattr(meta, "references", None) or [])]
        suggestion = f.suggestion or template_text(getattr(meta, "suggestion", None))
        return {"message": f.message or f.rule, "rationale": rationale,
                "references": [r for r in references if r], "suggestion": suggestion or "",
                "url": safe_url(getattr(meta, "url", None))}

    def _tooltip(self, f: Finding, info: dict) -> str:
        lines = [f"{info['message']}", f"[{f.rule}] {f.category}, {f.severity}"]
        if info["rationale"]:
            lines.append(f"Why: {info['rationale']}")
        if info["references"]:
            lines.append("Regulation: " + "; ".join(info["references"]))
        if info["suggestion"]:
            lines.append(f"Suggested rewrite: {info['suggestion']}")
        return "\n".join(lines)

    def _details(self, f: Finding, info: dict) -> str:
        rows = []
        if f.excerpt and f.scope == "document":
            rows.append(f"<dt>First seen</dt><dd>line {int(f.line)}: "
                        f"<q class=\"excerpt\">{esc(f.excerpt)}</q></dd>")
        if info["rationale"]:
            rows.append(f"<dt>Why</dt><dd class=\"rationale\">{esc(info['rationale'])}</dd>")
        if info["references"]:
            items = "".join(f"<li>{esc(r)}</li>" for r in info["references"])
            rows.append(f"<dt>Regulation</dt><dd class=\"references\"><ul>{items}</ul></dd>")
        if info["suggestion"]:
            rows.append(f"<dt>Suggested rewrite</dt><dd class=\"suggestion\">"
                        f"{esc(info['suggestion'])}</dd>")
        if info["url"]:
            rows.append(f"<dt>Rule</dt><dd><a href=\"{esc(info['url'])}\" rel=\"noopener "
                        f"noreferrer\">documentation</a></dd>")
        return f"<dl>{''.join(rows)}</dl>" if rows else ""

    def _card(self, tag: str, cls: str, f: Finding, fid: str, info: dict, linked: bool,
              attrs: str = "") -> str:
        """A finding's card (or a document-level finding's banner): head, message and details."""
        return (f"<{tag} class=\"{cls} {severity_class(f.severity)} {category_class(f.category)}\" "
                f"id=\"{fid}\"{attrs}>{self._head(f, fid if linked else '')}"
                f"<div class=\"msg\">{esc(info['message'])}</div>{self._details(f, info)}</{tag}>\n")

    def _head(self, f: Finding, fid: str) -> str:
        where = f"line {int(f.line)}, column {int(f.column)}"
        back = (f" <a class=\"back\" href=\"#{fid}-t\" title=\"Show in the text\">{where}</a>"
                if fid else f" <span class=\"muted\">{where}</span>")
        return (f"<div class=\"head\"><span class=\"sev {severity_class(f.severity)}\">"
                f"{esc(f.severity)}</span><span class=\"chip {category_class(f.category)}\">"
                f"{esc(f.category)}</span><span class=\"rule\">{esc(f.rule)}</span>{back}</div>")

    # -- the stream --------------------------------------------------------------------------

    def begin(self) -> None:
        self._nonce = secrets.token_urlsafe(18)
        self._n = 0
        self._by_category: Counter = Counter()
        self._by_severity: Counter = Counter()
        self._files_with = 0
        self._index: list[tuple] = []  # (doc id, path, total, severities, categories, n diags)
        self._errors: list[FileError] = []
        version = self.options.tool_version
        if not version:
            from .. import __version__ as version
        generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               f"script-src 'nonce-{self._nonce}'; base-uri 'none'; form-action 'none'")
        doc_note = " <span class=\"muted\">(document)</span>"
        legend = "".join(
            f"<li><span class=\"swatch c-{name}\"></span>{esc(name)}"
            f"{doc_note if scope == 'document' else ''}</li>"
            for name, scope in ((c.name, c.scope) for c in CATEGORIES.values()))
        self.out.write(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{esc(csp)}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"generator\" content=\"claimlint " + esc(version) + "\">\n"
            "<title>claimlint report</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n<div class=\"page\">\n"
            "<header>\n<h1>claimlint report</h1>\n"
            f"<div class=\"muted\">claimlint {esc(version)} &middot; generated {esc(generated)}"
            "</div>\n"
            f"<ul class=\"legend\" aria-label=\"Legend: categories\">{legend}"
            f"<li><span class=\"swatch c-other\"></span>other</li></ul>\n"
            "<div id=\"toolbar\" class=\"toolbar\" hidden><button type=\"button\" "
            "data-act=\"open\">Expand all documents</button><button type=\"button\" "
            "data-act=\"close\">Collapse all</button></div>\n"
            "</header>\n<section id=\"documents\" aria-label=\"Documents\">\n"
            "<h2>Documents</h2>\n")

    def file(self, result: FileResult) -> None:
        self._n += 1
        n = self._n
        doc_id = f"doc-{n}"
        findings = list(result.findings)
        by_sev = Counter(f.severity for f in findings)
        by_cat = Counter(f.category for f in findings)
        self._by_severity.update(by_sev)
        self._by_category.update(by_cat)
        if findings:
            self._files_with += 1
        self._errors.extend(result.errors)
        self._index.append((doc_id, clean(result.path), len(findings),
                            tuple(by_sev.get(s, 0) for s in SEVERITIES), dict(by_cat),
                            len(result.errors)))

        parts = [f"<details class=\"doc\" id=\"{doc_id}\" data-findings=\"{len(findings)}\">"
                 f"<summary><span class=\"path\">{esc(result.path)}</span>"]
        if findings:
            parts.append(f"<span class=\"muted\">{_plural(len(findings), 'finding')}</span>")
            parts += [f"<span class=\"sev {severity_class(s)}\">{by_sev[s]} {esc(s)}</span>"
                      for s in SEVERITIES if by_sev.get(s)]
            parts += [f"<span class=\"chip {category_class(c)}\">{esc(c)} {k}</span>"
                      for c, k in sorted(by_cat.items(), key=lambda kv: _cat_order(kv[0]))]
        elif not result.errors:
            parts.append("<span class=\"clean\">no findings</span>")
        if result.errors:
            parts.append("<span class=\"diag\">not checked</span>")
        parts.append("</summary>\n<div class=\"doc-body\">\n")

        for d in result.errors:
            parts.append(f"<div class=\"banner diag sev-error\"><div class=\"msg\">{esc(str(d))}"
                         "</div></div>\n")

        infos = {}
        ids = {}
        for k, f in enumerate(findings, 1):
            ids[id(f)] = f"d{n}f{k}"
            infos[id(f)] = self._explain(f)
        doc_level = [f for f in findings if f.scope == "document"]
        spans = [f for f in findings if f.scope != "document"]
        document = result.document
        for f in doc_level:
            parts.append(self._card("div", "banner doc-finding", f, ids[id(f)], infos[id(f)],
                                    document is not None, ' role="note"'))

        if document is not None:
            parts.append(self._text(document.text, spans, doc_level, ids, infos))
        elif findings or not result.errors:
            parts.append("<p class=\"muted\">The text of this document is not available.</p>\n")

        if spans:
            parts.append("<h3>Findings in the text</h3>\n<ol class=\"findings\">\n")
            for f in spans:
                parts.append(self._card("li", "card", f, ids[id(f)], infos[id(f)],
                                        document is not None))
            parts.append("</ol>\n")
        parts.append("</div>\n</details>\n")
        self.out.write("".join(parts))

    def _text(self, text: str, spans: list[Finding], doc_level: list[Finding], ids: dict,
              infos: dict) -> str:
        """The original text with every span finding highlighted (flat, non-nested segments)."""
        if not text:
            return "<div class=\"text empty\">(empty document)</div>\n"
        pieces = segments(len(text), ((f.start, f.end, f) for f in spans))
        # Where each finding starts in the text: anchors the cards link back to.
        anchors: dict[int, list[str]] = {}
        first_piece: dict[int, int] = {}
        for i, (a, _, covering) in enumerate(pieces):
            for f in covering:
                if id(f) not in first_piece:
                    first_piece[id(f)] = a
        for f in spans:
            if id(f) in first_piece:
                anchors.setdefault(first_piece[id(f)], []).append(ids[id(f)])
        for f in doc_level:
            anchors.setdefault(max(0, min(int(f.start), len(text))), []).append(ids[id(f)])
        out = ["<div class=\"text\">"]
        for a, b, covering in pieces:
            for fid in anchors.pop(a, ()):
                out.append(f"<span class=\"anchor\" id=\"{fid}-t\"></span>")
            raw = text[a:b]
            if raw.endswith("\r") and text[b:b + 1] == "\n":
                raw = raw[:-1]  # "\r</mark>\n" would be two line breaks; the "\n" follows
            chunk = esc(raw)
            if not covering:
                out.append(chunk)
                continue
            # The narrowest finding gives the colour and the link; all are listed.
            main = min(covering, key=lambda f: (f.end - f.start, f.start))
            classes = ["hl", category_class(main.category)]
            if len(covering) > 1:
                classes.append("multi")
            tip = "\n\n".join(self._tooltip(f, infos[id(f)]) for f in covering)
            out.append(f"<mark class=\"{' '.join(classes)}\" data-f=\""
                       f"{' '.join(ids[id(f)] for f in covering)}\" title=\"{esc(tip)}\">"
                       f"<a href=\"#{ids[id(main)]}\">{chunk}</a></mark>")
        for fids in anchors.values():  # at the very end of the text
            out += [f"<span class=\"anchor\" id=\"{fid}-t\"></span>" for fid in fids]
        out.append("</div>\n")
        return "".join(out)

    def end(self, summary: Summary) -> None:
        out = ["</section>\n"]
        total = sum(self._by_severity.values())
        n_diag = len(self._errors)
        # -- summary
        out.append("<section id=\"summary\" aria-label=\"Summary\">\n<h2>Summary</h2>\n"
                   "<div class=\"tiles\">")
        for label, value in (("documents", self._n), ("with findings", self._files_with),
                             ("findings", total), ("errors", self._by_severity.get("error", 0)),
                             ("warnings", self._by_severity.get("warning", 0)),
                             ("info", self._by_severity.get("info", 0)),
                             ("not checked", n_diag)):
            out.append(f"<div class=\"tile\" data-count=\"{esc(label)}\"><b>{value}</b>"
                       f"{esc(label)}</div>")
        out.append("</div>\n<div class=\"cols\">\n")
        cats = self._categories()
        rows = "".join(
            f"<tr data-category=\"{esc(c)}\"><td><span class=\"swatch {category_class(c)}\">"
            f"</span>{esc(c)}</td><td class=\"n{' zero' if not self._by_category.get(c) else ''}\">"
            f"{self._by_category.get(c, 0)}</td></tr>" for c in cats)
        out.append("<table class=\"by-category\"><caption class=\"muted\">By category</caption>"
                   "<thead><tr><th>Category</th><th class=\"n\">Findings</th></tr></thead>"
                   f"<tbody>{rows}<tr class=\"total\"><td>Total</td><td class=\"n\">{total}</td>"
                   "</tr></tbody></table>\n")
        rows = "".join(
            f"<tr data-severity=\"{esc(s)}\"><td><span class=\"sev {severity_class(s)}\">"
            f"{esc(s)}</span></td><td class=\"n\">{self._by_severity.get(s, 0)}</td></tr>"
            for s in self._severities())
        out.append("<table class=\"by-severity\"><caption class=\"muted\">By severity</caption>"
                   "<thead><tr><th>Severity</th><th class=\"n\">Findings</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>\n")
        out.append(self._chart(cats))
        out.append("</div>\n")
        if self._errors:
            items = "".join(f"<li>{esc(str(d))}</li>" for d in self._errors)
            out.append(f"<h3 class=\"diag\">Could not be checked</h3><ul class=\"diag\">{items}"
                       "</ul>\n")
        out.append("</section>\n")
        # -- index
        out.append(f"<nav id=\"index\" aria-label=\"Index of documents\">\n<h2>Index of documents "
                   f"<span class=\"muted\">({self._n})</span></h2>\n")
        if self._index:
            head = "".join(f"<th class=\"n\"><span class=\"sev {severity_class(s)}\">{esc(s)}"
                           "</span></th>" for s in SEVERITIES)
            head += "".join(f"<th class=\"n\" title=\"{esc(c)}\"><span class=\"swatch "
                            f"{category_class(c)}\"></span>{esc(_short(c))}</th>" for c in cats)
            out.append("<div class=\"index-wrap\"><table class=\"index\"><thead><tr><th>#</th>"
                       f"<th>Document</th><th class=\"n\">Findings</th>{head}</tr></thead><tbody>")
            for doc_id, path, n_findings, sev, by_cat, nd in self._index:
                cells = ("".join(_num(v) for v in sev)
                         + "".join(_num(by_cat.get(c, 0)) for c in cats))
                note = " <span class=\"diag\">(not checked)</span>" if nd else ""
                out.append(f"<tr><td class=\"n\">{doc_id[4:]}</td><td class=\"path\">"
                           f"<a href=\"#{doc_id}\">{html.escape(path, quote=True)}</a>{note}</td>"
                           f"{_num(n_findings)}{cells}</tr>")
            out.append("</tbody></table></div>\n")
        else:
            out.append("<p class=\"muted\">No documents were checked.</p>\n")
        out.append("</nav>\n")
        out.append("<footer>Generated by claimlint. Hover a highlight for the finding; click it "
                   "for the details. Documents are collapsed: open them from the index.</footer>\n")
        out.append("</div>\n")
        out.append(f"<script nonce=\"{self._nonce}\">{SCRIPT}</script>\n</body>\n</html>\n")
        self.out.write("".join(out))

    # -- summary helpers ---------------------------------------------------------------------

    def _categories(self) -> list[str]:
        """The eight categories, then any other category that was reported."""
        return list(CATEGORIES) + sorted(c for c in self._by_category if c not in CATEGORIES)

    def _severities(self) -> list[str]:
        return list(SEVERITIES) + sorted(s for s in self._by_severity if s not in SEVERITIES)

    def _chart(self, cats: list[str]) -> str:
        """Horizontal bars, one per category: inline SVG, no script."""
        row, label_w, bar_w = 24, 215, 190
        top = max([self._by_category.get(c, 0) for c in cats] + [1])
        height = row * len(cats) + 8
        width = label_w + bar_w + 40
        out = [f"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" "
               f"height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" "
               "aria-labelledby=\"chart-title\"><title id=\"chart-title\">Findings by category"
               "</title>"]
        for i, c in enumerate(cats):
            v = self._by_category.get(c, 0)
            y = 4 + i * row
            w = round(bar_w * v / top, 1)
            colour = CATEGORIES[c].colour if c in CATEGORIES else OTHER_COLOUR
            out.append(f"<g data-category=\"{esc(c)}\"><text x=\"{label_w - 8}\" y=\"{y + 16}\" "
                       "text-anchor=\"end\" font-size=\"13\" fill=\"#1d2330\">"
                       f"{esc(c)}</text><rect x=\"{label_w}\" y=\"{y + 3}\" width=\"{bar_w}\" "
                       f"height=\"{row - 8}\" fill=\"#f0f2f5\" rx=\"3\"></rect>"
                       f"<rect class=\"bar\" x=\"{label_w}\" y=\"{y + 3}\" width=\"{w}\" "
                       f"height=\"{row - 8}\" fill=\"{colour}\" stroke=\"rgba(0,0,0,.2)\" "
                       f"rx=\"3\"></rect><text x=\"{label_w + max(w, 0) + 6}\" y=\"{y + 16}\" "
                       f"font-size=\"13\" fill=\"#1d2330\">{v}</text></g>")
        out.append("</svg>\n")
        return "".join(out)


def _cat_order(category: str) -> tuple:
    names = list(CATEGORIES)
    return (names.index(category), "") if category in CATEGORIES else (len(names), category)


def _short(category: str) -> str:
    return CATEGORIES[category].label if category in CATEGORIES else category


def _num(v: int) -> str:
    return f"<td class=\"n{' zero' if not v else ''}\">{v}</td>"
