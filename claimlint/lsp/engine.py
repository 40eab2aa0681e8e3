"""The checking side of the language server: which settings apply to a document, the warm
:class:`~claimlint.Linter` for them, and the worker thread that runs checks off the event loop.

One worker thread owns every Linter; the event loop never touches one. Settings are found as the
command line finds them (``.claimlint.yaml`` or ``[tool.claimlint]`` from the document's folder
upwards, or the editor's ``configFile``), then the editor's options are applied. A Linter is kept
per distinct settings and pack files, so each configuration root has one warm engine: spaCy and
the packs load once, not per keystroke.

Reloading needs no file watcher to be right: before every check the worker looks at the
modification times of the configuration files that discovery could find and of the pack files in
use (a few ``stat`` calls), and reloads what changed. ``workspace/didChangeWatchedFiles`` only
makes the server re-check at once instead of at the next edit.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

log = logging.getLogger("claimlint.lsp")

CONFIG_NAMES = (".claimlint.yaml", ".claimlint.yml", "pyproject.toml")
# Editor language ids and the format claimlint reads them as.
LANGUAGE_FORMATS = {
    "markdown": "markdown", "mdx": "markdown", "rmd": "markdown", "quarto": "markdown",
    "html": "html", "xhtml": "html",
    "plaintext": "text", "text": "text", "txt": "text",
}
UNCHECKED_EXTENSIONS = (".docx",)  # not text an editor holds


# -- the editor's options ---------------------------------------------------------------------

@dataclass(frozen=True)
class Options:
    """What an editor user can set (``initializationOptions`` or the ``claimlint`` section of
    ``workspace/configuration``), in the server's terms."""

    enable: bool = True
    config_file: str | None = None
    isolated: bool = False
    packs: tuple[str, ...] | None = None
    extend_packs: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()
    debounce: float = 0.25            # seconds between the last edit and the check
    max_document_size: float = 0.5    # megabytes; larger documents are not checked live

    @property
    def max_bytes(self) -> int:
        return int(self.max_document_size * 1_000_000)


_KEYS = {
    "enable": "enable", "configFile": "config_file", "isolated": "isolated", "packs": "packs",
    "extendPacks": "extend_packs", "select": "select", "ignore": "ignore",
    "severity": "severity", "languages": "languages", "debounce": "debounce",
    "maxDocumentSize": "max_document_size",
}


def parse_options(raw: Any) -> tuple[Options, list[str]]:
    """Options from an editor's settings object, and a message for each value that was not
    valid (that value is left at its default; nothing raises)."""
    problems: list[str] = []
    if raw is None:
        return Options(), problems
    if not isinstance(raw, dict):
        return Options(), [f"the claimlint settings must be an object, not {type(raw).__name__}"]
    raw = unwrap(raw)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = _KEYS.get(key) or (key if key in _KEYS.values() else None)
        if name is None:
            problems.append(f"unknown setting claimlint.{key}")
            continue
        if value is None:
            continue
        try:
            values[name] = _convert(name, value)
        except (TypeError, ValueError) as exc:
            problems.append(f"claimlint.{key}: {exc}")
    return Options(**values), problems


def unwrap(raw: Any) -> Any:
    """The settings object itself when a client wraps it in its section name, as some send
    ``{"claimlint": {...}}`` (Helix's ``config``, some initializationOptions)."""
    if isinstance(raw, dict) and isinstance(raw.get("claimlint"), dict):
        rest = {k: v for k, v in raw.items() if k != "claimlint"}
        return {**rest, **raw["claimlint"]}
    return raw


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError("must be a list of strings")
    return tuple(value)


def _convert(name: str, value: Any) -> Any:
    if name in ("enable", "isolated"):
        if not isinstance(value, bool):
            raise TypeError("must be true or false")
        return value
    if name == "config_file":
        if not isinstance(value, str):
            raise TypeError("must be a path")
        return os.path.expanduser(value) if value.strip() else None
    if name in ("packs", "select", "extend_packs", "ignore", "languages"):
        return _strings(value)
    if name == "severity":
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and v in ("error", "warning", "info") for k, v in value.items()):
            raise TypeError("must map rule ids (or globs) to error, warning or info")
        return tuple(value.items())
    if name == "debounce":  # milliseconds
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10_000:
            raise ValueError("must be a number of milliseconds from 0 to 10000")
        return value / 1000
    if name == "max_document_size":  # megabytes
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1000:
            raise ValueError("must be a number of megabytes more than 0")
        return float(value)
    raise TypeError("unknown setting")  # pragma: no cover


