"""The pre-commit hook, run for real through pre-commit on a throwaway template repository,
configured with the README's snippet."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO
from .readme import snippet

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
BAD = "Please whitelist our IP. We are CAN-SPAM compliant.\n"
GOOD = (REPO / "examples" / "fixed-draft.txt").read_text(encoding="utf-8")


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_hook_manifest_is_valid() -> None:
    done = run([*PRE_COMMIT, "validate-manifest", ".pre-commit-hooks.yaml"], REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def hook() -> dict[str, str]:
    [found] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return dict(found)


@pytest.mark.parametrize(
    ("path", "linted"),
    [
        ("templates/outlook.txt", True),
        ("requests/spamhaus.md", True),
        ("readme-first-template.md", True),
        ("docs.md", True),
        ("README.md", False),
        ("README", False),
        ("templates/README.md", False),
        ("CHANGELOG.md", False),
        ("CONTRIBUTING.md", False),
        ("LICENSE.txt", False),
        ("docs/how-to.md", False),
        ("site/docs/index.html", False),
        ("notes.py", False),
    ],
)
def test_the_hook_leaves_out_the_repository_documents(path: str, linted: bool) -> None:
    """pre-commit's own rule: a file is passed when `files` matches and `exclude` does not
    (both Python regexes searched in the repository-relative path)."""
    import re

    manifest = hook()
    passed = bool(re.search(manifest["files"], path)) and not re.search(manifest["exclude"], path)
    assert passed == linted


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A git repository of templates using the README's pre-commit snippet, pointed at this
    checkout's HEAD."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    head = run(["git", "rev-parse", "HEAD"], REPO)
    assert head.returncode == 0, "the pre-commit test needs this checkout to be a git repository"
    root = tmp_path_factory.mktemp("templates")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    config = yaml.safe_load(snippet("pre-commit"))
    [hook_repo] = config["repos"]
    hook_repo["repo"] = str(REPO)
    hook_repo["rev"] = head.stdout.strip()
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "templates" / "bad.md").write_text(BAD, encoding="utf-8")
    (root / "notes.py").write_text("print('not a draft')\n", encoding="utf-8")
    # the repository's own documents: not drafts, left out by the hook's default `exclude`
    (root / "README.md").write_text("# Our templates\n\nUse them well.\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "guide.md").write_text("How we write requests.\n", encoding="utf-8")
    for args in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "t"]):
        assert run(args, root, env).returncode == 0
    return root, env


@pytest.mark.network
def test_bad_template_fails_the_hook_with_findings(
    template_repo: tuple[Path, dict[str, str]],
) -> None:
    root, env = template_repo
    done = run([*PRE_COMMIT, "run", "--all-files"], root, env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "postmaster-lint" in output and "Failed" in output
    assert "templates/bad.md:1:8: PM104 [error]" in output
    assert "templates/good.txt" not in output.split("Failed", 1)[1]  # the good one is clean


@pytest.mark.network
def test_good_templates_pass_the_hook(template_repo: tuple[Path, dict[str, str]]) -> None:
    root, env = template_repo
    assert run(["git", "rm", "-q", "templates/bad.md"], root, env).returncode == 0
    done = run([*PRE_COMMIT, "run", "--all-files"], root, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
