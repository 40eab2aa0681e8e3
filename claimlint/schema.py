"""The schema toolkit that rule packs and configuration files share.

A schema is a mapping of key -> :class:`Opt`; :func:`validate_options` checks a mapping against it
(unknown keys with a "did you mean", missing required keys, types) and reports every mistake as
``file:LINE: message`` through a :class:`Where`. Values keep the lines they came from because the
YAML loader builds :class:`~claimlint.yamlutil.LDict`/:class:`~claimlint.yamlutil.LList`; a value
from elsewhere (TOML, a default, a list given as a string) gets lines with :func:`lined`.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable

from .errors import PackError
from .yamlutil import LDict, LList


@dataclass(frozen=True)
class Opt:
    """One option: its type, whether it is required, its default, its choices and meaning.

    ``type`` is one of str, bool, int, float, strlist, enum, enumlist, regexlist, patterns, any.
    """

    type: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass
class Where:
    """Where a value came from, for error messages."""

    path: str
    line: int
    rule: str = ""
    error_class: type = PackError

    def error(self, message: str, line: int | None = None) -> PackError:
        prefix = f"rule {self.rule!r}: " if self.rule else ""
        return self.error_class(prefix + message, self.path, line or self.line)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def lined(value: Any, line: int) -> Any:
    """``value`` with line numbers: plain mappings and lists (and those inside them) become
    :class:`LDict`/:class:`LList` whose every key or item is placed on ``line``; values that
    already know their lines are returned as they are."""
    if isinstance(value, (LDict, LList)):
        return value
    if isinstance(value, dict):
        out = LDict({k: lined(v, line) for k, v in value.items()})
        out.line, out.lines = line, {k: line for k in value}
        return out
    if isinstance(value, list):
        items = LList(lined(v, line) for v in value)
        items.line, items.lines = line, [line] * len(value)
        return items
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {dict: "a mapping", LDict: "a mapping", list: "a list", LList: "a list", str: "a string",
            int: "an integer", float: "a number", bool: "a boolean"}.get(type(value), type(value).__name__)


def check_type(value: Any, opt: Opt, name: str, where: Where, line: int) -> Any:
    t = opt.type
    if t == "any":
        return value
    if t == "str":
        if not isinstance(value, str):
            raise where.error(f"{name!r} must be a string, not {type_name(value)}", line)
        return value
    if t == "bool":
        if not isinstance(value, bool):
            raise where.error(f"{name!r} must be true or false, not {type_name(value)}", line)
        return value
    if t == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise where.error(f"{name!r} must be an integer, not {type_name(value)}", line)
        return value
    if t == "float":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise where.error(f"{name!r} must be a number, not {type_name(value)}", line)
        return float(value)
    if t == "enum":
        if not isinstance(value, str) or value not in opt.choices:
            raise where.error(f"{name!r} must be one of {', '.join(opt.choices)}, not {value!r}"
                              + (did_you_mean(value, opt.choices) if isinstance(value, str) else ""),
                              line)
        return value
    if t in ("strlist", "enumlist", "regexlist"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise where.error(f"{name!r} must be a list of strings, not {type_name(value)}", line)
        for i, item in enumerate(value):
            iline = value.line_of(i) if isinstance(value, LList) else line
            if not isinstance(item, str):
                raise where.error(f"{name!r}: item {i + 1} must be a string, not {type_name(item)}",
                                  iline)
            if t == "enumlist" and item not in opt.choices:
                raise where.error(f"{name!r}: {item!r} is not one of {', '.join(opt.choices)}"
                                  + did_you_mean(item, opt.choices), iline)
            if t == "strlist" and not item.strip():
                raise where.error(f"{name!r}: item {i + 1} is empty", iline)
        return list(value)
    return value


def validate_options(raw: Any, spec: dict[str, Opt], where: Where, context: str = "") -> dict:
    """Check the mapping ``raw`` against ``spec``: unknown keys, missing required keys, types.
    Returns every key of ``spec`` with its value or default."""
    raw = lined(raw, where.line)
    out: dict[str, Any] = {}
    for key in raw:
        if key not in spec:
            raise where.error(f"{context}unknown key {key!r}" + did_you_mean(str(key), spec),
                              raw.line_of(key))
    for name, opt in spec.items():
        if name in raw:
            out[name] = check_type(raw[name], opt, name, where, raw.line_of(name))
        elif opt.required:
            raise where.error(f"{context}missing required key {name!r}", raw.line)
        else:
            out[name] = opt.default
    return out