# -- settings and engines ---------------------------------------------------------------------

@dataclass
class Problem:
    """Why a document could not be checked with its configuration: a broken configuration
    file, pack or editor setting. ``path`` is absolute when known."""

    message: str
    path: str | None = None
    line: int | None = None
    files: tuple[str, ...] = ()   # the pack files of the settings that failed, to watch

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


@dataclass
class RuleDoc:
    """What hover shows for a rule: ``claimlint explain``'s text and the rule's documentation."""

    url: str
    text: str


@dataclass
class Engine:
    settings: Any
    linter: Any
    config_file: str | None          # absolute
    pack_files: tuple[str, ...]      # absolute paths of the pack files in use
    docs: dict[str, RuleDoc] = field(default_factory=dict)

    def rule_doc(self, rule_id: str) -> RuleDoc | None:
        doc = self.docs.get(rule_id)
        if doc is None:
            from ..explain import explain_text, rule_url

            rule = self.linter.rule(rule_id)
            if rule is None or rule.meta.id != rule_id:
                return None
            doc = self.docs[rule_id] = RuleDoc(rule_url(rule.meta, rule.meta.id), explain_text(rule))
        return doc

    def excluded(self, path: str) -> bool:
        """Whether the configuration's ``exclude`` (or the built-in one: .git/, .venv/, ...)
        keeps this file from being checked, as it does on the command line."""
        return self.linter.files.excluded(path)

    def included(self, path: str) -> bool:
        """Whether the configuration's ``include`` globs name this file."""
        return self.linter.files.included(path)


def _stat(path: str) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (path, st.st_mtime_ns, st.st_size)


def _is_pack_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref


class Engines:
    """The settings and warm Linters for documents, by folder and editor options. Used by the
    worker thread only."""

    MAX_LINTERS = 8

    def __init__(self) -> None:
        # (folder, options) -> (discovery signature, Settings or Problem)
        self._settings: dict[tuple, tuple[tuple, Any]] = {}
        self._linters: OrderedDict[tuple, Engine | Problem] = OrderedDict()

    @staticmethod
    def discovery_signature(folder: str, options: Options) -> tuple:
        """What configuration discovery from ``folder`` depends on: every candidate file at or
        above it, with its modification time and size."""
        sig = []
        if options.config_file:
            sig.append(_stat(options.config_file) or (options.config_file, None, None))
        elif not options.isolated:
            d = folder
            while True:
                for name in CONFIG_NAMES:
                    s = _stat(os.path.join(d, name))
                    if s is not None:
                        sig.append(s)
                parent = os.path.dirname(d)
                if parent == d:
                    break
                d = parent
        return tuple(sig)

    def settings_for(self, folder: str, workspace: str | None, options: Options):
        """The Settings for documents in ``folder`` (or a Problem)."""
        key = (folder, workspace, options)
        sig = self.discovery_signature(folder, options)
        cached = self._settings.get(key)
        if cached is not None and cached[0] == sig:
            return cached[1]
        value = self._load_settings(folder, workspace, options)
        if len(self._settings) > 256:
            self._settings.clear()
        self._settings[key] = (sig, value)
        return value

    @staticmethod
    def _load_settings(folder: str, workspace: str | None, options: Options):
        from ..errors import ClaimlintError
        from ..settings import Settings

        base = workspace or folder

        def absolute(ref: str) -> str:
            ref = os.path.expanduser(ref)
            return os.path.normpath(os.path.join(base, ref)) if _is_pack_path(ref) else ref

        config = options.config_file
        if config and not os.path.isabs(config):
            config = os.path.normpath(os.path.join(base, config))
        try:
            settings = Settings.load(
                config, start=folder, isolated=options.isolated and not config,
                packs=[absolute(p) for p in options.packs] if options.packs is not None else None,
                extend_packs=[absolute(p) for p in options.extend_packs],
                select=list(options.select) if options.select is not None else None,
                ignore=list(options.ignore), severity=dict(options.severity) or None)
            if settings.config_file is None:
                # No configuration file: globs are relative to the workspace, not to wherever
                # the editor started the server.
                settings = settings.with_options(root=base)
        except ClaimlintError as exc:
            return _problem(exc)
        except Exception as exc:  # never let a configuration take the server down
            log.exception("loading the configuration")
            return Problem(f"could not load the configuration: {type(exc).__name__}: {exc}")
        return settings

    def engine(self, settings) -> Engine | Problem:
        """The warm Linter for ``settings`` (built, or rebuilt when a pack file changed)."""
        packs = tuple(p for p in (settings.packs or ()) + settings.extend_packs if _is_pack_path(p))
        key = (settings, tuple(_stat(p) or (p, None, None) for p in packs))
        hit = self._linters.get(key)
        if hit is not None:
            self._linters.move_to_end(key)
            return hit
        from ..errors import ClaimlintError
        from ..linter import Linter

        try:
            linter = Linter(settings)
            config = (os.path.join(settings.root, os.path.basename(settings.config_file))
                      if settings.config_file else None)
            value: Engine | Problem = Engine(settings, linter, config, packs)
        except ClaimlintError as exc:
            value = _problem(exc)
            value.files = packs
        except Exception as exc:
            log.exception("loading the rule packs")
            value = Problem(f"could not load the rule packs: {type(exc).__name__}: {exc}", None,
                            None, packs)
        # A file that changed is reloaded under a new key; drop the engines it replaces.
        for old in [k for k in self._linters if k[0] == settings]:
            del self._linters[old]
        self._linters[key] = value
        while len(self._linters) > self.MAX_LINTERS:
            self._linters.popitem(last=False)
        return value

    def pack_files(self) -> set[str]:
        """Every pack file an engine uses or failed on: the files worth watching."""
        out: set[str] = set()
        for value in self._linters.values():
            out.update(value.pack_files if isinstance(value, Engine) else value.files)
            if isinstance(value, Problem) and value.path:
                out.add(value.path)
        return out


