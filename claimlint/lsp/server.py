"""The language server: LSP over stdio with pygls, checks in a worker thread.

The event loop keeps the editor's documents (applying incremental changes in the negotiated
position encoding), answers hover and code-action requests from the last published result, and
hands each check to the :class:`~claimlint.lsp.engine.Worker`: on open and save at once; on change
at once after a pause, and otherwise when the typing has stopped for the debounce. A newer version of a document replaces its waiting check; a result is
published only if it belongs to the newest check of that document, so stale diagnostics never
overwrite fresh ones. The worker converts findings to diagnostics (ranges in the client's
encoding) before handing them back, so a large result costs the event loop nothing.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..errors import Cancelled
from . import edits as E
from .engine import CONFIG_NAMES, LANGUAGE_FORMATS, UNCHECKED_EXTENSIONS, Engine, Engines, Job, \
    Options, Problem, Worker, parse_options, unwrap
from .text import UTF16, LineIndex, units

log = logging.getLogger("claimlint.lsp")

SOURCE = "claimlint"
FIX_ALL = "source.fixAll.claimlint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
SUPPRESSIONS_URL = "https://github.com/claimlint/claimlint#inline-suppressions"
META_RULES = ("claimlint/unused-suppression", "claimlint/unknown-suppression")
MARKDOWN_EXTS = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx")
HTML_EXTS = (".html", ".htm", ".xhtml")
WARM_KEY = "\x00warm-up"
WARM_TEXT = "Our drops cure insomnia and are clinically proven."

_META_HELP = {
    "claimlint/unused-suppression": (
        "A `claimlint-disable` comment that suppresses nothing: no finding of the rules it names is "
        "reported where it applies. Remove it (the quick fix does), so that it cannot hide a real "
        "claim added there later."),
    "claimlint/unknown-suppression": (
        "A `claimlint-disable` comment names a rule, pack or category that no loaded pack has -- "
        "usually a misspelt rule id. Correct the id (`claimlint rules` lists them) or remove the "
        "comment."),
}


def _format_for(path: str | None, language_id: str) -> str | None:
    """The format claimlint reads a document as, from its language id, else its file name;
    None when neither says it is prose."""
    fmt = LANGUAGE_FORMATS.get((language_id or "").lower())
    if fmt or not path:
        return fmt
    ext = os.path.splitext(path)[1].lower()
    if ext in MARKDOWN_EXTS:
        return "markdown"
    if ext in HTML_EXTS:
        return "html"
    return None


@dataclass
class Request:
    """One check, as the worker needs it: a snapshot of the document and of the options."""

    uri: str
    version: int | None
    text: str
    language_id: str
    path: str | None
    workspace: str | None
    options: Options
    encoding: str


@dataclass
class Outcome:
    """A finished check: what to publish, and what hover and code actions need."""

    uri: str
    version: int | None
    text: str
    fmt: str | None
    encoding: str
    items: list = field(default_factory=list)        # (Finding, Diagnostic)
    extra: list = field(default_factory=list)        # diagnostics without a finding
    docs: dict = field(default_factory=dict)         # rule id -> RuleDoc
    problem: Problem | None = None
    pack_files: tuple = ()
    seconds: float = 0.0

    @property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [d for _, d in self.items] + self.extra


@dataclass
class DocState:
    uri: str
    text: str
    version: int | None
    language_id: str
    seq: int = 0
    published: Outcome | None = None
    last_edit: float = float("-inf")
    _index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None or self._index.text is not self.text:
            self._index = LineIndex(self.text)
        return self._index


_UNREADABLE = object()


class _Protocol(LanguageServerProtocol):
    """pygls keeps a copy of every open document too; claimlint keeps its own (lines end only at
    CR, LF and CRLF, and a large document is not split into lines on every keystroke), so the
    built-in synchronisation only hands the notifications on.

    A request whose params do not fit its method gets an error response (pygls would log it and
    leave the client waiting for an answer)."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                log.warning("%s: %s", data.get("method"), exc.message)
                self._send_response(data["id"], error=exc.to_response_error())
                return _UNREADABLE
            raise

    def handle_message(self, message):
        if message is _UNREADABLE:
            return None
        return super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def _safe(default=None):
    """Run a handler so that nothing it raises reaches pygls: the server logs it and answers
    ``default``."""
    def wrap(f):
        if asyncio.iscoroutinefunction(f):
            @functools.wraps(f)
            async def run_async(ls, *args):
                try:
                    return await f(ls, *args)
                except Exception:
                    log.exception("%s failed", f.__name__)
                    return default
            return run_async

        @functools.wraps(f)
        def run(ls, *args):
            try:
                return f(ls, *args)
            except Exception:
                log.exception("%s failed", f.__name__)
                return default
        return run
    return wrap


class ClaimlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("claimlint", __version__, protocol_cls=_Protocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.docs: dict[str, DocState] = {}
        self.init_options: dict = {}
        self.client_options: dict | None = None
        self.options = Options()
        self.encoding = UTF16
        self.folders: list[str] = []
        self.engines = Engines()          # the worker thread's alone
        self.worker: Worker | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pack_files: set[str] = set()
        self.problem_files: set[str] = set()
        self.shown: set[str] = set()
        self.checks_done = 0

    # -- plumbing ----------------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source) -> None:
        """A message the server could not read or handle: logged (and sent to the editor's log),
        not shown to the writer as if claimlint had failed."""
        log.error("%s: %s", getattr(source, "__name__", source), error)
        try:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error, message=f"claimlint server: {error}"))
        except Exception:
            pass

    def capability(self, dotted: str) -> Any:
        node: Any = self.client_capabilities
        for part in dotted.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return node

    def start_worker(self) -> None:
        if self.worker is None:
            self.loop = asyncio.get_running_loop()
            self.worker = Worker(self._run_job, self._job_done)

    def workspace_of(self, path: str | None) -> str | None:
        if path:
            best = None
            for folder in self.folders:
                if (path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)) and \
                        (best is None or len(folder) > len(best)):
                    best = folder
            if best:
                return best
        return self.folders[0] if self.folders else None

    def set_options(self) -> None:
        raw = dict(unwrap(self.init_options) or {})
        if isinstance(self.client_options, dict):
            raw.update(unwrap(self.client_options))
        self.options, problems = parse_options(raw)
        for message in problems:
            self.tell(types.MessageType.Warning, f"claimlint: {message}; using the default")

    def tell(self, kind: types.MessageType, message: str, once: bool = True) -> None:
        """``window/showMessage``, once for each distinct message while it stands."""
        if once and message in self.shown:
            return
        self.shown.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def note(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Info,
                                                       message=message))

    # -- scheduling --------------------------------------------------------------------------------
    def schedule(self, doc: DocState, delay: float = 0.0) -> None:
        self.start_worker()
        path = to_fs_path(doc.uri) if doc.uri.startswith("file:") else None
        request = Request(doc.uri, doc.version, doc.text, doc.language_id, path,
                          self.workspace_of(path), self.options, self.encoding)
        doc.seq = self.worker.submit(doc.uri, request, delay).seq

    def recheck_all(self) -> None:
        for doc in self.docs.values():
            self.schedule(doc)

    def warm_up(self) -> None:
        """Load spaCy and the workspace's packs before the first document needs them."""
        self.start_worker()
        folder = self.folders[0] if self.folders else os.getcwd()
        self.worker.submit(WARM_KEY, Request(WARM_KEY, None, WARM_TEXT, "plaintext", None,
                                             folder, self.options, self.encoding))

    # -- the worker thread -------------------------------------------------------------------------
    def _run_job(self, job: Job) -> Outcome | None:
        req: Request = job.payload
        started = time.perf_counter()
        if req.uri == WARM_KEY:
            settings = self.engines.settings_for(req.workspace, req.workspace, req.options)
            engine = self.engines.engine(settings) if not isinstance(settings, Problem) else None
            if isinstance(engine, Engine):
                engine.linter.check_text(WARM_TEXT, path="<text>", format="text")
                log.info("warm in %.2fs", time.perf_counter() - started)
            return None
        out = Outcome(req.uri, req.version, req.text, None, req.encoding)
        try:
            self._check(req, out)
        except Cancelled:
            return None  # a newer version of the document is waiting: its check replaces this one
        except Exception as exc:  # a bug in claimlint must not cost the editor its server
            log.exception("checking %s", req.uri)
            out.items = []
            out.extra = [self._top_diagnostic(
                f"claimlint could not check this document: internal error "
                f"({type(exc).__name__}: {str(exc)[:200]}); please report it",
                types.DiagnosticSeverity.Error)]
        out.pack_files = tuple(self.engines.pack_files())
        out.seconds = time.perf_counter() - started
        return out

    def _check(self, req: Request, out: Outcome) -> None:
        opts = req.options
        if not opts.enable:
            return
        fmt = _format_for(req.path, req.language_id)
        folder = os.path.dirname(req.path) if req.path else (req.workspace or os.getcwd())
        settings = self.engines.settings_for(folder, req.workspace, opts)
        engine = settings if isinstance(settings, Problem) else self.engines.engine(settings)
        if isinstance(engine, Problem):
            if fmt is not None or req.language_id in opts.languages:
                out.problem = engine
                out.extra = [self._top_diagnostic(
                    f"claimlint could not load its configuration, so this document is not "
                    f"checked: {engine}", types.DiagnosticSeverity.Error, code="claimlint/configuration")]
            return
        if req.path:
            if req.path.lower().endswith(UNCHECKED_EXTENSIONS) or engine.excluded(req.path):
                return
            if fmt is None and (req.language_id in opts.languages or engine.included(req.path)):
                fmt = _format_for(req.path, "") or "text"
        elif fmt is None and req.language_id in opts.languages:
            fmt = "text"
        if fmt is None:
            return
        out.fmt = fmt
        text = req.text
        limit = min(opts.max_bytes, engine.settings.max_bytes)
        size = len(text) if len(text) * 4 <= limit else len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            where = ("the editor setting claimlint.maxDocumentSize" if opts.max_bytes <= engine.settings.max_bytes
                     else "max-file-size in the configuration")
            out.extra = [self._top_diagnostic(
                f"claimlint did not check this document: it is {size / 1e6:.1f} MB, over the "
                f"{limit / 1e6:g} MB limit of live checks ({where}). `claimlint check` checks it "
                f"in a terminal.", types.DiagnosticSeverity.Warning, code="claimlint/too-large")]
            return
        worker = self.worker
        result = engine.linter.check_text(
            text, path=req.path or "<text>", format=fmt,
            cancelled=(lambda: worker.pending(req.uri) is not None) if worker is not None else None)
        index = LineIndex(text)
        enc = req.encoding
        for f in result.findings:
            doc = engine.rule_doc(f.rule)
            if doc is not None:
                out.docs[f.rule] = doc
            out.items.append((f, self._diagnostic(f, doc, index, enc)))
        for err in result.errors:
            offset = 0
            if err.line and err.line <= index.line_count:
                offset = index.line_start(err.line - 1) + max((err.column or 1) - 1, 0)
            pos = types.Position(*index.position(offset, enc))
            out.extra.append(types.Diagnostic(
                range=types.Range(pos, pos), message=err.message, source=SOURCE,
                severity=types.DiagnosticSeverity.Error, code="claimlint/error"))

    @staticmethod
    def _diagnostic(f, doc, index: LineIndex, enc: str) -> types.Diagnostic:
        start = types.Position(*index.position(f.start, enc))
        end = types.Position(*index.position(f.end, enc))
        message = f.message
        if f.suggestion:
            message += f"\nHelp: {f.suggestion}"
        href = doc.url if doc is not None else SUPPRESSIONS_URL
        return types.Diagnostic(
            range=types.Range(start, end), message=message, source=SOURCE,
            severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning), code=f.rule,
            code_description=types.CodeDescription(href=href),
            tags=[types.DiagnosticTag.Unnecessary] if f.rule == META_RULES[0] else None,
            data={"rule": f.rule, "category": f.category, "scope": f.scope,
                  "suggestion": f.suggestion, "fix": f.fix is not None})

    @staticmethod
    def _top_diagnostic(message: str, severity, code: str | None = None) -> types.Diagnostic:
        zero = types.Position(0, 0)
        return types.Diagnostic(range=types.Range(zero, zero), message=message, source=SOURCE,
                                severity=severity, code=code)

    def _job_done(self, job: Job, result: Any) -> None:
        """In the worker thread: hand the result to the event loop."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._publish, job, result)

    # -- back on the event loop --------------------------------------------------------------------
    def _publish(self, job: Job, result: Any) -> None:
        try:
            self._publish_outcome(job, result)
        except Exception:
            log.exception("publishing diagnostics")

    def _publish_outcome(self, job: Job, result: Any) -> None:
        if isinstance(result, BaseException):
            log.error("check failed: %r", result)
            return
        if result is None:
            return
        doc = self.docs.get(job.key)
        if doc is None or job.seq != doc.seq:
            return  # closed, or a newer check of this document is on its way
        self.checks_done += 1
        doc.published = result
        self.pack_files = set(result.pack_files)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=doc.uri, version=doc.version, diagnostics=result.diagnostics))
        self._update_problems()

    def _update_problems(self) -> None:
        """Say once what is wrong with a configuration or pack, and mark the line in the broken
        file itself (diagnostics for a file need not wait for it to be opened)."""
        problems: dict[str, Problem] = {}
        for d in self.docs.values():
            if d.published is not None and d.published.problem is not None:
                problems[str(d.published.problem)] = d.published.problem
        for text in [m for m in self.shown if m.startswith("claimlint: configuration problem")]:
            if text[len("claimlint: configuration problem: "):] not in problems:
                self.shown.discard(text)
                self.note("claimlint: the configuration loads again; documents are checked")
        files: dict[str, list[types.Diagnostic]] = {}
        for text, p in problems.items():
            self.tell(types.MessageType.Error, f"claimlint: configuration problem: {text}")
            if p.path:
                line = max((p.line or 1) - 1, 0)
                rng = types.Range(types.Position(line, 0), types.Position(line + 1, 0))
                files.setdefault(from_fs_path(p.path) or p.path, []).append(types.Diagnostic(
                    range=rng, message=p.message, source=SOURCE,
                    severity=types.DiagnosticSeverity.Error, code="claimlint/configuration"))
        for uri in self.problem_files - set(files):
            if uri not in self.docs or self.docs[uri].published is None:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        for uri, diags in files.items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri,
                                                                                  diagnostics=diags))
        self.problem_files = set(files)

    # -- requests ----------------------------------------------------------------------------------
    def current(self, uri: str) -> tuple[DocState, Outcome] | None:
        """A document and its published result, if that result is of the current version."""
        doc = self.docs.get(uri)
        if doc is None or doc.published is None or doc.published.text is not doc.text:
            return None
        return doc, doc.published

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        cur = self.current(params.text_document.uri)
        if cur is None:
            return None
        doc, out = cur
        at = doc.index.offset(params.position.line, params.position.character, self.encoding)
        hits = [(f, d) for f, d in out.items if f.start <= at < f.end or f.start == at == f.end]
        if not hits:
            hits = [(f, d) for f, d in out.items if f.end == at]
        if not hits:
            return None
        hits.sort(key=lambda h: h[0].end - h[0].start)  # the narrowest finding first
        markdown = self._markdown_hover()
        parts = [self._hover_part(f, out.docs.get(f.rule), markdown) for f, _ in hits]
        sep = "\n\n---\n\n" if markdown else "\n\n" + "-" * 40 + "\n\n"
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=sep.join(parts)),
                           range=hits[0][1].range)

    def _markdown_hover(self) -> bool:
        formats = self.capability("text_document.hover.content_format")
        return formats is None or types.MarkupKind.Markdown in formats

    @staticmethod
    def _hover_part(f, doc, markdown: bool) -> str:
        explain = doc.text if doc is not None else _META_HELP.get(f.rule, "")
        url = doc.url if doc is not None else SUPPRESSIONS_URL
        if not markdown:
            head = f"{f.message}" + (f"\nHelp: {f.suggestion}" if f.suggestion else "")
            return f"{head}\n\n{explain}\n\n{url}"
        head = f"**{_md_escape(f.message)}**"
        if f.suggestion:
            head += f"\n\n*Help:* {_md_escape(f.suggestion)}"
        body = explain_markdown(explain) if doc is not None else explain
        return f"{head}\n\n{body}\n\n[`{f.rule}` in the rule reference]({url})"

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        cur = self.current(params.text_document.uri)
        if cur is None:
            return None
        doc, out = cur
        only = params.context.only
        want_quick = not only or any(types.CodeActionKind.QuickFix.startswith(k) for k in only)
        want_all = not only or any(FIX_ALL.startswith(k) for k in only)
        index, enc = doc.index, self.encoding
        a = index.offset(params.range.start.line, params.range.start.character, enc)
        b = index.offset(params.range.end.line, params.range.end.character, enc)
        asked = {(d.range.start.line, d.range.start.character, d.range.end.line,
                  d.range.end.character, str(d.code)) for d in params.context.diagnostics}
        actions: list[types.CodeAction] = []
        if want_quick:
            for f, diag in out.items:
                r = diag.range
                key = (r.start.line, r.start.character, r.end.line, r.end.character, str(diag.code))
                # The diagnostics the client names, or (if it names none) those in the range.
                if not (key in asked if asked else f.start <= b and a <= f.end):
                    continue
                actions.extend(self._finding_actions(doc, out, f, diag))
        if want_all:
            safe = E.non_overlapping(E.fix_edit(f.fix) for f, _ in out.items
                                     if f.fix is not None and f.fix.safe)
            if safe:
                actions.append(types.CodeAction(
                    title=f"claimlint: apply {len(safe)} safe fix{'es' if len(safe) > 1 else ''} "
                          "in this file",
                    kind=FIX_ALL, edit=self._workspace_edit(doc, safe)))
        return actions

    def _finding_actions(self, doc: DocState, out: Outcome, f, diag) -> list[types.CodeAction]:
        actions = []
        if f.fix is not None:
            old = doc.text[f.fix.start:f.fix.end]
            if f.rule == META_RULES[0]:
                title = "Remove the unused suppression"
            elif f.fix.replacement:
                title = f"Replace '{_short(old)}' with '{_short(f.fix.replacement)}'"
            else:
                title = f"Remove '{_short(old)}'"
            actions.append(types.CodeAction(
                title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                is_preferred=f.fix.safe, edit=self._workspace_edit(doc, [E.fix_edit(f.fix)])))
        if f.rule in META_RULES or out.fmt is None:
            return actions
        line_edit = E.suppress_line(doc.text, out.fmt, f.start, f.rule)
        if line_edit is not None:
            actions.append(types.CodeAction(
                title=f"Suppress {f.rule} on this line", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=self._workspace_edit(doc, [line_edit])))
        actions.append(types.CodeAction(
            title=f"Suppress {f.rule} in this file", kind=types.CodeActionKind.QuickFix,
            diagnostics=[diag],
            edit=self._workspace_edit(doc, [E.suppress_file(doc.text, out.fmt, f.rule)])))
        return actions

    def _workspace_edit(self, doc: DocState, edits: list[E.TextEdit]) -> types.WorkspaceEdit:
        index, enc = doc.index, self.encoding
        text_edits = [types.TextEdit(
            range=types.Range(types.Position(*index.position(e.start, enc)),
                              types.Position(*index.position(e.end, enc))),
            new_text=e.new_text) for e in edits]
        if self.capability("workspace.workspace_edit.document_changes"):
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri,
                                                                            version=doc.version),
                edits=text_edits)])
        return types.WorkspaceEdit(changes={doc.uri: text_edits})

    # -- notifications -----------------------------------------------------------------------------
    def opened(self, params: types.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        doc = self.docs[td.uri] = DocState(td.uri, td.text, td.version, td.language_id)
        self.schedule(doc)

    def changed(self, params: types.DidChangeTextDocumentParams) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return
        text = doc.text
        for change in params.content_changes:
            rng = getattr(change, "range", None)
            if rng is None:
                text = change.text
            else:
                index = LineIndex(text)
                a = index.offset(rng.start.line, rng.start.character, self.encoding)
                b = index.offset(rng.end.line, rng.end.character, self.encoding)
                if b < a:
                    a, b = b, a
                text = text[:a] + change.text + text[b:]
        doc.text = text
        doc.version = params.text_document.version
        # The first edit after a pause is checked at once; the edits that follow it within the
        # debounce wait until the typing stops (each one pushes the check back).
        now = time.monotonic()
        quiet = now - doc.last_edit >= self.options.debounce
        doc.last_edit = now
        self.schedule(doc, 0.0 if quiet else self.options.debounce)

    def closed(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if self.docs.pop(uri, None) is not None:
            if self.worker is not None:
                self.worker.cancel(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri,
                                                                                  diagnostics=[]))
            self._update_problems()

    def saved(self, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if self.is_setting_file(uri):
            self.recheck_all()
        elif uri in self.docs:
            self.schedule(self.docs[uri])

    def is_setting_file(self, uri: str) -> bool:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return False
        return (os.path.basename(path) in CONFIG_NAMES or path in self.pack_files
                or from_fs_path(path) in self.problem_files)

    def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        if any(self.is_setting_file(c.uri) for c in params.changes):
            self.recheck_all()


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


_SECTIONS = ("What it finds", "Why it matters", "Regulation and guidance", "How to fix it",
             "Examples that are reported", "Examples that are fine")


def explain_markdown(text: str) -> str:
    """``claimlint explain``'s text as Markdown: its section titles in bold, its lists as
    lists (an example of several paragraphs stays one item), everything else escaped."""
    lines = text.splitlines()
    out: list[str] = []
    in_list = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i == 0:
            rule, _, rest = stripped.partition("  ")
            out.append(f"`{rule}` {_md_escape(rest.strip())}".rstrip())
        elif stripped in _SECTIONS:
            out.append(f"**{stripped}**")
            in_list = False
        elif line.startswith("  - "):
            out.append(f"- {_md_escape(line[4:].strip())}")
            in_list = True
        elif line.startswith(("  ✗ ", "  ✓ ")):
            out.append(f"- {line[2]} {_md_escape(line[4:].strip())}")
            in_list = True
        elif stripped.startswith("Defined in "):
            out.append(f"*Defined in* `{stripped[len('Defined in '):]}`")
            in_list = False
        elif in_list and stripped:
            out.append(f"  {_md_escape(stripped)}")  # more of the list item above
        else:
            out.append(_md_escape(line))
    return "\n".join(out)


def create_server() -> ClaimlintServer:
    server = ClaimlintServer()

    @server.feature(types.INITIALIZE)
    @_safe()
    def initialize(ls: ClaimlintServer, params: types.InitializeParams):
        ls.init_options = params.initialization_options if isinstance(
            params.initialization_options, dict) else {}
        encoding = ls.workspace.position_encoding
        ls.encoding = str(getattr(encoding, "value", encoding) or UTF16)
        folders = [to_fs_path(f.uri) for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [to_fs_path(params.root_uri)]
        elif not folders and params.root_path:
            folders = [params.root_path]
        ls.folders = [os.path.abspath(f) for f in folders if f]
        ls.set_options()
        ls.start_worker()

    @server.feature(types.INITIALIZED)
    @_safe()
    async def initialized(ls: ClaimlintServer, params: types.InitializedParams):
        ls.warm_up()
        if ls.capability("workspace.did_change_watched_files.dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in (
                "**/.claimlint.yaml", "**/.claimlint.yml", "**/pyproject.toml", "**/*.yaml",
                "**/*.yml")]
            ls.client_register_capability(types.RegistrationParams(registrations=[
                types.Registration(id="claimlint-settings-files",
                                   method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                   register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                       watchers=watchers))]))
        if ls.capability("workspace.configuration"):
            await pull_configuration(ls)

    async def pull_configuration(ls: ClaimlintServer) -> None:
        try:
            result = await ls.workspace_configuration_async(types.ConfigurationParams(
                items=[types.ConfigurationItem(section="claimlint")]))
        except Exception as exc:
            log.warning("workspace/configuration failed: %s", exc)
            return
        value = result[0] if result else None
        if isinstance(value, dict) and value != ls.client_options:
            ls.client_options = value
            ls.set_options()
            ls.recheck_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_safe()
    async def configuration_changed(ls: ClaimlintServer, params):
        if ls.capability("workspace.configuration"):
            await pull_configuration(ls)
            return
        settings = params.settings
        if isinstance(settings, dict):
            ls.client_options = settings.get("claimlint", settings)
            ls.set_options()
            ls.recheck_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_safe()
    def did_open(ls: ClaimlintServer, params):
        ls.opened(params)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_safe()
    def did_change(ls: ClaimlintServer, params):
        ls.changed(params)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    @_safe()
    def did_save(ls: ClaimlintServer, params):
        ls.saved(params)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_safe()
    def did_close(ls: ClaimlintServer, params):
        ls.closed(params)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_safe()
    def watched_files(ls: ClaimlintServer, params):
        ls.files_changed(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_safe()
    def hover(ls: ClaimlintServer, params):
        return ls.hover(params)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    @_safe()
    def code_action(ls: ClaimlintServer, params):
        return ls.code_actions(params)

    @server.feature(types.SHUTDOWN)
    @_safe()
    def shutdown(ls: ClaimlintServer, params):
        if ls.worker is not None:
            ls.worker.stop()

    return server


def serve(log_file: str | None = None, verbose: bool = False) -> None:
    """Run the server over stdin and stdout until the client says exit (or closes stdin)."""
    level = logging.DEBUG if verbose else logging.INFO if log_file else logging.WARNING
    handler: logging.Handler = (logging.FileHandler(log_file, encoding="utf-8") if log_file
                                else logging.StreamHandler())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("pygls").setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        create_server().start_io()
    finally:
        # The protocol owns standard output, and the client may have closed it: the command's
        # final flush of it must not turn a clean exit into an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
