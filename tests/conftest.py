"""Shared fixtures; the helpers they use live in helpers.py."""
from __future__ import annotations

import pytest

from helpers import SHARED, run_cli


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def shared_dir():
    if not (SHARED / "spec" / "taxonomy.md").exists():
        pytest.skip("../shared is not present beside the project (the seed articles and the "
                    "shared spec live there)")
    return SHARED


@pytest.fixture
def isolated_cwd(tmp_path, monkeypatch):
    """A working directory with no configuration file above it that matters."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
