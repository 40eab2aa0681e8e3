"""Configuration files: ``.claimlint.yaml`` or ``[tool.claimlint]`` in ``pyproject.toml``.

The nearest file at or above the checked files' folder wins (or the one ``--config`` names).
Unknown keys are errors. Paths and globs in a configuration are relative to its folder::

    packs: [claims, evidence, ./packs/brand.yaml]   # replaces the default packs
    extend-packs: [./packs/house-style.yaml]        # or: adds to them
    select: [claims/*]
    ignore: [claims/superlative-claim]
    severity: {evidence/missing-citation: error}
    fail-on: warning
    include: ["*.md", "*.html"]
    exclude: [drafts/archive/]
    overrides:
      - files: [legal/**]
        ignore: [claims/*]
    model: en_core_web_sm
    max-file-size: 20

:func:`read_config` gives the file's mapping, with line numbers; :class:`claimlint.settings.Settings`
checks it (the keys and their meaning are in :data:`claimlint.settings.SPEC`).
"""
from __future__ import annotations

import os
import re

from . import safefs
from .errors import ConfigError
from .schema import lined
from .tomlutil import load_toml_safely, read_toml
from .yamlutil import LDict, LList, load_yaml

CONFIG_FILES = (".claimlint.yaml", ".claimlint.yml")


def find_config(start: str | None = None) -> str | None:
    """The nearest configuration file at or above ``start`` (a file or a folder; default: the
    working directory)."""
    d = os.path.abspath(start or os.getcwd())
    if not os.path.isdir(d):
        d = os.path.dirname(d)
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


MAX_CONFIG_BYTES = 10_000_000  # a configuration file is a few kilobytes


def _pyproject_has_section(path: str) -> bool:
    """Whether ``path`` has a [tool.claimlint] table. A pyproject.toml that cannot be read or
    parsed has none here; named as the configuration, it is an error (:func:`read_config`)."""
    try:
        data = load_toml_safely(path)
    except ConfigError:
        return False
    return isinstance(data.get("tool"), dict) and "claimlint" in data["tool"]


def read_config(path: str) -> tuple[LDict, str, str]:
    """The mapping of the configuration file ``path`` (with line numbers), the path as displayed
    in errors, and the folder its relative paths are resolved from."""
    display = _display(path)
    if not os.path.exists(path):
        raise ConfigError("configuration file not found", display)
    root = os.path.dirname(os.path.abspath(path))
    if path.endswith(".toml"):
        data, text = read_toml(path, display)  # bounded, regular file, errors with a line
        tool = data.get("tool", {})
        section = tool.get("claimlint") if isinstance(tool, dict) else None
        if section is None:
            raise ConfigError("no [tool.claimlint] section", display)
        line = _toml_section_line(text)
        if not isinstance(section, dict):
            raise ConfigError("[tool.claimlint] must be a table of settings", display, line)
        try:
            raw = _toml_lined(section, text, line)
        except RecursionError:
            raise ConfigError("[tool.claimlint] is nested too deeply", display, line) from None
    else:
        data = safefs.read_config_file(path, MAX_CONFIG_BYTES, display, ConfigError)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConfigError(f"cannot read: {exc}", display) from None
        raw = load_yaml(text, display, ConfigError)
        if raw is None:
            raw = lined({}, 1)
        if not isinstance(raw, LDict):
            raise ConfigError("the configuration must be a mapping", display, 1)
    return raw, display, root


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_TOML_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _toml_lined(section: dict, text: str, line: int) -> LDict:
    """``[tool.claimlint]`` with the line of each key (and of each ``[[tool.claimlint.overrides]]``
    table and its keys) in the file's ``text``, so an error names the line of the value, not the
    table's header."""
    raw = lined(section, line)
    lines = text.splitlines()
    table: tuple[str, int] | None = None  # the current table's name, and its item number
    counts: dict[str, int] = {}
    for no, text in enumerate(lines, 1):
        head = _TOML_HEADER.match(text)
        if head:
            name = head.group(2).replace(" ", "").replace('"', "")
            if head.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
            table = (name, counts.get(name, 0))
            if name.startswith("tool.claimlint.") and head.group(1) == "[[":
                key = name[len("tool.claimlint."):]
                items = raw.get(key)
                if isinstance(items, list) and table[1] < len(items):
                    items.lines[table[1]] = no
                    if isinstance(items[table[1]], LDict):
                        items[table[1]].line = no
            continue
        m = _TOML_KEY.match(text)
        if not m or table is None:
            continue
        key = m.group(1).strip("\"'")
        parent = None
        if table[0] == "tool.claimlint":
            parent = raw
        elif table[0].startswith("tool.claimlint."):
            parent = raw.get(table[0][len("tool.claimlint."):])
            if isinstance(parent, list) and table[1] < len(parent):
                parent = parent[table[1]]
        if isinstance(parent, LDict) and key in parent:
            parent.lines[key] = no
            _place(parent[key], no)  # an inline value is on its key's line
    return raw


def _place(value, line: int) -> None:
    if isinstance(value, LDict):
        value.line, value.lines = line, {k: line for k in value}
        for v in value.values():
            _place(v, line)
    elif isinstance(value, LList):
        value.line, value.lines = line, [line] * len(value)
        for v in value:
            _place(v, line)


def _toml_section_line(text: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("[tool.claimlint"):
            return i
    return 1


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") and os.path.isabs(path) else rel
