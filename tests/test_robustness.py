"""Bad input, hostile rule packs, interrupts: a correct result or a one-line error naming the
file (exit 2), never a traceback or a hang, and the other files still linted."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import write, write_rule_pack

DRAFT = "Please whitelist our IP.\n"
REDOS = "{regex: ['^(a|a)*$']}"  # catastrophic backtracking in Python's re


def concise(run_cli, *paths: Path, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return run_cli(
        "lint", "--no-cache", "--format", "concise", "--select", "PM104", *extra, *map(str, paths)
    )


def test_a_50_mb_file_is_refused_by_name(run_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    good = write(tmp_path, "good.txt", DRAFT)
    result = concise(run_cli, big, good)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: {big}: file is 52428800 bytes, over the 2097152-byte limit (--max-file-size)"
    ]
    assert result.out.startswith(f"{good}:1:8: PM104")


def test_a_single_5_mb_line_is_refused_by_name(run_cli, tmp_path: Path) -> None:
    line = write(tmp_path, "line.txt", "a" * (5 * 1024 * 1024))
    result = concise(run_cli, line)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: {line}: file is 5242880 bytes, over the 2097152-byte limit (--max-file-size)"
    ]


def test_a_long_single_line_lints_in_bounded_time(run_cli, tmp_path: Path) -> None:
    line = write(tmp_path, "line.txt", ("Please whitelist our IP and we are deeply sorry " * 5000))
    started = time.monotonic()
    result = run_cli("lint", "--no-cache", "--format", "json", str(line))
    assert time.monotonic() - started < 60
    assert result.code == 1
    assert len(json.loads(result.out)["diagnostics"]) > 1000


def test_utf16_with_bom_and_mixed_line_endings_and_control_characters(
    run_cli, tmp_path: Path
) -> None:
    utf16 = write(
        tmp_path, "u16.txt", "\ufeffHi,\r\nPlease whitelist our IP.\n".encode("utf-16-le")
    )
    mixed = write(tmp_path, "mixed.txt", "a\r\nb\rc\n\x07\x1b[31mCould you whitelist us?\x00"[:-1])
    result = concise(run_cli, utf16, mixed)
    assert result.out.splitlines() == [
        f"{mixed}:4:17: PM104 " + result.out.splitlines()[0].split(" PM104 ", 1)[1],
        f"{utf16}:2:8: PM104 " + result.out.splitlines()[0].split(" PM104 ", 1)[1],
    ]


def test_deeply_nested_and_broken_html(run_cli, tmp_path: Path) -> None:
    nested = write(tmp_path, "deep.html", "<div>" * 20000 + "Please whitelist us." + "</div>" * 3)
    broken = write(tmp_path, "broken.html", "<p><b>Please <i>whitelist</b> us</p></div></span><<>")
    result = concise(run_cli, nested, broken)
    assert result.code == 1
    assert [line.split(":")[0] for line in result.out.splitlines()] == [str(broken), str(nested)]


def test_mime_with_a_wrong_charset_and_a_truncated_base64_part(run_cli, tmp_path: Path) -> None:
    body = base64.b64encode(b"Hello, please whitelist our IP now.").decode()[:-7]
    eml = write(
        tmp_path,
        "trunc.eml",
        "Subject: hi\nContent-Type: text/plain; charset=klingon\n"
        f"Content-Transfer-Encoding: base64\n\n{body}\n",
    )
    result = concise(run_cli, eml)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(f"{eml}:5:")


def test_a_catastrophic_rule_regex_cannot_hang_the_run(run_cli, tmp_path: Path) -> None:
    pack = write_rule_pack(tmp_path / "pack", "XX101", REDOS, name="redos")
    evil = write(tmp_path, "evil.txt", "a" * 60 + "!\n")
    fine = write(tmp_path, "fine.txt", "aaaa\n")
    started = time.monotonic()
    result = run_cli(
        "lint",
        "--no-cache",
        "--format",
        "concise",
        "--rules",
        str(pack),
        "--select",
        "XX101",
        "--timeout",
        "1",
        str(evil),
        str(fine),
    )
    assert time.monotonic() - started < 30
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: {evil}: the pattern '^(a|a)*$' ran past the time budget for this "
        "file (--timeout)"
    ]
    assert result.out.startswith(f"{fine}:1:1: XX101")


def test_output_file_is_written_whole(run_cli, tmp_path: Path) -> None:
    draft = write(tmp_path, "d.txt", DRAFT)
    report = tmp_path / "report.json"
    result = run_cli("lint", "--format", "json", "--output", str(report), str(draft))
    assert result.code == 1 and result.out == ""
    assert json.loads(report.read_text())["summary"]["files"] == 1
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind


def test_output_is_identical_in_any_order_and_with_jobs(run_cli, tmp_path: Path) -> None:
    paths = [write(tmp_path, f"d{i:02}.txt", DRAFT * (i % 3 + 1)) for i in range(16)]
    forward = run_cli("lint", "--no-cache", "--jobs", "1", *map(str, paths)).out
    backward = run_cli("lint", "--no-cache", "--jobs", "2", *map(str, reversed(paths))).out
    assert forward == backward


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    for index in range(1500):
        write(tmp_path, f"d{index:04}.txt", DRAFT * 40 + f"{index}\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "postmaster_lint",
            "lint",
            "--no-cache",
            "--jobs",
            "2",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    # Interrupt once the run is under way (its worker processes are forked, which happens
    # after the pipeline is built), not during start-up, however slow the machine.
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 120
    while not children.read_text().strip():
        assert process.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()  # never leave a hung run behind
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().endswith("postmaster-lint: interrupted")


def test_the_language_server_reports_a_file_over_its_budget(tmp_path: Path) -> None:
    from postmaster_lint.lsp.server import PostmasterLanguageServer

    write_rule_pack(tmp_path / "pack", "XX101", REDOS, name="redos")
    write(tmp_path, ".postmaster-lint.yaml", "extra-rules: [pack]\nselect: [XX101]\n")
    server = PostmasterLanguageServer()
    server.budget = 0.5
    outcome = server.lint_source((tmp_path / "evil.txt").as_uri(), "a" * 60 + "!\n")
    assert outcome.findings == []
    assert outcome.problem == (
        f"postmaster-lint: {tmp_path / 'evil.txt'}: the pattern '^(a|a)*$' ran past the time "
        "budget for this file (--timeout)"
    )
