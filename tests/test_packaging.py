"""The wheel carries the rule packs; the installed package finds them."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT


def test_wheel_contains_rule_packs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stdout}\n{proc.stderr}")
    wheels = list(tmp_path.glob("claimlint-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    packs = sorted(p.rsplit("/", 1)[1] for p in names if p.startswith("claimlint/rules/") and p.endswith(".yaml"))
    shipped = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    assert packs == shipped and "starter.yaml" in packs
    assert not any(n.startswith(("tests/", "rules/")) for n in names)


def test_installed_package_lists_builtin_packs():
    from claimlint.packs import builtin_names

    assert set(builtin_names()) == {p.stem for p in (ROOT / "rules").glob("*.yaml")}
