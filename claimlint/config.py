"""Configuration: ``.claimlint.yaml`` or ``[tool.claimlint]`` in ``pyproject.toml``.

Found by walking up from the working directory (the nearest wins), or given with ``--config``.
Unknown keys are errors. Paths and globs in a configuration are relative to its directory.

    packs: [health, ./packs/brand.yaml]
    select: [health/*]
    ignore: [health/superiority-claim]
    severity: {health/missing-citation: error}
    fail-on: warning
    include: ["*.md", "*.html"]
    exclude: [drafts/archive/]
    overrides:
      - files: [legal/**]
        ignore: [health/*]
    model: en_core_web_sm
    max-file-size: 20
"""
from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .kinds.base import Opt, Where, check_type, did_you_mean
from .yamlutil import LDict, LList, load_yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = (".claimlint.yaml", ".claimlint.yml")
SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_INCLUDE = ["*.md", "*.markdown", "*.html", "*.htm", "*.txt", "*.docx"]
DEFAULT_EXCLUDE = [".git/", ".hg/", ".svn/", "node_modules/", ".venv/", "venv/", ".tox/",
                   "__pycache__/", ".claimlint_cache/", ".mypy_cache/", ".pytest_cache/"]

SPEC = {
    "packs": Opt("strlist", default=None, help="built-in pack names or paths to pack files"),
    "select": Opt("strlist", default=None, help="rule ids, packs or globs to enable"),
    "ignore": Opt("strlist", default=[], help="rule ids, packs or globs to disable"),
    "severity": Opt("any", default={}, help="rule id or glob -> error | warning | info"),
    "fail-on": Opt("enum", default="error", choices=FAIL_ON, help="lowest severity that fails"),
    "include": Opt("strlist", default=None, help="file globs checked inside directories"),
    "exclude": Opt("strlist", default=[], help="globs never checked (added to the defaults)"),
    "overrides": Opt("any", default=[], help="per-path select/ignore/severity"),
    "model": Opt("str", default=None, help="an installed spaCy pipeline to use"),
    "max-file-size": Opt("float", default=20.0, help="megabytes; larger files are not checked"),
    "baseline": Opt("str", default=None, help="a baseline file; only findings not in it are reported"),
    "cache": Opt("bool", default=True, help="keep results of unchanged files in .claimlint_cache/"),
    "cache-dir": Opt("str", default=None, help="where .claimlint_cache/ goes (default: here)"),
    "jobs": Opt("int", default=None, help="worker processes (default: the number of cores)"),
}
OVERRIDE_SPEC = {
    "files": Opt("strlist", required=True, help="globs the override applies to"),
    "select": Opt("strlist", default=None),
    "ignore": Opt("strlist", default=[]),
    "severity": Opt("any", default={}),
}


@dataclass
class Override:
    files: list[str]
    select: list[str] | None
    ignore: list[str]
    severity: dict[str, str]


@dataclass
class Config:
    packs: list[str] | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    include: list[str] = field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    model: str | None = None
    max_file_size: float = 20.0
    baseline: str | None = None
    cache: bool = True
    cache_dir: str | None = None
    jobs: int | None = None
    root: str = field(default_factory=os.getcwd)  # directory relative paths are resolved from
    source: str | None = None  # the file this came from

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size * 1_000_000)


def find_config(start: str | None = None) -> str | None:
    """The nearest configuration file at or above ``start`` (default: the working directory)."""
    d = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_FILES:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return p
        pp = os.path.join(d, "pyproject.toml")
        if os.path.isfile(pp) and _pyproject_has_section(pp):
            return pp
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _pyproject_has_section(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "claimlint" in data["tool"]


def load_config(path: str | None = None, discover: bool = True) -> Config:
    """Load ``path``, or the discovered configuration, or the defaults."""
    if path is None and discover:
        path = find_config()
    if path is None:
        return Config()
    display = _display(path)
    if not os.path.isfile(path):
        raise ConfigError("configuration file not found", display)
    root = os.path.dirname(os.path.abspath(path))
    if path.endswith(".toml"):
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", display) from None
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror}", display) from None
        section = data.get("tool", {}).get("claimlint")
        if section is None:
            raise ConfigError("no [tool.claimlint] section", display)
        raw = _to_ldict(section, _toml_section_line(path))
    else:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", display) from None
        raw = load_yaml(text, display, ConfigError)
        if raw is None:
            raw = LDict()
            raw.line, raw.lines = 1, {}
        if not isinstance(raw, LDict):
            raise ConfigError("the configuration must be a mapping", display, 1)
    return parse_config(raw, display, root)


