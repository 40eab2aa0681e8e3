"""Rule packs: YAML files of rules, validated on load.

Schema (documented for users in ``docs/rule-packs.md``)::

    pack: claims                 # the pack's name; rule ids become claims/<id>
    description: ...
    default: true                # enabled when the configuration names no packs
    categories: [style]          # extra categories, beyond the taxonomy's eight
    defaults: {severity: warning}
    rules:
      - id: ...
        kind: phrase | pattern | regex | statistic | requires | ...
        ...

Every mistake is reported as ``path:LINE: message`` and stops the load (exit code 2): a pack that is
half-understood would silently check less than its author meant.
"""
from __future__ import annotations

import functools
import importlib.resources
import os
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import PackError
from .kinds import KINDS, Rule, RuleMeta
from .kinds.base import placeholders
from .schema import Opt, Where, did_you_mean, lined, validate_options
from .taxonomy import SEVERITIES, TAXONOMY
from .yamlutil import LDict, LList, load_yaml
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]*$")

PACK_SPEC = {
    "pack": Opt("str", required=True, help="the pack's name"),
    "description": Opt("str", default="", help="what the pack checks"),
    "default": Opt("bool", default=False, help="enabled when no packs are configured"),
    "categories": Opt("strlist", default=[], help="categories beyond the taxonomy"),
    "defaults": Opt("any", default=None, help="default values for every rule"),
    "data": Opt("any", default=None, help="tables that rules of this pack refer to"),
    "rules": Opt("any", required=True, help="the rules"),
}

COMMON_SPEC = {
    "id": Opt("str", required=True, help="unique within the pack"),
    "kind": Opt("str", required=True, help="the rule kind"),
    "category": Opt("str", required=True, help="one of the taxonomy's categories"),
    "severity": Opt("enum", default="warning", choices=SEVERITIES, help="error, warning or info"),
    "message": Opt("str", required=True, help="what is wrong; may use {match}"),
    "rationale": Opt("str", required=True, help="why it matters"),
    "references": Opt("strlist", required=True, help="the regulation or guidance enforced"),
    "suggestion": Opt("str", default=None, help="how to rewrite the sentence"),
    "examples": Opt("any", required=True, help="{bad: [...], good: [...]}"),
    "url": Opt("str", default=None, help="a page that documents the rule"),
    "enabled": Opt("bool", default=True, help="false: shipped but off unless selected"),
    "fix": Opt("any", default=None, help="a replacement for the match"),
    "triggers": Opt("any", default=None,
                    help="words or substrings one of which must occur for the rule to run "
                         "(default: derived from the rule's own terms)"),
}
DEFAULTS_SPEC = {k: Opt(COMMON_SPEC[k].type, False, None, COMMON_SPEC[k].choices, COMMON_SPEC[k].help)
                 for k in ("severity", "references", "rationale", "url", "enabled", "category")}


@dataclass
class Pack:
    name: str
    path: str
    description: str
    default: bool
    categories: tuple[str, ...]
    rules: list[Rule]
    data: dict = field(default_factory=dict)
    builtin: bool = False


@dataclass
class PackContext:
    """What a rule may look up while it is built: its pack's data tables."""

    pack: str
    path: str
    data: dict


def builtin_dir() -> Any:
    return importlib.resources.files("claimlint.rules")


def builtin_names() -> list[str]:
    names = []
    for entry in builtin_dir().iterdir():
        if entry.name.endswith(".yaml") and not entry.name.startswith("_"):
            names.append(entry.name[:-5])
    return sorted(names)


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return rel if not rel.startswith("..") else path


