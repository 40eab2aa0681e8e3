"""Which files a run checks: a checked-out repository is untrusted input."""
from __future__ import annotations

import os
import subprocess

import pytest

from claimlint.discovery import FileFinder
from claimlint.settings import Settings

CLAIM = "It cures cancer.\n"


def rel(folder, paths) -> list[str]:
    return sorted(os.path.relpath(p, folder) for p in paths)


def test_links_out_of_the_folder_are_not_followed(tmp_path):
    site, secret = tmp_path / "site", tmp_path / "secret"
    site.mkdir()
    secret.mkdir()
    (secret / "notes.txt").write_text("API_KEY=12345 cures\n")
    (secret / "more.md").write_text(CLAIM)
    (site / "a.md").write_text(CLAIM)
    (site / "notes.txt").symlink_to(secret / "notes.txt")
    (site / "docs").symlink_to(secret, target_is_directory=True)
    finder = FileFinder(Settings(root=str(site)))
    names = rel(site, [p for p, err in finder.find([str(site)]) if err is None])
    assert names == ["a.md"]
    # A link inside the folder to a file inside it is checked once.
    (site / "alias.md").symlink_to(site / "a.md")
    assert len([p for p, _ in finder.find([str(site)])]) == 1
    # A file named on the command line is checked wherever it points: the user named it.
    assert [e for _, e in finder.find([str(site / "notes.txt")])] == [None]


def test_a_folder_link_loop_ends(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text(CLAIM)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    finder = FileFinder(Settings(root=str(tmp_path)))
    assert rel(tmp_path, [p for p, _ in finder.find([str(tmp_path)])]) == ["a/x.md"]


def test_any_depth_is_walked_without_recursion(tmp_path):
    deep = tmp_path
    for _ in range(1200):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "z.md").write_text(CLAIM)
    try:
        finder = FileFinder(Settings(root=str(tmp_path)))
        assert [p.endswith("/d/z.md") for p, _ in finder.find([str(tmp_path)])] == [True]
    finally:  # bottom up: pytest's own clean-up recurses once per level
        (deep / "z.md").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


@pytest.mark.skipif(not os.path.exists("/usr/bin/git") and not os.path.exists("/bin/git"),
                    reason="git is not installed")
def test_gitignore_is_honoured_like_git(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("build/\n*.draft.md\n")
    (tmp_path / "docs" / "keep").mkdir(parents=True)
    (tmp_path / "build").mkdir()
    for name in ("docs/a.md", "build/gen.md", "docs/x.draft.md", "docs/keep/y.draft.md"):
        (tmp_path / name).write_text(CLAIM)
    (tmp_path / "docs" / "keep" / ".gitignore").write_text("!y.draft.md\n")
    (tmp_path / ".git" / "info" / "exclude").write_text("docs/private.md\n")
    (tmp_path / "docs" / "private.md").write_text(CLAIM)
    finder = FileFinder(Settings(root=str(tmp_path)))
    assert rel(tmp_path, [p for p, _ in finder.find([str(tmp_path)])]) == \
        ["docs/a.md", "docs/keep/y.draft.md"]
    # Checking a subfolder uses the repository's ignore files too.
    assert rel(tmp_path, [p for p, _ in finder.find([str(tmp_path / "docs")])]) == \
        ["docs/a.md", "docs/keep/y.draft.md"]
    every = FileFinder(Settings(root=str(tmp_path), respect_gitignore=False))
    assert len(list(every.find([str(tmp_path)]))) == 5
    # A file named on the command line is checked even if git ignores it.
    assert [e for _, e in finder.find([str(tmp_path / "build" / "gen.md")])] == [None]


def test_gitignore_outside_a_repository_is_not_read(tmp_path):
    (tmp_path / ".gitignore").write_text("*.md\n")
    (tmp_path / "a.md").write_text(CLAIM)
    finder = FileFinder(Settings(root=str(tmp_path)))
    from claimlint.discovery import GitIgnore

    if GitIgnore.find_top(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git repository")
    assert [os.path.basename(p) for p, _ in finder.find([str(tmp_path)])] == ["a.md"]


def test_respect_gitignore_in_configuration(tmp_path):
    (tmp_path / ".claimlint.yaml").write_text("respect-gitignore: false\n")
    assert Settings.load(start=str(tmp_path)).respect_gitignore is False
    (tmp_path / ".claimlint.yaml").write_text("respect-gitignore: maybe\n")
    from claimlint.errors import ConfigError

    with pytest.raises(ConfigError, match="must be true or false"):
        Settings.load(start=str(tmp_path))


def test_an_ignored_folder_named_on_the_command_line_is_checked(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "generated" / "sub").mkdir(parents=True)
    (tmp_path / "generated" / "sub" / "page.md").write_text("It cures colds.\n")
    (tmp_path / "post.md").write_text("It cures colds.\n")
    finder = FileFinder(Settings(root=str(tmp_path)))
    names = lambda p: sorted(os.path.basename(x) for x, _ in finder.find([str(p)]))  # noqa: E731
    assert names(tmp_path) == ["post.md"]  # walking the repository: ignored
    assert names(tmp_path / "generated") == ["page.md"]  # named on purpose: checked
    assert names(tmp_path / "generated" / "sub") == ["page.md"]
