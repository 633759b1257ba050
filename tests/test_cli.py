"""The command line as users and CI see it: output lines, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, write

BAD = "Hello,\nPlease whitelist our IP. We are deeply sorry!!\n"
CLEAN = (REPO / "corpora" / "drafts" / "good-gmail-42128.txt").read_text(encoding="utf-8")


def test_text_output_has_header_excerpt_caret_checklist_and_summary(
    run_cli, tmp_path: Path
) -> None:
    path = write(tmp_path, "draft.txt", BAD)
    result = run_cli("lint", "--select", "PM104,PM201", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines == [
        f"{path}:2:8: PM104 [error] Asks for special treatment (whitelisting, an exception, "
        "bypassing filters); providers apply the same filters to everyone. Ask for a review of "
        "the fixed cause instead. (exception-request)",
        "    2 | Please whitelist our IP. We are deeply sorry!!",
        "      |        ^^^^^^^^^",
        "",
        f"{path}: required elements",
        # a missing element has no span: reported once, here, with its message
        "  MISSING smtp-code (PM201) [error] No SMTP bounce code: paste the full rejection line "
        "you received (e.g. '550 5.7.1 ...' with its provider code).",
        "",
        "Found 2 problems (2 errors) in 1 file.",
    ]
    assert "\x1b[" not in result.out  # no colour when not writing to a terminal


def test_without_the_checklist_a_missing_element_is_a_file_level_line(
    run_cli, tmp_path: Path
) -> None:
    path = write(tmp_path, "draft.txt", BAD)
    result = run_cli("lint", "--no-checklist", "--select", "PM104,PM201", str(path))
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{path}: PM201 [error] No SMTP bounce code: paste the full rejection line you "
        "received (e.g. '550 5.7.1 ...' with its provider code). (missing-smtp-code)"
    )
    assert result.out.splitlines()[1].startswith(f"{path}:2:8: PM104 [error]")
    assert "    1 | Hello," not in result.out  # no excerpt of a line it is not about


def test_concise_output_is_one_line_per_finding(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "draft.txt", BAD)
    result = run_cli("lint", "--format", "concise", "--select", "PM104,PM102,PM109", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:2:8: PM104 Asks for special treatment (whitelisting, an exception, bypassing "
        "filters); providers apply the same filters to everyone. Ask for a review of the fixed "
        "cause instead.",
        f"{path}:2:33: PM102 Too much apology (weight 2, limit 1): one brief courtesy is "
        "enough. Show the fix instead.",
        f"{path}:2:45: PM109 Demanding or threatening tone; it gets a request put at the back "
        "of the queue. Keep it factual and polite.",
    ]


def test_json_output_is_a_stable_document(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "draft.txt", BAD)
    result = run_cli("lint", "--format", "json", "--select", "PM104", str(path))
    data = json.loads(result.out)
    assert data["schema_version"] == 1
    assert data["diagnostics"] == [
        {
            "path": str(path),
            "line": 2,
            "column": 8,
            "end_line": 2,
            "end_column": 17,
            "rule": "PM104",
            "name": "exception-request",
            "severity": "error",
            "message": data["diagnostics"][0]["message"],
            "text": "whitelist",
            "start": 14,
            "end": 23,
        }
    ]
    assert data["summary"] == {
        "files": 1,
        "unreadable_files": 0,
        "problems": 1,
        "error": 1,
        "warning": 0,
        "info": 0,
    }
    assert data["files"] == [{"path": str(path), "error": None, "checklist": []}]


def test_clean_draft_exits_zero(run_cli, tmp_path: Path) -> None:
    result = run_cli("lint", str(write(tmp_path, "good.txt", CLEAN)))
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "Found 0 problems in 1 file."


def test_fail_on_raises_the_bar(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", CLEAN.replace("Hi,\n", "Hi,\nWe are deeply sorry.\n"))
    assert run_cli("lint", str(path)).code == 1
    assert run_cli("lint", "--fail-on", "error", str(path)).code == 0


def test_select_and_ignore_accept_names(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", BAD)
    out = run_cli("lint", "--select", "exception-request", "--format", "json", str(path)).out
    assert {d["rule"] for d in json.loads(out)["diagnostics"]} == {"PM104"}
    out = run_cli("lint", "--ignore", "PM104,missing-smtp-code", "--format", "json", str(path)).out
    assert not {"PM104", "PM201"} & {d["rule"] for d in json.loads(out)["diagnostics"]}


def test_rule_option_changes_the_threshold(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", "Sorry for the trouble. We apologize.\n")
    assert run_cli("lint", "--select", "PM102", str(path)).code == 1
    assert run_cli("lint", "--select", "PM102", "--set", "PM102.threshold=2", str(path)).code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["lint", "--select", "PM999", "x.txt"],
            "postmaster-lint: error: unknown rule in --select 'PM999' (did you mean 'PM109'?)",
        ),
        (
            ["lint", "--set", "PM102.treshold=2", "x.txt"],
            "postmaster-lint: error: PM102 has no option 'treshold' (did you mean 'threshold'?); "
            "its options: threshold",
        ),
        (
            ["lint", "--set", "PM102.threshold=many", "x.txt"],
            "postmaster-lint: error: PM102 option 'threshold' must be int, not 'many'",
        ),
        (
            ["explain", "PM999"],
            "postmaster-lint: error: unknown rule 'PM999' (did you mean 'PM109'?)",
        ),
    ],
)
def test_usage_errors_are_one_line_exit_2(run_cli, args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.err.splitlines() == [message]
    assert result.out == ""


def test_unknown_command_line_option_is_one_line_exit_2(run_cli) -> None:
    result = run_cli("lint", "--bogus", "x.txt")
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("postmaster-lint: error: No such option")
    assert "--bogus" in line and line.endswith("(see 'postmaster-lint lint --help')")


def test_malformed_rule_pack_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "XX101.yaml").write_text("id: XX101\nname: [broken\n", encoding="utf-8")
    result = run_cli("lint", "--rules", str(pack), str(write(tmp_path, "d.txt", BAD)))
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(f"postmaster-lint: error: {pack / 'XX101.yaml'}:3: invalid YAML")


def test_rules_lists_the_catalogue(run_cli) -> None:
    lines = run_cli("rules").out.splitlines()
    assert lines[0].split() == ["id", "name", "category", "severity", "summary"]
    assert lines[4].startswith("PM104  exception-request           pitfall   error    Asks for")
    assert len(lines) == 24


def test_explain_prints_rationale_and_examples(run_cli) -> None:
    out = run_cli("explain", "exception-request").out
    assert out.startswith("PM104 exception-request (pitfall, error)\n")
    assert "Why it matters:" in out
    assert "  - Please whitelist our IP 192.0.2.10 so our invoices reach your users." in out
    assert "Does not fire on:" in out
    data = json.loads(run_cli("explain", "PM102", "--format", "json").out)
    assert data["options"] == {"threshold": 1}


def test_stdin_is_read_with_dash(monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    import io

    fake = io.TextIOWrapper(io.BytesIO(b"Please whitelist us.\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    result = run_cli("lint", "--select", "PM104", "-")
    assert result.out.splitlines()[0].startswith("<stdin>:1:8: PM104 [error]")


def test_module_entry_point_runs() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "postmaster_lint", "explain", "PM201"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("PM201 missing-smtp-code (required, error)")
