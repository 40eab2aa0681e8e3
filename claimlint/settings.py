"""Settings: everything that decides what claimlint checks and how it reports, resolved once.

A :class:`Settings` comes from a configuration file (``.claimlint.yaml`` or ``[tool.claimlint]``
in ``pyproject.toml``, see :mod:`claimlint.config`) or from the defaults, plus the overrides of the
command line or of a program. It is immutable and picklable, so the same object configures the
command line, ``--jobs`` workers, an editor's language server and a Spark job::

    from claimlint import Linter, Settings

    settings = Settings.load(start="site/posts", ignore=["claims/superlative-claim"])
    linter = Linter(settings)
    result = linter.check_text("Our drops cure insomnia.", path="draft.md")

Paths inside a configuration file (packs, baseline, cache-dir) are relative to the file's folder;
paths given as overrides are relative to the working directory. Both are made absolute here, so a
Settings means the same thing wherever it is used.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable, Mapping

from .config import find_config, read_config
from .errors import ConfigError, UsageError
from .schema import Opt, Where, did_you_mean, lined, validate_options
from .taxonomy import FAIL_ON, SEVERITIES

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdx", "*.html", "*.htm", "*.txt", "*.docx")
DEFAULT_EXCLUDE = (".git/", ".hg/", ".svn/", "node_modules/", ".venv/", "venv/", ".tox/",
                   "__pycache__/", ".claimlint_cache/", ".mypy_cache/", ".pytest_cache/")

# The keys of a configuration file (kebab-case; snake_case is accepted too).
SPEC = {
    "packs": Opt("strlist", default=None, help="built-in pack names or paths to pack files"),
    "extend-packs": Opt("strlist", default=[], help="packs added to the default (or listed) ones"),
    "select": Opt("strlist", default=None, help="rule ids, packs or globs to enable"),
    "ignore": Opt("strlist", default=[], help="rule ids, packs or globs to disable"),
    "severity": Opt("any", default={}, help="rule id or glob -> error | warning | info"),
    "fail-on": Opt("enum", default="error", choices=FAIL_ON, help="lowest severity that fails"),
    "include": Opt("strlist", default=None, help="file globs checked inside directories"),
    "exclude": Opt("strlist", default=[], help="globs never checked (added to the defaults)"),
    "respect-gitignore": Opt("bool", default=True,
                             help="skip what .gitignore ignores when walking folders"),
    "overrides": Opt("any", default=[], help="per-path select/ignore/severity"),
    "model": Opt("str", default=None, help="an installed spaCy pipeline to use"),
    "max-file-size": Opt("float", default=20.0, help="megabytes; larger files are not checked"),
    "baseline": Opt("str", default=None, help="a baseline file; only findings not in it are reported"),
    "cache": Opt("bool", default=True, help="keep results of unchanged files in .claimlint_cache/"),
    "cache-dir": Opt("str", default=None, help="where .claimlint_cache/ goes (default: here)"),
    "jobs": Opt("int", default=None, help="worker processes (default: the number of cores)"),
}
_PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_]+)?")  # e.g. en_core_web_sm, blank:en

OVERRIDE_SPEC = {
    "files": Opt("strlist", required=True, help="globs the override applies to"),
    "select": Opt("strlist", default=None),
    "ignore": Opt("strlist", default=[]),
    "severity": Opt("any", default={}),
}


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _severities(value: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> tuple:
    if not value:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), v) for k, v in items)


def glob_problem(pattern: str) -> str | None:
    """Why a file glob (gitignore syntax, as include, exclude and overrides use) cannot be used,
    or None."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([pattern]).match_file("probe/x.md")
    except Exception as exc:  # pathspec raises re.error, its own errors, ValueError ...
        return re.sub(r" at position \d+", "", str(exc)) or type(exc).__name__
    return None


