"""YAML loading that keeps line numbers, rejects duplicate keys and never constructs objects.

Mappings load as :class:`LDict` and sequences as :class:`LList`; both remember the line of each key
or item, so a validator can say ``pack.yaml:12: unknown key 'phrase'``. The loader derives from
``yaml.SafeLoader``: tags such as ``!!python/object`` are rejected, nothing in a file can run code.
"""
from __future__ import annotations

from typing import Any

import yaml

from .errors import ClaimlintError


class LDict(dict):
    """A mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    lines: dict

    def line_of(self, key: str) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


class LList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


class _Loader(yaml.SafeLoader):
    pass


# YAML 1.2 booleans: only true/false. YAML 1.1 (PyYAML's default) also reads yes/no/on/off as
# booleans, which would turn a rule pack's word list [yes, no, off] into [True, False, False].
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    out = LDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark) from None
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key {key!r} (first on line {out.lines[key]})", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    out = LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _checked_scalar(base):
    """A scalar constructor whose value errors (an integer of more than 4,300 digits, the 13th
    month of a date) become YAML errors at the value's line, instead of a bare ValueError."""
    def construct(loader, node):
        try:
            value = base(loader, node)
            if isinstance(value, int) and value.bit_length() > 14_000:
                raise ValueError("too long")  # in hexadecimal or base 60: it could not be printed
            return value
        except (ValueError, OverflowError) as exc:
            text = str(node.value)
            if len(text) > 4000:
                problem = f"a number of {len(text):,} characters is too long"
            else:
                problem = f"{text[:40]!r} is not a valid {node.tag.rsplit(':', 1)[-1]} ({exc})"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None
    return construct


_SCALAR_TAGS = ("int", "float", "timestamp")

_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
for _tag in _SCALAR_TAGS:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                            _checked_scalar(yaml.SafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]))

if getattr(yaml, "__with_libyaml__", False):
    # The same loader on libyaml's parser: ten times faster, same safe constructors and line marks.
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        pass

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    for _tag in _SCALAR_TAGS:
        _FastLoader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                                    _Loader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"])
    LOADER: type = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    LOADER = _Loader


MAX_NODES = 200_000  # a pack or configuration never needs more; aliases can multiply nodes


def _expanded_size(node, memo: dict) -> int:
    """How many nodes ``node`` stands for once aliases are expanded (aliases reuse nodes)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a cycle counts once
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def load_yaml(text: str, path: str, error: type[ClaimlintError] = ClaimlintError) -> Any:
    """Parse YAML text; syntax errors become ``error`` with the file, line and column.

    The document is composed first and its size checked, so that a few aliases that expand into
    millions of values (a "billion laughs" file) are refused instead of exhausting memory.
    """
    try:
        loader = LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            size = _expanded_size(node, {})
            if size > MAX_NODES:
                raise error(f"the YAML expands to {size:,} values through aliases (more than "
                            f"{MAX_NODES:,}); refusing to load it", path, node.start_mark.line + 1)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and exc.context not in problem:
            problem = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise error(f"invalid YAML: {problem}", path, line, col) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path) from None
    except RecursionError:
        raise error("invalid YAML: nested too deeply", path) from None
    except (ValueError, OverflowError, TypeError) as exc:  # a constructor's own error, unmarked
        raise error(f"invalid YAML: {exc}", path) from None
