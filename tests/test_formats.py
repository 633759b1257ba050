"""SARIF (validated against the official schema), GitHub annotations, statistics, progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

from postmaster_lint import cli, output

from .conftest import REPO, write

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
BAD = "Please whitelist our IP, 100%!!\n"


def test_cli_and_output_agree_on_formats() -> None:
    assert cli.OUTPUT_FORMATS == output.FORMATS


def test_sarif_validates_and_carries_rule_metadata(run_cli, tmp_path: Path) -> None:
    good = write(tmp_path, "a.txt", BAD)
    broken = write(tmp_path, "b.txt", b"\x00\x01")
    result = run_cli("lint", "--format", "sarif", str(good), str(broken))
    assert result.code == 2
    log = json.loads(result.out)
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["PM101", "PM102", "PM103"]
    pm104 = next(r for r in rules if r["id"] == "PM104")
    assert pm104["name"] == "exception-request"
    assert pm104["defaultConfiguration"] == {"level": "error"}
    assert "Yahoo has no whitelisting program" in pm104["help"]["text"]
    finding = next(r for r in run["results"] if r["ruleId"] == "PM104")
    assert rules[finding["ruleIndex"]]["id"] == "PM104"
    assert finding["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 8,
        "endLine": 1,
        "endColumn": 17,
        "charOffset": 7,
        "charLength": 9,
        "snippet": {"text": "whitelist"},
    }
    assert run["columnKind"] == "unicodeCodePoints"
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert "binary file" in note["message"]["text"]


def test_github_annotations(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "a, b.txt", BAD)
    result = run_cli("lint", "--format", "github", "--select", "PM104,PM109", str(path))
    escaped = str(path).replace(",", "%2C")
    assert result.out.splitlines() == [
        f"::error file={escaped},line=1,col=8,endLine=1,endColumn=17,title=PM104 "
        "exception-request::Asks for special treatment (whitelisting, an exception, bypassing "
        "filters); providers apply the same filters to everyone. Ask for a review of the fixed "
        "cause instead.",
        f"::warning file={escaped},line=1,col=30,endLine=1,endColumn=32,title=PM109 "
        "demanding-tone::Demanding or threatening tone; it gets a request put at the back of "
        "the queue. Keep it factual and polite.",
    ]


def test_statistics_count_by_rule(run_cli, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        write(tmp_path, name, BAD)
    result = run_cli("lint", "--statistics", "--select", "PM104,PM109,PM201", str(tmp_path))
    assert result.out.splitlines() == [
        "    2  PM104  exception-request           error",
        "    2  PM109  demanding-tone              warning",
        "    2  PM201  missing-smtp-code           error",
    ]


def _many(tmp_path: Path) -> Path:
    for index in range(25):
        write(tmp_path, f"d{index:02}.txt", "Hello.\n")
    return tmp_path


def test_progress_bar_only_on_a_terminal_outside_ci(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _many(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    assert "Linting" not in run_cli("lint", "--select", "PM104", str(folder)).err  # piped
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert "Linting" in run_cli("lint", "--select", "PM104", str(folder)).err
    monkeypatch.setenv("CI", "true")
    assert "Linting" not in run_cli("lint", "--select", "PM104", str(folder)).err