def is_pack_path(ref: str) -> bool:
    """A pack reference names a file (rather than a built-in pack) when it looks like a path."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref


def resolve_pack(ref: str, base: str) -> str:
    """A pack reference made independent of the working directory."""
    return os.path.normpath(os.path.join(base, ref)) if is_pack_path(ref) else ref


@dataclass(frozen=True)
class Override:
    """Settings for the files matching ``files`` (globs relative to the settings' root)."""

    files: tuple[str, ...]
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", _strings(self.files) or ())
        object.__setattr__(self, "select", _strings(self.select))
        object.__setattr__(self, "ignore", _strings(self.ignore) or ())
        object.__setattr__(self, "severity", _severities(self.severity))


@dataclass(frozen=True)
class Settings:
    """Everything that changes what is checked and reported. Sequences are tuples; ``severity``
    is a tuple of (selector, level) pairs, later pairs winning (a mapping is accepted)."""

    root: str = field(default_factory=os.getcwd)  # folder relative globs are matched against
    config_file: str | None = None                # the file these came from, as displayed
    packs: tuple[str, ...] | None = None          # None: the built-in default packs
    extend_packs: tuple[str, ...] = ()            # added to ``packs`` (or the defaults)
    select: tuple[str, ...] | None = None         # None: every rule enabled by its pack
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    overrides: tuple[Override, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True                # skip what git ignores inside folders
    fail_on: str = "error"
    model: str | None = None
    max_file_size: float = 20.0                   # megabytes
    baseline: str | None = None
    cache: bool = True
    cache_dir: str | None = None
    jobs: int | None = None
    prefilter: bool = True                        # skip text no rule can fire on (same findings)

    def __post_init__(self) -> None:
        for name in ("packs", "select"):
            object.__setattr__(self, name, _strings(getattr(self, name)))
        for name in ("extend_packs", "ignore", "include", "exclude"):
            object.__setattr__(self, name, _strings(getattr(self, name)) or ())
        object.__setattr__(self, "severity", _severities(self.severity))
        object.__setattr__(self, "overrides", tuple(
            o if isinstance(o, Override) else Override(**o) for o in self.overrides))
        object.__setattr__(self, "root", os.path.abspath(self.root))
        self._validate()

    def _validate(self) -> None:
        def bad(message: str) -> UsageError:
            return UsageError(message)

        if self.fail_on not in FAIL_ON:
            raise bad(f"fail-on must be one of {', '.join(FAIL_ON)}, not {self.fail_on!r}")
        for sel, level in self.severity + tuple(p for o in self.overrides for p in o.severity):
            if level not in SEVERITIES:
                raise bad(f"severity for {sel!r} must be one of {', '.join(SEVERITIES)}, not "
                          f"{level!r}")
        if not (isinstance(self.max_file_size, (int, float)) and math.isfinite(self.max_file_size)
                and self.max_file_size > 0):
            raise bad("max-file-size must be a number of megabytes more than 0")
        if self.jobs is not None and self.jobs < 1:
            raise bad("jobs must be 1 or more")
        for name, globs in (("include", self.include), ("exclude", self.exclude),
                            *(("overrides: files", o.files) for o in self.overrides)):
            for g in globs:
                problem = glob_problem(g)
                if problem:
                    raise bad(f"{name}: {g!r} is not a valid file pattern ({problem})")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size * 1_000_000)

    @property
    def severity_map(self) -> dict[str, str]:
        return dict(self.severity)

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def load(cls, config: str | None = None, *, start: str | None = None, isolated: bool = False,
             **options: Any) -> Settings:
        """Settings from ``config``, or from the configuration file found at or above ``start``
        (a file or folder; default: the working directory), or the defaults when there is none
        or ``isolated`` is true; then ``options`` applied as :meth:`with_options` does.
        Raises :class:`~claimlint.errors.ConfigError` for a configuration that is not valid."""
        if isolated:
            base = cls()
        else:
            path = config or find_config(start)
            base = cls.from_mapping(*read_config(path)) if path else cls()
        return base.with_options(**options) if options else base

    @classmethod
    def from_mapping(cls, raw: Any, source: str, root: str) -> Settings:
        """Settings from the mapping of a configuration file (``source`` names it in errors)."""
        raw = lined(raw, 1)
        where = Where(source, raw.line, error_class=ConfigError)
        for key in list(raw):  # snake_case spellings of the kebab-case keys, as pyproject users write
            if isinstance(key, str) and "_" in key and key.replace("_", "-") in SPEC:
                dashed = key.replace("_", "-")
                raw[dashed] = raw.pop(key)
                raw.lines[dashed] = raw.lines.pop(key, raw.line)
        vals = validate_options(raw, SPEC, where)
        for key in ("include", "exclude"):
            _check_globs(vals[key] or (), raw.get(key), key, where, raw.line_of(key))

        def path(key: str) -> str | None:
            return os.path.join(root, vals[key]) if vals[key] else None

        # A configuration file comes with a checked-out repository: it must not make claimlint
        # write outside the project, nor load a pipeline from an arbitrary folder.
        if vals["cache-dir"]:
            real_root = os.path.realpath(root)
            target = os.path.realpath(path("cache-dir"))
            if os.path.commonpath([real_root, target]) != real_root:
                raise where.error(
                    f"cache-dir {vals['cache-dir']!r} is outside the project ({root}); a "
                    "configuration file can only place the cache inside its own folder",
                    raw.line_of("cache-dir"))
        if vals["model"] and not _PACKAGE_NAME.fullmatch(vals["model"]):
            raise where.error(
                f"model {vals['model']!r} must be the name of an installed spaCy pipeline, not a "
                "path; to load a pipeline from a folder, give it with --model on the command line",
                raw.line_of("model"))

        overrides = []
        ov = vals["overrides"]
        if not isinstance(ov, list):
            raise where.error("'overrides' must be a list", raw.line_of("overrides"))
        for i, item in enumerate(ov):
            line = ov.line_of(i) if hasattr(ov, "line_of") else raw.line_of("overrides")
            if not isinstance(item, dict):
                raise where.error(f"overrides: item {i + 1} must be a mapping", line)
            item = lined(item, line)
            o = validate_options(item, OVERRIDE_SPEC, Where(source, item.line or line,
                                                            error_class=ConfigError),
                                 context="overrides: ")
            _check_globs(o["files"], item.get("files"), "overrides: files", where,
                         item.line_of("files"))
            overrides.append(Override(o["files"], o["select"], o["ignore"],
                                      _severity_table(o["severity"], where, item.line_of("severity"))))
        if vals["jobs"] is not None and vals["jobs"] < 1:
            raise where.error("'jobs' must be 1 or more", raw.line_of("jobs"))
        size = vals["max-file-size"]
        if not math.isfinite(size) or size <= 0:
            raise where.error("'max-file-size' must be more than 0 (megabytes)",
                              raw.line_of("max-file-size"))
        return cls(
            root=root, config_file=source,
            packs=[resolve_pack(p, root) for p in vals["packs"]] if vals["packs"] is not None else None,
            extend_packs=[resolve_pack(p, root) for p in vals["extend-packs"]],
            select=vals["select"], ignore=vals["ignore"],
            severity=_severity_table(vals["severity"], where, raw.line_of("severity")),
            overrides=overrides,
            include=vals["include"] if vals["include"] is not None else DEFAULT_INCLUDE,
            exclude=vals["exclude"], respect_gitignore=vals["respect-gitignore"],
            fail_on=vals["fail-on"], model=vals["model"],
            max_file_size=size, baseline=path("baseline"), cache=vals["cache"],
            cache_dir=path("cache-dir"), jobs=vals["jobs"],
        )

    def with_options(self, *, packs: Iterable[str] | None = None,
                     extend_packs: Iterable[str] = (), select: Iterable[str] | None = None,
                     ignore: Iterable[str] = (), severity: Mapping[str, str] | None = None,
                     include: Iterable[str] | None = None, exclude: Iterable[str] = (),
                     **replace_: Any) -> Settings:
        """These settings with the overrides of a command line or a program applied.

        ``packs``, ``select`` and ``include`` replace the configured ones; ``extend_packs``,
        ``ignore`` and ``exclude`` are added to them; ``severity`` is merged into them; any other
        field (``fail_on``, ``model``, ``jobs``, ``cache``, ``baseline`` ...) replaces its value
        unless it is None. Pack paths are relative to the working directory.
        """
        known = {f.name for f in fields(self)}
        unknown = set(replace_) - known
        if unknown:
            name = sorted(unknown)[0]
            raise TypeError(f"unknown setting {name!r}" + did_you_mean(name, known))
        changes: dict[str, Any] = {k: v for k, v in replace_.items() if v is not None}
        cwd = os.getcwd()
        if packs is not None:
            changes["packs"] = [resolve_pack(p, cwd) for p in packs]
        if extend_packs:
            changes["extend_packs"] = self.extend_packs + tuple(resolve_pack(p, cwd)
                                                               for p in extend_packs)
        if select is not None:
            changes["select"] = select
        if ignore:
            changes["ignore"] = self.ignore + tuple(ignore)
        if severity:
            changes["severity"] = self.severity + _severities(severity)
        if include is not None:
            changes["include"] = include
        if exclude:
            changes["exclude"] = self.exclude + tuple(exclude)
        return replace(self, **changes) if changes else self


def _check_globs(globs, raw, name: str, where: Where, line: int) -> None:
    for i, g in enumerate(globs):
        problem = glob_problem(g)
        if problem:
            gline = raw.line_of(i) if hasattr(raw, "line_of") and isinstance(raw, list) else line
            raise where.error(f"{name}: {g!r} is not a valid file pattern ({problem})", gline)


def _severity_table(value: Any, where: Where, line: int) -> tuple[tuple[str, str], ...]:
    if not value:
        return ()
    if not isinstance(value, dict):
        raise where.error("'severity' must map rule ids (or globs) to error, warning or info", line)
    out = []
    for k, v in value.items():
        kline = value.line_of(k) if hasattr(value, "line_of") else line
        if v not in SEVERITIES:
            raise where.error(f"severity for {k!r} must be one of {', '.join(SEVERITIES)}, not {v!r}",
                              kline)
        out.append((str(k), v))
    return tuple(out)

