"""TOML loading that reports every problem as a :class:`ConfigError` naming the file and line.

``tomllib`` raises more than ``TOMLDecodeError``: an integer of more than 4,300 digits is a bare
``ValueError``, arrays nested a few thousand deep a ``RecursionError``; and ``tomllib.load`` on a
FIFO or ``/dev/zero`` never returns. :func:`load_toml_safely` reads a bounded regular file and turns
each of these into one clear error.
"""
from __future__ import annotations

import re
import sys
from typing import Any

from . import safefs
from .errors import ClaimlintError, ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_TOML_BYTES = 10_000_000  # a pyproject.toml is a few kilobytes
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"[0-9A-Fa-f_xob+-]{4000,}")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _has_huge_int(data: Any) -> bool:
    stack = [data]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, int) and v.bit_length() > 14_000:
            return True
    return False


def loads_toml_safely(text: str, display: str, error: type[ClaimlintError] = ConfigError) -> dict:
    """Parse TOML text; any problem is ``error`` naming ``display`` (and the line when known)."""
    try:
        data = tomllib.loads(text)
        if _has_huge_int(data):  # hexadecimal: parsed, but it could not even be printed
            raise ValueError("too long")
        return data
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT.search(msg)
        line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        raise error(f"invalid TOML: {_AT.sub('', msg).strip()}", display, line, col) from None
    except RecursionError:
        raise error("invalid TOML: nested too deeply", display) from None
    except (ValueError, OverflowError) as exc:
        m = _LONG_NUMBER.search(text)
        if m:
            raise error(f"invalid TOML: a number of {len(m.group()):,} characters is too long",
                        display, _line_of(text, m.start())) from None
        raise error(f"invalid TOML: {exc}", display) from None


def read_toml(path: str, display: str | None = None, error: type[ClaimlintError] = ConfigError,
              max_bytes: int = MAX_TOML_BYTES) -> tuple[dict[str, Any], str]:
    """The TOML document at ``path`` as a dict, and its text; or ``error`` naming the file (and
    line).

    Only a regular file of at most ``max_bytes`` is read (a FIFO or a device is an error, not a
    hang); it must be UTF-8, as TOML requires.
    """
    display = display or path
    data = safefs.read_config_file(path, max_bytes, display, error)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"invalid TOML: not UTF-8 (byte 0x{data[exc.start]:02X})", display, line) from None
    return loads_toml_safely(text, display, error), text


def load_toml_safely(path: str, display: str | None = None,
                     error: type[ClaimlintError] = ConfigError,
                     max_bytes: int = MAX_TOML_BYTES) -> dict[str, Any]:
    """The TOML document at ``path`` as a dict (see :func:`read_toml`)."""
    return read_toml(path, display, error, max_bytes)[0]
