"""The README's configuration and GitHub Actions snippets, exercised."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, write
from .readme import snippet

BAD = "Please whitelist our IP.\n"


def test_configure_snippet_loads_and_applies(run_cli, tmp_path: Path) -> None:
    write(tmp_path, ".postmaster-lint.yaml", snippet("configure"))  # pasted as it is
    result = run_cli("config", str(tmp_path / "templates" / "x.txt"))
    assert result.code == 0, result.err
    assert "rules.PM102.threshold: 2" in result.out
    (tmp_path / "templates" / "legacy").mkdir(parents=True)
    legacy = write(tmp_path / "templates" / "legacy", "old.txt", "We are deeply sorry!!\n")
    out = run_cli("lint", "--format", "concise", str(legacy)).out
    assert "PM109" not in out  # per-file-ignores in the snippet


def test_pyproject_snippet_loads(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", snippet("pyproject"))
    result = run_cli("config", str(tmp_path / "a.txt"))
    assert result.code == 0, result.err
    assert f"# configuration file: {tmp_path / 'pyproject.toml'}" in result.out


def test_github_actions_snippet_runs(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow = yaml.safe_load(snippet("github-actions"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [step["run"] for step in steps if "postmaster-lint lint" in step.get("run", "")]
    assert commands, "the workflow snippet must run postmaster-lint"
    (tmp_path / "templates").mkdir()
    write(tmp_path / "templates", "bad.txt", BAD)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "postmaster-lint"
        result = run_cli(*args[1:])
        assert result.code == 1
        assert "::error file=templates/bad.txt,line=1,col=8," in result.out


def test_checklist_sample_is_what_the_fixed_draft_gives(
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("lint", "examples/fixed-draft.txt")
    assert result.code == 0
    assert snippet("checklist") in result.out