def _problem(exc) -> Problem:
    path = getattr(exc, "path", None)
    if path:
        path = os.path.abspath(path)
    return Problem(getattr(exc, "message", str(exc)), path, getattr(exc, "line", None))


# -- the worker -------------------------------------------------------------------------------

@dataclass
class Job:
    """Check ``text`` (one version of one document). ``key`` is the document's URI: a newer job
    for the same key replaces one not started yet."""

    key: str
    seq: int = 0
    payload: Any = None
    due: float = 0.0
    submitted: float = 0.0


class Worker:
    """A thread that runs jobs one at a time, each when its debounce has passed.

    ``submit`` replaces any waiting job of the same key (stale versions are dropped before they
    cost anything); ``cancel`` drops it. A job that is already running cannot be interrupted --
    the Linter has no cancellation point -- so its result carries the job's sequence number and
    the server publishes only the newest. ``handler(job)`` runs in the thread; ``deliver(job,
    result)`` is called with its result (or the exception it raised) in the thread too.
    """

    def __init__(self, handler: Callable[[Job], Any], deliver: Callable[[Job, Any], None],
                 name: str = "claimlint-checks"):
        self._handler = handler
        self._deliver = deliver
        self._cond = threading.Condition()
        self._pending: dict[str, Job] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._order = itertools.count()
        self._seq = itertools.count(1)
        self._stopped = False
        self.running: Job | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: str, payload: Any, delay: float = 0.0) -> Job:
        now = time.monotonic()
        job = Job(key, next(self._seq), payload, now + max(delay, 0.0), now)
        with self._cond:
            self._pending[key] = job
            heapq.heappush(self._heap, (job.due, next(self._order), key))
            self._cond.notify()
        return job

    def cancel(self, key: str) -> None:
        with self._cond:
            self._pending.pop(key, None)

    def pending(self, key: str) -> Job | None:
        with self._cond:
            return self._pending.get(key)

    def stop(self, timeout: float | None = 0) -> None:
        with self._cond:
            self._stopped = True
            self._pending.clear()
            self._cond.notify()
        if timeout:
            self._thread.join(timeout)

    def _next(self) -> Job | None:
        with self._cond:
            while True:
                if self._stopped:
                    return None
                while self._heap:
                    due, _, key = self._heap[0]
                    job = self._pending.get(key)
                    if job is None or job.due != due:
                        heapq.heappop(self._heap)  # replaced or cancelled
                        continue
                    break
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                _, _, key = heapq.heappop(self._heap)
                job = self._pending.pop(key)
                self.running = job
                return job

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            try:
                result = self._handler(job)
            except BaseException as exc:  # reported by deliver; the thread goes on
                result = exc
            finally:
                self.running = None
            try:
                self._deliver(job, result)
            except Exception:
                log.exception("delivering a result")