def load_pack_text(text: str, path: str, builtin: bool = False) -> Pack:
    raw = load_yaml(text, path, PackError)
    if not isinstance(raw, LDict):
        raise PackError("a rule pack must be a mapping with 'pack' and 'rules'", path, 1)
    where = Where(path, raw.line)
    top = validate_options(raw, PACK_SPEC, where)
    name = top["pack"]
    if not _ID.match(name):
        raise where.error(f"pack name {name!r} must be lower-case letters, digits, '.', '_' or '-'",
                          raw.line_of("pack"))
    extra = tuple(top["categories"])
    for cat in extra:
        if not _CATEGORY.match(cat):
            raise where.error(f"category {cat!r} must be lower-case words joined by '-'",
                              raw.line_of("categories"))
    defaults = top["defaults"] or LDict()
    if not isinstance(defaults, dict):
        raise where.error("'defaults' must be a mapping", raw.line_of("defaults"))
    if defaults:
        validate_options(defaults, DEFAULTS_SPEC, Where(path, raw.line_of("defaults")),
                         context="defaults: ")
    data = top["data"] or {}
    if not isinstance(data, dict):
        raise where.error("'data' must be a mapping of table names to tables", raw.line_of("data"))
    rules_raw = top["rules"]
    if not isinstance(rules_raw, list):
        raise where.error("'rules' must be a list of rules", raw.line_of("rules"))
    ctx = PackContext(name, path, data)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(rules_raw):
        line = rules_raw.line_of(i) if isinstance(rules_raw, LList) else raw.line_of("rules")
        if not isinstance(item, LDict):
            raise where.error(f"rule {i + 1} must be a mapping", line)
        rule = build_rule(item, defaults, name, extra, path, ctx)
        if rule.meta.name in seen:
            raise PackError(f"duplicate rule id {rule.meta.name!r} (first defined on line "
                            f"{seen[rule.meta.name]})", path, item.line_of("id"))
        seen[rule.meta.name] = item.line_of("id")
        rules.append(rule)
    return Pack(name, path, top["description"], top["default"], extra, rules, data, builtin)


def build_rule(item: LDict, defaults: dict, pack: str, extra_categories: tuple[str, ...],
               path: str, ctx: PackContext) -> Rule:
    rid = item.get("id")
    where = Where(path, item.line, rid if isinstance(rid, str) else "")
    kind_name = item.get("kind")
    if kind_name is None:
        raise where.error("missing required key 'kind'", item.line)
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        raise where.error(f"unknown kind {kind_name!r}; kinds are {', '.join(sorted(KINDS))}"
                          + (did_you_mean(kind_name, KINDS) if isinstance(kind_name, str) else ""),
                          item.line_of("kind"))
    cls = KINDS[kind_name]
    merged = LDict(item)
    merged.line, merged.lines = item.line, dict(item.lines)
    for k, v in defaults.items():
        if k not in merged:
            merged[k] = v
            merged.lines[k] = defaults.line_of(k) if isinstance(defaults, LDict) else item.line
    spec = {**COMMON_SPEC, **cls.OPTIONS}
    opts = validate_options(merged, spec, where)
    if not _ID.match(opts["id"]):
        raise where.error(f"rule id {opts['id']!r} must be lower-case letters, digits, '.', '_' "
                          "or '-'", item.line_of("id"))
    category = opts["category"]
    if category not in TAXONOMY and category not in extra_categories:
        raise where.error(
            f"unknown category {category!r}; use one of the taxonomy's ({', '.join(TAXONOMY)}) "
            "or declare it in the pack's 'categories'" + did_you_mean(category, TAXONOMY + extra_categories),
            merged.line_of("category"))
    allowed = cls.PLACEHOLDERS
    for key in ("message", "suggestion"):
        if opts.get(key):
            try:
                names = placeholders(opts[key])
            except ValueError as exc:
                raise where.error(f"{key}: {exc} (write {{{{ and }}}} for literal braces)",
                                  merged.line_of(key)) from None
            bad = names - allowed
            if bad:
                raise where.error(f"{key}: unknown placeholder {{{sorted(bad)[0]}}}; this kind "
                                  f"offers {', '.join('{' + p + '}' for p in sorted(allowed))}",
                                  merged.line_of(key))
    fix = _fix(opts["fix"], where, merged.line_of("fix"), cls, kind_name, merged) \
        if opts["fix"] is not None else None
    if not opts["references"]:
        raise where.error("'references' must name at least one regulation or guidance document",
                          merged.line_of("references"))
    examples = _examples(opts["examples"], where, merged.line_of("examples"))
    triggers = _triggers(opts["triggers"], where, merged.line_of("triggers")) \
        if opts["triggers"] is not None else None
    meta = RuleMeta(
        id=f"{pack}/{opts['id']}", name=opts["id"], pack=pack, kind=kind_name,
        category=category, severity=opts["severity"], message=opts["message"].strip(),
        rationale=" ".join(opts["rationale"].split()), references=list(opts["references"]),
        suggestion=opts["suggestion"].strip() if opts["suggestion"] else None,
        examples=examples, url=opts["url"], enabled=opts["enabled"], path=path,
        line=item.line, fix=fix, triggers=triggers,
    )
    kind_opts = {k: opts[k] for k in cls.OPTIONS}
    return cls(meta, kind_opts, merged, where, ctx)


