"""The linter: which rules apply to which file, and running them over documents.

:class:`Linter` is claimlint's library interface; the command line, ``--jobs`` workers, the
language server and the Spark job all use it::

    from claimlint import Linter, Settings

    linter = Linter(Settings.load())
    result = linter.check_text(open("post.md").read(), path="post.md")
    for finding in result.findings:
        print(finding.line, finding.column, finding.message)

For each document the linter asks the pre-filter which enabled rules could fire and on which
blocks; only those blocks go through the NLP pipeline, and a document no rule can fire on is
finished without importing spaCy. Rules that fail (a regex over its time limit, a bug) become
errors of that file; the other rules and files are still checked.
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from typing import Callable, Iterator

from . import selectors, sources
from .discovery import STDIN, VIRTUAL_PATHS, FileFinder, display_path
from .document import Document
from .errors import Cancelled, ClaimlintError, InputError, UsageError, dependency_error
from .findings import FileError, FileResult, Finding, one_per_span
from .kinds import AnalyzedDocument, Rule
from .kinds.base import render
from .packs import Pack, default_pack_names, load_pack
from .prefilter import Prefilter
from .saferegex import RegexTimeout, budget_for, regex_budget
from .schema import did_you_mean
from .settings import Settings


@dataclass(frozen=True)
class ActiveRule:
    """A rule enabled for a file, with the severity it reports at there."""

    rule: Rule
    severity: str

    @property
    def id(self) -> str:
        return self.rule.meta.id


def _selects(sel: str, rule: Rule) -> bool:
    return selectors.matches(sel, rule.meta.id, rule.meta.category)


class Linter:
    """Rules loaded and selected once from :class:`~claimlint.settings.Settings`, ready to check
    any number of texts and files. Not thread-safe: use one Linter per thread or process.

    ``cache=True`` keeps results of unchanged files, and the packs' compiled triggers, in the
    settings' cache folder (``.claimlint_cache/``) when the settings allow it; by default nothing
    is written to disk.
    """

    def __init__(self, settings: Settings | None = None, *, cache: bool = False):
        self.settings = settings = settings or Settings()
        pack_refs = list(settings.packs if settings.packs is not None else default_pack_names())
        pack_refs += settings.extend_packs
        self.packs: list[Pack] = []
        names: dict[str, str] = {}
        for ref in pack_refs:
            pack = load_pack(ref, settings.root)
            if pack.name in names and names[pack.name] != pack.path:
                raise ClaimlintError(f"two packs are named {pack.name!r}: {names[pack.name]} and "
                                     f"{pack.path}; rename one")
            if pack.name in names:
                continue
            names[pack.name] = pack.path
            self.packs.append(pack)
        self.rules: list[Rule] = [r for p in self.packs for r in p.rules]
        self._check_selectors(settings.select or (), "select", globs_must_match=True)
        self._check_selectors(settings.ignore, "ignore")
        for o in settings.overrides:
            self._check_selectors(o.select or (), "overrides: select")
            self._check_selectors(o.ignore, "overrides: ignore")
        self._check_selectors([s for s, _ in settings.severity], "severity")
        use_prefilter = settings.prefilter and settings.model is None
        self.prefilter = Prefilter(self.rules) if use_prefilter else None
        self.files = FileFinder(settings)
        self._rules_cache: dict[tuple, list[ActiveRule]] = {}
        self._sig_cache: dict[int, str] = {}
        self.enabled = self._select(settings.select, settings.ignore, settings.severity)
        self.cache = None
        if cache and settings.cache:
            from .cache import ResultCache, engine_signature, load_prefilter, save_prefilter

            sig = engine_signature(
                [p.path if p.builtin else os.path.abspath(p.path) for p in self.packs],
                settings.model, f"prefilter={use_prefilter}")
            cache_root = settings.cache_dir or settings.root
            if settings.cache_dir:  # inside the project (Settings checks it): made when missing
                try:
                    os.makedirs(cache_root, exist_ok=True)
                except OSError:
                    pass  # then the cache is off, as for a folder that cannot be written
            self.cache = ResultCache(cache_root, sig)
            if self.prefilter is not None:
                saved = load_prefilter(cache_root, sig)
                if saved is None or not self.prefilter.load(saved):
                    save_prefilter(cache_root, sig, self.prefilter.to_json())

    # -- rules ----------------------------------------------------------------------------------
    def rule(self, rule_id: str) -> Rule | None:
        """The loaded rule with this id (``claims/cure-claim``) or name (``cure-claim``)."""
        for r in self.rules:
            if r.meta.id == rule_id:
                return r
        for r in self.rules:
            if r.meta.name == rule_id:
                return r
        return None

    def _check_selectors(self, sels, where: str, globs_must_match: bool = False) -> None:
        """An id, pack or category that names nothing is a mistake; so is a ``select`` glob that
        matches no rule (the run would check nothing). An ``ignore`` glob may match nothing: a
        pack may not be installed everywhere."""
        from .suppressions import META_RULES

        for sel in sels:
            if sel in META_RULES or sel == "claimlint":
                continue
            if selectors.is_glob(sel):
                if globs_must_match and not any(_selects(sel, r) for r in self.rules) \
                        and not any(selectors.id_matches(sel, m) for m in META_RULES):
                    raise UsageError(f"{where}: {sel!r} matches no rule; the packs are "
                                     f"{', '.join(p.name for p in self.packs)}")
                continue
            if not any(_selects(sel, r) for r in self.rules):
                known = [r.meta.id for r in self.rules] + [p.name for p in self.packs]
                raise UsageError(f"{where}: unknown rule, pack or category {sel!r}"
                                 + did_you_mean(sel, known))

    def _select(self, select, ignore, severity) -> list[ActiveRule]:
        out = []
        for r in self.rules:
            if select is None:
                on = r.meta.enabled
            else:
                on = any(_selects(s, r) and (r.meta.enabled or not selectors.is_glob(s)
                                             and s == r.meta.id) for s in select)
            if on and any(_selects(s, r) for s in ignore):
                on = False
            if not on:
                continue
            sev = r.meta.severity
            for pat, level in severity:
                if _selects(pat, r):
                    sev = level
            out.append(ActiveRule(r, sev))
        return out

    def rules_for(self, path: str) -> list[ActiveRule]:
        """The rules that apply to a file, after the settings' per-path overrides."""
        s = self.settings
        relpath = self.files.relpath(path) if path not in VIRTUAL_PATHS else path
        if not s.overrides or relpath in VIRTUAL_PATHS:
            return self.enabled
        import pathspec

        hits = tuple(i for i, o in enumerate(s.overrides)
                     if pathspec.GitIgnoreSpec.from_lines(o.files).match_file(relpath))
        if not hits:
            return self.enabled
        cached = self._rules_cache.get(hits)
        if cached is not None:
            return cached
        select = s.select
        ignore = list(s.ignore)
        severity = list(s.severity)
        for i in hits:
            o = s.overrides[i]
            if o.select is not None:
                select = o.select
            ignore += o.ignore
            severity += o.severity
        rules = self._select(select, ignore, severity)
        self._rules_cache[hits] = rules
        return rules

    def meta_rule_on(self, rule_id: str) -> bool:
        """claimlint's own rules (unused suppressions): on unless ignored, or left out of select."""
        s = self.settings
        if any(selectors.id_matches(sel, rule_id) for sel in s.ignore):
            return False
        return s.select is None or any(selectors.id_matches(sel, rule_id) for sel in s.select)

    # -- checking -------------------------------------------------------------------------------
    def check_text(self, text: str, path: str = "<text>", format: str | None = None, *,
                   cancelled: Callable[[], bool] | None = None) -> FileResult:
        """Check a string. ``format`` is ``markdown``, ``html`` or ``text`` (default: from the
        extension of ``path``); ``path`` also decides which per-path overrides apply.

        ``cancelled``, when given, is asked between the steps of the check (before the text is
        analysed, and between rules); when it returns True the check stops with
        :class:`~claimlint.errors.Cancelled` -- an editor drops a check of a version the writer
        has already changed."""
        return self.check_document(sources.parse(text, path, format), cancelled=cancelled)

    def check_paths(self, paths: list[str], *, jobs: int | None = None,
                    stdin_filename: str | None = None, keep_documents: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> Iterator[FileResult]:
        """Check every file ``paths`` names (``-`` is standard input), yielding results in path
        order. With ``jobs`` > 1 and enough files, worker processes check files in parallel; the
        results, and their order, are the same whatever ``jobs`` is."""
        jobs = jobs or self.settings.jobs or 1
        found = sorted(self.files.find(paths),
                       key=lambda x: (stdin_filename or "<stdin>") if x[0] == STDIN else x[0])
        files = [p for p, err in found if not err and p != STDIN]
        parallel = jobs > 1 and len(files) >= PARALLEL_MIN_FILES
        if parallel:
            from .parallel import check_in_workers

            results = check_in_workers(self, files, jobs)
        else:
            results = None
        for done, (path, error) in enumerate(found):
            if progress is not None:
                progress(done, len(found))
            if error:
                shown = display_path(path)
                yield FileResult(shown, errors=[FileError(shown, error)])
            elif path == STDIN:
                yield self.check_stdin(stdin_filename, keep_documents)
            elif results is not None:
                result = next(results)
                if keep_documents and result.digest:
                    self._reattach(result, path)
                yield result
            else:
                yield self.check_file(path, keep_document=keep_documents)
        if progress is not None:
            progress(len(found), len(found))

    def _reattach(self, result: FileResult, path: str) -> None:
        """Give a worker's result its document (workers send findings only; reading again needs
        no NLP), provided the file still holds the bytes that were checked: fixes and reports
        place findings by offsets into those bytes."""
        try:
            doc = sources.load(path, result.path, self.settings.max_bytes)
        except InputError:
            return
        if doc.digest and doc.digest != result.digest:
            result.errors.append(FileError(result.path, "changed while it was being checked; its "
                                                        "report shows no text and no fix was made "
                                                        "(run again)"))
            return
        result.document = doc

    def check_stdin(self, filename: str | None, keep_document: bool = False) -> FileResult:
        display = filename or "<stdin>"
        try:  # bounded: a pipe from /dev/zero stops at the size limit
            data = sources.read_stream(sys.stdin.buffer, display, self.settings.max_bytes)
        except InputError as exc:
            return FileResult(display, errors=[FileError(display, exc.message, exc.line, exc.column)])
        return self.check_file(display, data=data, keep_document=keep_document, use_cache=False)

    def check_file(self, path: str, data: bytes | None = None, keep_document: bool = False,
                   use_cache: bool = True) -> FileResult:
        """Check one file (or ``data``, the bytes of a file named ``path``)."""
        display = display_path(path)
        on_disk = path if data is None else None
        try:
            if data is None:
                data = sources.read_bytes(path, display, self.settings.max_bytes)
            rules = self.rules_for(path)
            key = None
            if use_cache and self.cache is not None:
                key = self.cache.key(data, self._rules_signature(rules), sources.format_for(path))
                cached = self.cache.get(key, display)
                if cached is not None:
                    result = FileResult(display, findings=cached, file=on_disk,
                                        digest=hashlib.sha256(data).hexdigest())
                    if keep_document:
                        result.document = sources.load(path, display, data=data)
                    return result
            doc = sources.load(path, display, data=data)
        except InputError as exc:
            return FileResult(display, errors=[FileError(display, exc.message, exc.line,
                                                         exc.column)])
        except ClaimlintError:
            raise
        except Exception as exc:  # a reader bug must not stop the other files being checked
            _raise_if_missing_dependency(exc)
            return FileResult(display, errors=[_internal_error(display, "reading", exc)])
        try:
            result = self.check_document(doc, rules)
        except ClaimlintError:
            raise
        except Exception as exc:
            _raise_if_missing_dependency(exc)
            return FileResult(display, errors=[_internal_error(display, "checking", exc)])
        if key is not None and not result.errors:
            self.cache.put(key, result.findings)
        result.file = on_disk
        if keep_document:
            result.document = doc
        return result

    def warm(self) -> None:
        """Build the pipeline and prepare every selected rule now rather than on first use."""
        from .nlp.pipeline import get_pipeline

        nlp = get_pipeline(self.settings.model)
        rules = {id(ar.rule): ar.rule for ar in self.enabled}
        for per_path in self._rules_cache.values():
            rules.update((id(ar.rule), ar.rule) for ar in per_path)
        for rule in rules.values():
            rule.ensure_prepared(nlp)
            if self.prefilter is not None:
                self.prefilter.triggers(rule)

    def _rules_signature(self, rules: list[ActiveRule]) -> str:
        sig = self._sig_cache.get(id(rules))
        if sig is None:
            from .suppressions import META_RULES

            parts = [f"{ar.id}={ar.severity}" for ar in rules]
            parts += [f"{m}={self.meta_rule_on(m)}" for m in META_RULES]
            sig = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
            self._sig_cache[id(rules)] = sig
        return sig

    def check_document(self, doc: Document, rules: list[ActiveRule] | None = None, *,
                       cancelled: Callable[[], bool] | None = None) -> FileResult:
        """Check a parsed document with ``rules`` (default: those that apply to its path);
        ``cancelled`` as for :meth:`check_text`."""
        result = FileResult(doc.path, digest=doc.digest)
        if rules is None:
            rules = self.rules_for(doc.path)
        findings = self._findings(doc, rules, result, cancelled)
        if doc.comments:
            from . import suppressions

            known = {r.meta.id: r.meta.category for r in self.rules}
            findings = suppressions.apply(doc, findings, known, {ar.id for ar in rules})
            findings = [f for f in findings
                        if f.rule not in suppressions.META_RULES or self.meta_rule_on(f.rule)]
        findings = one_per_span(findings)  # after suppressions: a suppressed rule leaves the other
        assign_fingerprints(findings)
        result.findings = findings
        return result

    def _findings(self, doc: Document, rules: list[ActiveRule], result: FileResult,
                  cancelled: Callable[[], bool] | None = None) -> list[Finding]:
        def stop_if_cancelled() -> None:
            if cancelled is not None and cancelled():
                raise Cancelled(doc.path)

        if not rules or not doc.blocks:
            return []
        stop_if_cancelled()
        if self.prefilter is not None:
            plan = self.prefilter.plan([b.text for b in doc.blocks], rules)
        else:
            plan = [(ar, list(range(len(doc.blocks)))) for ar in rules]
        if plan is None:
            return []
        needed = sorted({i for _, blocks in plan for i in blocks})
        from .document import join_blocks
        from .nlp.pipeline import analyse, get_pipeline

        nlp = get_pipeline(self.settings.model)
        # The blocks that some rule needs are analysed together, as one spaCy Doc: the per-Doc
        # costs of the pipeline and of every rule's matchers are paid once per document.
        joined = join_blocks([doc.blocks[i] for i in needed])
        spacy_doc = analyse(nlp, joined)
        analyzed = AnalyzedDocument(doc, joined, spacy_doc, spacy_doc._.claimlint)
        budget = budget_for(len(joined.text))
        findings: list[Finding] = []
        for ar, blocks in plan:
            stop_if_cancelled()
            rule = ar.rule
            try:
                rule.ensure_prepared(nlp)
                scope = self._scope(analyzed, needed, blocks)
                with regex_budget(budget):
                    hits = list(rule.check(analyzed, scope))
                for hit in hits:
                    findings.append(self._finding(doc, analyzed, ar, hit))
            except RegexTimeout as exc:
                result.errors.append(FileError(
                    doc.path, f"rule {rule.meta.id}: the regex '{exc.pattern}' exceeded its time "
                              f"limit; the rule was stopped for this file (fix the pattern in "
                              f"{rule.meta.path}:{rule.meta.line})"))
            except ClaimlintError:
                raise
            except Exception as exc:  # a rule bug must not lose the other rules' findings
                result.errors.append(FileError(
                    doc.path, f"rule {rule.meta.id} failed: {type(exc).__name__}: {exc}"))
        findings.sort(key=Finding.sort_key)
        return findings

    @staticmethod
    def _scope(analyzed: AnalyzedDocument, needed: list[int], blocks: list[int]):
        """The token ranges of ``blocks`` (indices into the document's blocks) in the analysed
        document, which holds the ``needed`` blocks; None when they are all of it."""
        if len(blocks) == len(needed):
            return None
        analysis = analyzed.analysis
        starts = analyzed.block.breaks or [0]
        position = {i: k for k, i in enumerate(needed)}
        texts = analyzed.document.blocks
        ranges: list[tuple[int, int]] = []
        for i in blocks:
            a = starts[position[i]]
            toks = analysis.tokens_of(a, a + len(texts[i].text))
            if toks is None:
                continue
            if ranges and ranges[-1][1] == toks[0]:
                ranges[-1] = (ranges[-1][0], toks[1])
            else:
                ranges.append(toks)
        return ranges

    def _finding(self, doc: Document, analyzed: AnalyzedDocument, ar: ActiveRule, hit) -> Finding:
        block = analyzed.block
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


def _raise_if_missing_dependency(exc: BaseException) -> None:
    """A missing dependency is no bug in one file: it stops the run with one clear line."""
    if isinstance(exc, ModuleNotFoundError):
        err = dependency_error(exc)
        if err is not None:
            raise err from None


def _internal_error(display: str, stage: str, exc: BaseException) -> FileError:
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {os.path.basename(frame.filename)}:{frame.lineno}" if frame else ""
    return FileError(display, f"internal error while {stage} the file ({type(exc).__name__}{where}: "
                              f"{str(exc)[:200]}); the file was not checked -- please report it")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def assign_fingerprints(findings: list[Finding]) -> None:
    """Give each finding a fingerprint that survives line shifts and unrelated edits.

    It hashes the rule, the sentence the finding is in and the matched text -- not the line or
    column -- plus a counter for identical sentences in the same file, so it changes only when the
    sentence itself changes. A document-level finding is about the page, not the sentence it is
    shown at: its fingerprint is the rule's alone, so editing that sentence (or fixing the claim
    it shows) leaves a baselined page-level finding baselined.
    """
    seen: dict[str, int] = {}
    for f in findings:
        if f.scope == "document":
            base = f"{f.rule}\x00document"
        else:
            base = f"{f.rule}\x00{_norm(f.context)}\x00{_norm(f.excerpt)}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        f.fingerprint = hashlib.sha256(f"{base}\x00{n}".encode("utf-8")).hexdigest()[:20]


def check_text(text: str, path: str = "<text>", format: str | None = None,
               settings: Settings | None = None) -> list[Finding]:
    """The findings of a string, with ``settings`` (default: the built-in defaults). For many
    texts, build one :class:`Linter` and call its ``check_text``: the rules load once."""
    return Linter(settings).check_text(text, path, format).findings
