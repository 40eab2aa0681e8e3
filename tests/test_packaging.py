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
    wheels = list(tmp_path.glob("claimlint_health-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    packs = sorted(p.rsplit("/", 1)[1] for p in names if p.startswith("claimlint/rules/") and p.endswith(".yaml"))
    shipped = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    assert packs == shipped and "starter.yaml" in packs
    assert not any(n.startswith(("tests/", "rules/")) for n in names)


def test_installed_package_lists_builtin_packs():
    from claimlint.packs import builtin_names

    assert set(builtin_names()) == {p.stem for p in (ROOT / "rules").glob("*.yaml")}


def test_the_distribution_is_claimlint_health_and_installs_the_claimlint_command():
    from importlib import metadata

    dist = metadata.distribution("claimlint-health")
    assert dist.metadata["Name"] == "claimlint-health"
    scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    assert scripts == {"claimlint": "claimlint.__main__:run"}
    import claimlint

    assert dist.version == claimlint.__version__


def test_no_instruction_installs_the_unrelated_claimlint_from_the_package_index():
    # "claimlint" on the public package index is another project: every install instruction
    # must name this one (claimlint-health from the repository, or a wheel built from it).
    import re

    bare = re.compile(r"pip3? install(?: -[-\w]+)*\s+[\"']?claimlint(?:[=<>\[\s\"']|$)", re.M)
    files = [ROOT / "README.md", ROOT / "scripts" / "README.md", *(ROOT / "docs").rglob("*.md"),
             *(ROOT / "docs" / "ci").glob("*.yml"), ROOT / ".pre-commit-hooks.yaml"]
    offenders = [f"{p.relative_to(ROOT)}: {m.group()!r}" for p in files if p.exists()
                 for m in bare.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
    ci = (ROOT / "docs" / "ci" / "github-actions.yml").read_text() + \
        (ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text()
    assert ci.count('pip install "claimlint-health @ git+https://github.com/claimlint/claimlint') == 2