def _fix(value: Any, where: Where, line: int, cls, kind: str, raw: LDict) -> dict:
    """``fix: {replace: "...", safe: false}``: the replacement is checked for placeholders."""
    if isinstance(value, str):
        value = {"replace": value}
    if not isinstance(value, dict):
        raise where.error("'fix' must be a mapping with 'replace' (and 'safe')", line)
    spec = {"replace": Opt("str", required=True), "safe": Opt("bool", default=False)}
    fix = validate_options(lined(value, line), spec, where,
                           context="fix: ")
    if cls.scope == "document":
        raise where.error("fix: a document-level rule has no match to replace", line)
    if raw.get("report") == "sentence":
        raise where.error("fix: a rule that reports the whole sentence has no match to replace", line)
    allowed = set(cls.PLACEHOLDERS)
    if kind == "regex":
        import re as _re

        for pattern in (raw.get("regex") or []) if isinstance(raw.get("regex"), list) else [raw.get("regex")]:
            if isinstance(pattern, str):
                allowed |= set(_re.findall(r"\(\?P<(\w+)>", pattern))
    try:
        names = placeholders(fix["replace"])
    except ValueError as exc:
        raise where.error(f"fix: {exc}", line) from None
    if names - allowed:
        raise where.error(f"fix: unknown placeholder {{{sorted(names - allowed)[0]}}}", line)
    return fix


def _triggers(value: Any, where: Where, line: int):
    """``triggers: [substring, ...]`` or ``{words: [...], substrings: [...]}`` -> an AnyOf."""
    from .prefilter import AnyOf
    from .words import words_of

    if isinstance(value, (list, str)):
        value = {"substrings": value}
    if not isinstance(value, dict):
        raise where.error("'triggers' must be a list of substrings or a mapping with words and "
                          "substrings", line)
    spec = {"words": Opt("strlist", default=[]), "substrings": Opt("strlist", default=[])}
    t = validate_options(lined(value, line), spec, where,
                         context="triggers: ")
    words = set()
    for w in t["words"]:
        words.update(words_of(w))
    if not words and not t["substrings"]:
        raise where.error("'triggers' is empty", line)
    return AnyOf(frozenset(words), frozenset(s.lower() for s in t["substrings"]))


def _examples(value: Any, where: Where, line: int) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise where.error("'examples' must be a mapping with 'bad' and 'good' lists", line)
    spec = {"bad": Opt("strlist", default=[]), "good": Opt("strlist", default=[])}
    ex = validate_options(lined(value, line), spec, where,
                          context="examples: ")
    if not ex["bad"]:
        raise where.error("examples: at least one 'bad' example is required", line)
    return {"bad": list(ex["bad"]), "good": list(ex["good"])}



MAX_PACK_BYTES = 20_000_000  # the built-in packs together are a few hundred kilobytes


@functools.lru_cache(maxsize=64)
def _load_file(path: str, mtime: float, builtin: bool) -> Pack:
    from . import safefs

    display = path if builtin else _display(path)
    try:
        data = safefs.read_regular(path, MAX_PACK_BYTES)
    except safefs.TooLarge:
        raise PackError(f"rule pack is over {MAX_PACK_BYTES // 1_000_000} MB; split it into several "
                        "packs", display) from None
    except safefs.NotRegularFile as exc:
        raise PackError(f"cannot read rule pack: it is {exc.kind}, not a regular file", display) from None
    except OSError as exc:
        raise PackError(f"cannot read rule pack: {exc.strerror or exc}", display) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(f"rule pack is not valid UTF-8 (byte {exc.start})", display) from None
    return load_pack_text(text, display, builtin)


def load_pack(ref: str, base_dir: str | None = None) -> Pack:
    """A pack by built-in name (``claims``) or by path (``./packs/brand.yaml``)."""
    looks_like_path = ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref
    if not looks_like_path:
        entry = builtin_dir().joinpath(ref + ".yaml")
        if not entry.is_file():
            raise PackError(f"unknown built-in pack {ref!r}; built-in packs are "
                            f"{', '.join(builtin_names())}" + did_you_mean(ref, builtin_names()))
        with importlib.resources.as_file(entry) as real:
            p = str(real)
            return _load_file(p, os.path.getmtime(p), True)
    path = ref if os.path.isabs(ref) or base_dir is None else os.path.join(base_dir, ref)
    if not os.path.isfile(path):
        raise PackError(f"rule pack not found: {path}")
    return _load_file(os.path.abspath(path), os.path.getmtime(path), False)


def default_pack_names() -> list[str]:
    return [n for n in builtin_names() if load_pack(n).default]
