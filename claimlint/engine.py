"""The engine: which rules apply to which file, and running them over documents.

For each document the engine asks every enabled rule's pre-filter whether it could fire; only the
blocks that some active rule needs go through the NLP pipeline, and a document no rule can fire on
is finished without importing spaCy. Rules that fail (a regex over its time limit, a bug) become
diagnostics for that file; the other rules and files are still checked.
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator

import pathspec

from . import sources
from .config import DEFAULT_EXCLUDE, Config, glob_match
from .document import Document
from .errors import ClaimlintError, InputError, UsageError, dependency_error
from .findings import Diagnostic, FileResult, Finding
from .kinds import AnalyzedDocument, Rule
from .kinds.base import render
from .kinds.terms import RegexTimeout
from .packs import Pack, default_pack_names, load_pack
from .prefilter import DocumentFeatures

STDIN = "-"


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: str

    @property
    def id(self) -> str:
        return self.rule.meta.id


def _selector_matches(sel: str, rule: Rule) -> bool:
    if sel.startswith("category:"):
        return rule.meta.category == sel[len("category:"):]
    return glob_match(sel, rule.meta.id)


def _is_glob(sel: str) -> bool:
    return any(c in sel for c in "*?[")


class Engine:
    def __init__(self, config: Config | None = None, *, select: list[str] | None = None,
                 ignore: Iterable[str] = (), packs: list[str] | None = None,
                 model: str | None = None, prefilter: bool = True, cache: bool = False,
                 trigger_cache: bool = False):
        self.config = config or Config()
        cfg = self.config
        pack_refs = packs if packs is not None else cfg.packs
        if pack_refs is None:
            pack_refs = default_pack_names()
        self.packs: list[Pack] = []
        names: dict[str, str] = {}
        for ref in pack_refs:
            pack = load_pack(ref, cfg.root)
            if pack.name in names and names[pack.name] != pack.path:
                raise ClaimlintError(f"two packs are named {pack.name!r}: {names[pack.name]} and "
                                     f"{pack.path}; rename one")
            if pack.name in names:
                continue
            names[pack.name] = pack.path
            self.packs.append(pack)
        self.all_rules: list[Rule] = [r for p in self.packs for r in p.rules]
        self.select = select if select is not None else cfg.select
        self.ignore = list(cfg.ignore) + list(ignore)
        self._check_selectors(self.select or [], "select")
        self._check_selectors(self.ignore, "ignore")
        for o in cfg.overrides:
            self._check_selectors(o.select or [], "overrides: select")
            self._check_selectors(o.ignore, "overrides: ignore")
        self._check_selectors(list(cfg.severity), "severity")
        self.model = model if model is not None else cfg.model
        self.prefilter = prefilter and self.model is None
        self._exclude = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE + list(cfg.exclude))
        self._include = pathspec.GitIgnoreSpec.from_lines(cfg.include)
        self._rules_cache: dict[tuple, list[ActiveRule]] = {}
        self._sig_cache: dict[int, str] = {}
        self.base_rules = self._select(self.select, self.ignore, cfg.severity)
        self.cache = None
        from .cache import ResultCache, engine_signature, load_triggers, save_triggers

        sig = engine_signature([p.path if p.builtin else os.path.abspath(p.path) for p in self.packs],
                               self.model, f"prefilter={self.prefilter}")
        cache_root = cfg.cache_dir or cfg.root
        if cache and cfg.cache:
            self.cache = ResultCache(cache_root, sig)
        if trigger_cache and cfg.cache and self.prefilter:
            if not load_triggers(cache_root, sig, self.all_rules):
                save_triggers(cache_root, sig, self.all_rules)
        self._init_args = (config, select, list(ignore), packs, model, prefilter)

    # -- rule selection -------------------------------------------------------------------------
    def _check_selectors(self, selectors: list[str], where: str) -> None:
        from .suppressions import META_RULES

        for sel in selectors:
            if _is_glob(sel) or sel in META_RULES or sel == "claimlint":
                continue
            if not any(_selector_matches(sel, r) for r in self.all_rules):
                known = [r.meta.id for r in self.all_rules] + [p.name for p in self.packs]
                from .kinds.base import did_you_mean

                raise UsageError(f"{where}: unknown rule, pack or category {sel!r}"
                                 + did_you_mean(sel, known))

    def _select(self, select, ignore, severity: dict[str, str]) -> list[ActiveRule]:
        out = []
        for r in self.all_rules:
            if select is None:
                on = r.meta.enabled
            else:
                on = any(_selector_matches(s, r) and (r.meta.enabled or not _is_glob(s)
                                                       and s == r.meta.id) for s in select)
            if on and any(_selector_matches(s, r) for s in ignore):
                on = False
            if not on:
                continue
            sev = r.meta.severity
            for pat, level in severity.items():
                if _selector_matches(pat, r):
                    sev = level
            out.append(ActiveRule(r, sev))
        return out

    def rules_for(self, relpath: str) -> list[ActiveRule]:
        """The rules that apply to a file, after per-path overrides."""
        cfg = self.config
        if not cfg.overrides or relpath in ("<stdin>", "<text>"):
            return self.base_rules
        hits = tuple(i for i, o in enumerate(cfg.overrides)
                     if pathspec.GitIgnoreSpec.from_lines(o.files).match_file(relpath))
        if not hits:
            return self.base_rules
        cached = self._rules_cache.get(hits)
        if cached is not None:
            return cached
        select = self.select
        ignore = list(self.ignore)
        severity = dict(cfg.severity)
        for i in hits:
            o = cfg.overrides[i]
            if o.select is not None:
                select = o.select
            ignore += o.ignore
            severity.update(o.severity)
        rules = self._select(select, ignore, severity)
        self._rules_cache[hits] = rules
        return rules

    # -- files ----------------------------------------------------------------------------------
    def relpath(self, path: str) -> str:
        """A path relative to the configuration's directory, for include/exclude matching."""
        ap = os.path.abspath(path)
        root = self.config.root
        try:
            rel = os.path.relpath(ap, root)
        except ValueError:
            rel = ap
        if rel.startswith(".."):
            rel = os.path.relpath(ap) if not os.path.relpath(ap).startswith("..") else ap.lstrip("/")
        return display_path(rel.replace(os.sep, "/"))

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        rel = self.relpath(path)
        return self._exclude.match_file(rel + "/" if is_dir else rel)

    def discover(self, paths: list[str]) -> Iterator[tuple[str, str | None]]:
        """Yield (path, error) for every file to check, in a stable order.

        Explicit files are checked whatever their extension, unless the configuration excludes
        them; directories are walked for files matching ``include``.
        """
        seen: set[str] = set()
        for p in paths:
            if p == STDIN:
                yield p, None
                continue
            display = _clean(p)
            if not os.path.lexists(p):
                yield display, "no such file or directory"
                continue
            if os.path.isdir(p):
                if self.excluded(p, True) and _clean(p) not in (".", ""):
                    continue
                yield from self._walk(p, seen)
                continue
            if not os.path.exists(p):
                yield display, "broken symbolic link"
                continue
            if self.excluded(p):
                continue
            key = os.path.realpath(p)
            if key in seen:
                continue
            seen.add(key)
            yield display, None

    def _walk(self, top: str, seen: set[str]) -> Iterator[tuple[str, str | None]]:
        errors: list[tuple[str, str]] = []
        visited: set[tuple[int, int]] = set()

        def onerror(exc: OSError) -> None:
            errors.append((_clean(exc.filename or top), exc.strerror or str(exc)))

        found: list[tuple[str, str | None]] = []
        for dirpath, dirnames, filenames in os.walk(top, onerror=onerror, followlinks=True):
            try:
                st = os.stat(dirpath)
                key = (st.st_dev, st.st_ino)
            except OSError:
                key = None
            if key is not None:
                if key in visited:
                    dirnames[:] = []
                    continue
                visited.add(key)
            dirnames[:] = sorted(d for d in dirnames
                                 if not self.excluded(os.path.join(dirpath, d), True))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = self.relpath(full)
                if not self._include.match_file(rel) or self._exclude.match_file(rel):
                    continue
                if not os.path.exists(full):
                    found.append((_clean(full), "broken symbolic link"))
                    continue
                real = os.path.realpath(full)
                if real in seen:
                    continue
                seen.add(real)
                found.append((_clean(full), None))
        for path, msg in errors:
            found.append((path, msg))
        found.sort(key=lambda x: x[0])
        yield from found

    # -- checking -------------------------------------------------------------------------------
    def check_paths(self, paths: list[str], stdin_filename: str | None = None,
                    keep_documents: bool = False, jobs: int = 1,
                    progress=None) -> Iterator[FileResult]:
        """Check every file ``paths`` names, yielding results in path order.

        With ``jobs`` > 1 and enough files, worker processes check files in parallel; results are
        still yielded in the same order, so the output is the same whatever ``jobs`` is.
        """
        found = sorted(self.discover(paths),
                       key=lambda x: (stdin_filename or "<stdin>") if x[0] == STDIN else x[0])
        files = [p for p, err in found if not err and p != STDIN]
        parallel = jobs > 1 and len(files) >= PARALLEL_MIN_FILES
        results = _parallel(self, files, jobs) if parallel else None
        for done, (path, error) in enumerate(found):
            if progress is not None:
                progress(done, len(found))
            if error:
                shown = display_path(path)
                yield FileResult(shown, diagnostics=[Diagnostic(shown, error)])
            elif path == STDIN:
                yield self.check_stdin(stdin_filename, keep_documents)
            elif results is not None:
                result = next(results)
                if keep_documents and not result.diagnostics:
                    # Workers send findings only; the document is re-read here (no NLP needed).
                    try:
                        result.document = sources.load(path, path, self.config.max_bytes)
                    except InputError:
                        pass
                yield result
            else:
                yield self.check_file(path, keep_documents=keep_documents)
        if progress is not None:
            progress(len(found), len(found))

    def check_stdin(self, filename: str | None, keep_documents: bool = False) -> FileResult:
        display = filename or "<stdin>"
        data = sys.stdin.buffer.read()
        return self.check_file(display, data=data, keep_documents=keep_documents, use_cache=False)

    def check_file(self, path: str, data: bytes | None = None, keep_documents: bool = False,
                   use_cache: bool = True) -> FileResult:
        display = display_path(path)
        try:
            if data is None:
                data = sources.read_bytes(path, display, self.config.max_bytes)
            rules = self.rules_for(self.relpath(path))
            key = None
            if use_cache and self.cache is not None:
                key = self.cache.key(data, self._rules_signature(rules), sources.format_for(path))
                cached = self.cache.get(key, display)
                if cached is not None:
                    result = FileResult(display, findings=cached)
                    if keep_documents:
                        result.document = sources.load(path, display, data=data)
                    return result
            doc = sources.load(path, display, data=data)
        except InputError as exc:
            return FileResult(display, diagnostics=[Diagnostic(display, exc.message, exc.line,
                                                               exc.column)])
        except ClaimlintError:
            raise
        except Exception as exc:  # a reader bug must not stop the other files being checked
            _raise_if_missing_dependency(exc)
            return FileResult(display, diagnostics=[_internal_error(display, "reading", exc)])
        try:
            result = self.check_document(doc, rules)
        except ClaimlintError:
            raise
        except Exception as exc:
            _raise_if_missing_dependency(exc)
            return FileResult(display, diagnostics=[_internal_error(display, "checking", exc)])
        if key is not None and not result.diagnostics:
            self.cache.put(key, result.findings)
        if keep_documents:
            result.document = doc
        return result

    def warm(self) -> None:
        """Build the pipeline and prepare every selected rule now rather than on first use."""
        from .nlp.pipeline import get_pipeline

        nlp = get_pipeline(self.model)
        rules = {id(ar.rule): ar.rule for ar in self.base_rules}
        for per_path in self._rules_cache.values():
            rules.update((id(ar.rule), ar.rule) for ar in per_path)
        for rule in rules.values():
            rule.ensure_prepared(nlp)
            rule.triggers()

    def _rules_signature(self, rules: list[ActiveRule]) -> str:
        sig = self._sig_cache.get(id(rules))
        if sig is None:
            from .suppressions import META_RULES

            parts = [f"{ar.id}={ar.severity}" for ar in rules]
            parts += [f"{m}={self._meta_rule_on(m)}" for m in META_RULES]
            sig = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
            self._sig_cache[id(rules)] = sig
        return sig

    def check_document(self, doc: Document, rules: list[ActiveRule] | None = None) -> FileResult:
        result = FileResult(doc.path)
        if rules is None:
            rules = self.rules_for(self.relpath(doc.path))
        findings = self._findings(doc, rules, result)
        if doc.comments:
            from . import suppressions

            known = {r.meta.id: r.meta.category for r in self.all_rules}
            findings = suppressions.apply(doc, findings, known, {ar.id for ar in rules})
            findings = [f for f in findings
                        if f.rule not in suppressions.META_RULES or self._meta_rule_on(f.rule)]
        assign_fingerprints(findings)
        result.findings = findings
        return result

    def _meta_rule_on(self, rule_id: str) -> bool:
        """claimlint's own rules (unused suppressions): on unless ignored, or left out of --select."""
        if any(glob_match(s, rule_id) for s in self.ignore):
            return False
        return self.select is None or any(glob_match(s, rule_id) for s in self.select)

    def _findings(self, doc: Document, rules: list[ActiveRule], result: FileResult) -> list[Finding]:
        if not rules or not doc.blocks:
            return []
        plan = self._plan(doc, rules)
        if plan is None:
            return []
        needed = sorted({i for _, blocks in plan for i in blocks})
        from .document import join_blocks
        from .nlp.pipeline import analyse, get_pipeline

        nlp = get_pipeline(self.model)
        # The blocks that some rule needs are analysed together, as one spaCy Doc: the per-Doc
        # costs of the pipeline and of every rule's matchers are paid once per document.
        joined = join_blocks([doc.blocks[i] for i in needed])
        (_, sdoc), = analyse(nlp, [joined])
        adoc = AnalyzedDocument(doc, [(-1, joined, sdoc)])
        an = sdoc._.cl
        position = {i: k for k, i in enumerate(needed)}
        starts = joined.breaks or [0]
        findings: list[Finding] = []
        for ar, blocks in plan:
            rule = ar.rule
            # A rule matches only in the blocks its own words occur in: its token ranges.
            if len(blocks) == len(needed):
                an.scope = None
            else:
                ranges = []
                for i in blocks:
                    k = position[i]
                    a = starts[k]
                    toks = an.tokens_of(a, a + len(doc.blocks[i].text))
                    if toks is None:
                        continue
                    if ranges and ranges[-1][1] == toks[0]:
                        ranges[-1] = (ranges[-1][0], toks[1])
                    else:
                        ranges.append(toks)
                an.scope = ranges
            try:
                rule.ensure_prepared(nlp)
                for hit in rule.check(adoc):
                    findings.append(self._finding(doc, adoc, ar, hit))
            except RegexTimeout as exc:
                result.diagnostics.append(Diagnostic(
                    doc.path, f"rule {rule.meta.id}: the regex '{exc.pattern}' exceeded its time "
                              f"limit; the rule was stopped for this file (fix the pattern in "
                              f"{rule.meta.path}:{rule.meta.line})"))
            except ClaimlintError:
                raise
            except Exception as exc:  # a rule bug must not lose the other rules' findings
                result.diagnostics.append(Diagnostic(
                    doc.path, f"rule {rule.meta.id} failed: {type(exc).__name__}: {exc}"))
        findings.sort(key=Finding.sort_key)
        return findings

    def _plan(self, doc: Document, rules: list[ActiveRule]):
        """For each rule that can fire on the document, the blocks it must see; None if none can."""
        every = list(range(len(doc.blocks)))
        if not self.prefilter:
            return [(ar, every) for ar in rules]
        feats = DocumentFeatures([b.text for b in doc.blocks])
        plan = []
        for ar in rules:
            fire, analysis = ar.rule.triggers()
            if fire is not None and not feats.passing(fire):
                continue
            blocks = every if analysis is None else sorted(feats.passing(analysis))
            test = ar.rule.block_filter() if blocks else None
            if test is not None:
                try:
                    blocks = [i for i in blocks if test(feats.features[i])]
                except RegexTimeout:
                    pass  # every block stays: the rule reports the pattern when it runs
            if blocks:
                plan.append((ar, blocks))
        return plan or None

    def _finding(self, doc: Document, adoc: AnalyzedDocument, ar: ActiveRule, hit) -> Finding:
        _, block, _ = adoc.items[hit.block]
        a, b = block.map.span(hit.start, hit.end)
        line, col = doc.position(a)
        end_line, end_col = doc.position(b)
        meta = ar.rule.meta
        values = dict(hit.values)
        context = block.text[hit.sent_start:hit.sent_end]
        fix = None
        if meta.fix is not None and doc.format in ("text", "markdown", "html"):
            # Only where the original holds exactly the matched words (no markup inside them).
            original = doc.text[a:b]
            if original == values.get("match"):
                from .fixes import Edit, match_case

                fix = Edit(a, b, match_case(render(meta.fix["replace"], values), original),
                           bool(meta.fix.get("safe", False)))
        return Finding(
            path=doc.path, rule=meta.id, category=meta.category, severity=ar.severity,
            message=render(meta.message, values), line=line, column=col, end_line=end_line,
            end_column=end_col, excerpt=doc.text[a:b],
            suggestion=render(meta.suggestion, values) if meta.suggestion else None,
            start=a, end=b, scope=ar.rule.scope, context=context,
            context_start=max(hit.start - hit.sent_start, 0),
            context_end=max(min(hit.end, hit.sent_end) - hit.sent_start, 0),
            fix=fix,
        )