def parse_config(raw: LDict, display: str, root: str) -> Config:
    where = Where(display, raw.line, error_class=ConfigError)
    # Accept snake_case spellings of the kebab-case keys, as pyproject users often write them.
    for key in list(raw):
        if isinstance(key, str) and "_" in key and key.replace("_", "-") in SPEC:
            raw[key.replace("_", "-")] = raw.pop(key)
            raw.lines[key.replace("_", "-")] = raw.lines.pop(key, raw.line)
    for key in raw:
        if key not in SPEC:
            raise ConfigError(f"unknown key {key!r}" + did_you_mean(str(key), SPEC), display,
                              raw.line_of(key))
    vals: dict[str, Any] = {}
    for name, opt in SPEC.items():
        vals[name] = check_type(raw[name], opt, name, where, raw.line_of(name)) if name in raw \
            else opt.default
    cfg = Config(root=root, source=display)
    cfg.packs = vals["packs"]
    cfg.select = vals["select"]
    cfg.ignore = list(vals["ignore"])
    cfg.severity = _severity_map(vals["severity"], where, raw.line_of("severity"))
    cfg.fail_on = vals["fail-on"]
    if vals["include"] is not None:
        cfg.include = list(vals["include"])
    cfg.exclude = list(vals["exclude"])
    cfg.model = vals["model"]
    cfg.max_file_size = vals["max-file-size"]
    if vals["baseline"]:
        cfg.baseline = os.path.join(root, vals["baseline"])
    cfg.cache = vals["cache"]
    if vals["cache-dir"]:
        cfg.cache_dir = os.path.join(root, vals["cache-dir"])
    if vals["jobs"] is not None and vals["jobs"] < 1:
        raise ConfigError("'jobs' must be 1 or more", display, raw.line_of("jobs"))
    cfg.jobs = vals["jobs"]
    if cfg.max_file_size <= 0:
        raise ConfigError("'max-file-size' must be more than 0 (megabytes)", display,
                          raw.line_of("max-file-size"))
    ov = vals["overrides"]
    if not isinstance(ov, list):
        raise ConfigError("'overrides' must be a list", display, raw.line_of("overrides"))
    for i, item in enumerate(ov):
        line = ov.line_of(i) if isinstance(ov, LList) else raw.line_of("overrides")
        if not isinstance(item, dict):
            raise ConfigError(f"overrides: item {i + 1} must be a mapping", display, line)
        item = item if isinstance(item, LDict) else _to_ldict(item, line)
        for key in item:
            if key not in OVERRIDE_SPEC:
                raise ConfigError(f"overrides: unknown key {key!r}" + did_you_mean(str(key), OVERRIDE_SPEC),
                                  display, item.line_of(key))
        o = {n: check_type(item[n], s, n, where, item.line_of(n)) if n in item else s.default
             for n, s in OVERRIDE_SPEC.items()}
        if "files" not in item:
            raise ConfigError("overrides: each item needs 'files'", display, line)
        cfg.overrides.append(Override(list(o["files"]), o["select"], list(o["ignore"]),
                                      _severity_map(o["severity"], where, item.line_of("severity"))))
    return cfg


def _severity_map(value: Any, where: Where, line: int) -> dict[str, str]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise ConfigError("'severity' must map rule ids (or globs) to error, warning or info",
                          where.path, line)
    out = {}
    for k, v in value.items():
        kl = value.line_of(k) if isinstance(value, LDict) else line
        if v not in SEVERITIES:
            raise ConfigError(f"severity for {k!r} must be one of {', '.join(SEVERITIES)}, not {v!r}",
                              where.path, kl)
        out[str(k)] = v
    return out


def _to_ldict(d: Any, line: int) -> Any:
    if isinstance(d, dict):
        out = LDict({k: _to_ldict(v, line) for k, v in d.items()})
        out.line, out.lines = line, {k: line for k in d}
        return out
    if isinstance(d, list):
        out = LList(_to_ldict(v, line) for v in d)
        out.line, out.lines = line, [line] * len(d)
        return out
    return d


def _toml_section_line(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if line.strip().startswith("[tool.claimlint"):
                    return i
    except OSError:
        pass
    return 1


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") and os.path.isabs(path) else rel


def glob_match(pattern: str, ident: str) -> bool:
    """Rule selectors: exact id, a pack name (``health``), a glob (``health/*``)."""
    if pattern == ident:
        return True
    if "/" not in pattern and not any(c in pattern for c in "*?["):
        return ident.split("/", 1)[0] == pattern
    return fnmatch.fnmatchcase(ident, pattern)
