"""TOML configuration files: every problem is one clear error naming the file and line."""
from __future__ import annotations

import os

import pytest

from claimlint.errors import ConfigError
from claimlint.tomlutil import load_toml_safely


def load(tmp_path, text: str):
    p = tmp_path / "pyproject.toml"
    p.write_text(text, encoding="utf-8")
    return load_toml_safely(str(p), "pyproject.toml")


def test_a_good_file(tmp_path):
    assert load(tmp_path, "[tool.claimlint]\njobs = 2\n") == {"tool": {"claimlint": {"jobs": 2}}}


@pytest.mark.parametrize("text,line,fragment", [
    ("[tool.claimlint]\njobs = " + "1" * 5000 + "\n", 2, "a number of 5,000 characters is too long"),
    ("[tool]\nx = 0x" + "f" * 5000 + "\n", 2, "too long"),
    ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", None, "nested too deeply"),
    ("a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n", None, "nested too deeply"),
    ("[tool.claimlint]\njobs = = 2\n", 2, "invalid TOML: Invalid value"),
])
def test_problems_are_config_errors_with_the_line(tmp_path, text, line, fragment):
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, text)
    assert exc.value.path == "pyproject.toml" and exc.value.line == line
    assert fragment in exc.value.message


def test_not_utf8_fifo_and_device(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_bytes(b"[tool]\nname = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8") as exc:
        load_toml_safely(str(p))
    assert exc.value.line == 2
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.toml")
        with pytest.raises(ConfigError, match="FIFO"):
            load_toml_safely(str(tmp_path / "fifo.toml"))
    if os.path.exists("/dev/zero"):
        with pytest.raises(ConfigError, match="character device"):
            load_toml_safely("/dev/zero")
    with pytest.raises(ConfigError, match="over"):
        (tmp_path / "big.toml").write_text("a = 1\n" * 1000)
        load_toml_safely(str(tmp_path / "big.toml"), max_bytes=100)