PARALLEL_MIN_FILES = 16  # below this, starting workers (each loads spaCy) costs more than it saves

_worker_engine: Engine | None = None
_parent_engine: Engine | None = None  # inherited by forked workers, pipeline and rules ready


def _raise_if_missing_dependency(exc: BaseException) -> None:
    """A missing dependency is no bug in one file: it stops the run with one clear line."""
    if isinstance(exc, ModuleNotFoundError):
        err = dependency_error(exc)
        if err is not None:
            raise err from None


def _internal_error(display: str, stage: str, exc: BaseException) -> Diagnostic:
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else ""
    return Diagnostic(display, f"internal error while {stage} the file ({type(exc).__name__}{where}: "
                               f"{str(exc)[:200]}); the file was not checked -- please report it")


def _worker_init(args: tuple, cache: bool) -> None:
    global _worker_engine
    if _parent_engine is not None:
        _worker_engine = _parent_engine
        return
    config, select, ignore, packs, model, prefilter = args
    _worker_engine = Engine(config, select=select, ignore=ignore, packs=packs, model=model,
                            prefilter=prefilter, cache=cache)


def _worker_check(paths: list[str]) -> list[FileResult]:
    assert _worker_engine is not None
    return [_worker_engine.check_file(p) for p in paths]


def _parallel(engine: Engine, files: list[str], jobs: int) -> Iterator[FileResult]:
    """Results of ``files`` checked by ``jobs`` worker processes, in order, with a bounded queue.

    Files go to the workers in small batches: one task per file costs the parent a round trip per
    file, and on a machine with as many workers as cores the parent's time is taken from them."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    global _parent_engine
    try:
        ctx = multiprocessing.get_context("fork")
        # Build the pipeline and every rule's matchers once, here: forked workers inherit them
        # instead of each importing spaCy and compiling the packs again.
        engine.warm()
        _parent_engine = engine
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
    # Enough batches to keep every worker busy to the end, none larger than 16 files.
    size = max(1, min(16, len(files) // (jobs * 8)))
    batches = (files[i:i + size] for i in range(0, len(files), size))
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                             initargs=(engine._init_args, engine.cache is not None)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_worker_check, batch))
            if len(pending) >= window:
                break
        while pending:
            results = pending.popleft().result()
            nxt = next(batches, None)
            if nxt is not None:
                pending.append(pool.submit(_worker_check, nxt))
            yield from results


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def assign_fingerprints(findings: list[Finding]) -> None:
    """Give each finding a fingerprint that survives line shifts and unrelated edits.

    It hashes the rule, the sentence the finding is in and the matched text -- not the line or
    column -- plus a counter for identical sentences in the same file, so it changes only when the
    sentence itself changes.
    """
    seen: dict[str, int] = {}
    for f in findings:
        base = f"{f.rule}\x00{_norm(f.context)}\x00{_norm(f.excerpt)}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        f.fingerprint = hashlib.sha256(f"{base}\x00{n}".encode("utf-8")).hexdigest()[:20]


def display_path(path: str) -> str:
    """A path that can be printed: bytes that were not UTF-8 in a file name appear as \\xNN."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _clean(path: str) -> str:
    """Normalise a displayed path without making it absolute (``./a//b`` -> ``a/b``)."""
    if path in ("", "."):
        return path or "."
    p = os.path.normpath(path)
    return p.replace(os.sep, "/") if os.sep != "/" else p


def check_text(text: str, path: str = "<text>", fmt: str | None = None,
               config: Config | None = None, **engine_kw) -> list[Finding]:
    """Check a string; returns its findings. ``fmt`` is ``markdown``, ``html`` or ``text``
    (default: from the extension of ``path``)."""
    engine = Engine(config, **engine_kw)
    doc = sources.parse(text, path, fmt)
    return engine.check_document(doc).findings
