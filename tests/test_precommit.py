"""The pre-commit hook, for real: pre-commit (from PyPI) installs this project into its own
environment with `try-repo` and runs the hook on files of a temporary git repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def pre_commit(*args: str, cwd, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = [sys.executable, "-m", "pre_commit"]
    env = dict(os.environ, PRE_COMMIT_COLOR="never", NO_COLOR="1", **(env or {}))
    return subprocess.run([*exe, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    if not (ROOT / ".git").exists():
        pytest.skip("the project is not a git checkout, so pre-commit cannot try it as a repository")
    path = tmp_path_factory.mktemp("precommit")
    (path / ".claimlint.yaml").write_text("packs: [starter]\nexclude: [drafts/]\n")
    (path / "bad.md").write_text("Our drops cure insomnia.\n")
    (path / "clean.md").write_text("We open at nine and close at five.\n")
    (path / "page.html").write_text("<p>This tonic is a <b>cure-all</b>.</p>\n")
    (path / "notes.txt").write_text("Studies show it lifts your mood.\n")
    (path / "drafts").mkdir()
    (path / "drafts" / "bad.md").write_text("Our drops cure insomnia.\n")
    (path / "script.py").write_text("print('cure')\n")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=path, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=path, check=True)
    return path


def test_hook_fails_on_bad_copy_and_passes_on_clean_copy(repo):
    proc = pre_commit("try-repo", str(ROOT), "claimlint", "--all-files", cwd=repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    # One run, one summary: pre-commit must not split the files over several claimlint processes
    # (claimlint parallelises itself), or each prints its own "Found N problems" line.
    assert out.count("Found ") == 1, out
    assert "bad.md:1:11: error [starter/cure-words]" in out
    assert "page.html:1:" in out and "notes.txt:1:1:" in out
    assert "drafts/bad.md" not in out  # the project's configured exclude applies to listed files
    assert "script.py" not in out      # types_or: only Markdown, HTML and plain text reach the hook

    proc = pre_commit("try-repo", str(ROOT), "claimlint", "--files", "clean.md", "drafts/bad.md",
                      cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def _readme_local_recipe() -> str:
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    local = [b for b in blocks if "repo: local" in b]
    assert len(local) == 1, "the README has one repo: local recipe"
    return local[0]


def test_the_readme_s_local_recipe_works_without_a_tag(repo, tmp_path):
    """The README's `repo: local` hook, installing this checkout instead of the git URL."""
    import re

    recipe = _readme_local_recipe()
    assert "git+https://github.com/claimlint/claimlint@main" in recipe
    config = re.sub(r'additional_dependencies: \[.*\]', f'additional_dependencies: ["{ROOT}"]', recipe)
    (repo / ".pre-commit-config.yaml").write_text(config)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "home")}  # a fresh environment with this code
    proc = pre_commit("run", "--all-files", "--config", ".pre-commit-config.yaml", cwd=repo, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "bad.md:1:11: error [starter/cure-words]" in out and out.count("Found ") == 1
    assert "drafts/bad.md" not in out
