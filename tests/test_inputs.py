"""Bad input: a one-line error naming the file, exit code 2, no traceback, and every other
file in the run still linted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import write

DRAFT = "Please whitelist our IP.\n"


def lint_with_bad(run_cli, tmp_path: Path, bad: Path):  # type: ignore[no-untyped-def]
    good = write(tmp_path, "good.txt", DRAFT)
    return run_cli("lint", "--select", "PM104", str(bad), str(good)), good


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.txt", b"Hello\x00\x01\x02", "binary file (contains NUL bytes), not a text draft"),
        ("latin1.txt", "Café".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("big.txt", b"a" * 2048, "file is 2048 bytes, over the 1024-byte limit (--max-file-size)"),
    ],
)
def test_unreadable_content(
    run_cli, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", DRAFT)
    result = run_cli("lint", "--select", "PM104", "--max-file-size", "1024", str(bad), str(good))
    assert result.code == 2
    assert result.err.splitlines() == [f"postmaster-lint: {bad}: {reason}"]
    assert f"{good}:1:8: PM104" in result.out
    assert "Traceback" not in result.err


def test_missing_file(run_cli, tmp_path: Path) -> None:
    result, good = lint_with_bad(run_cli, tmp_path, tmp_path / "nope.txt")
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: {tmp_path / 'nope.txt'}: no such file or directory"
    ]
    assert f"{good}:1:8: PM104" in result.out


def test_not_a_regular_file(run_cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result, good = lint_with_bad(run_cli, tmp_path, fifo)
    assert result.code == 2
    assert result.err.splitlines() == [f"postmaster-lint: {fifo}: not a regular file"]
    assert f"{good}:1:8: PM104" in result.out


def test_permission_denied(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path, "locked.txt", DRAFT)
    real_open = open

    def deny(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    result, good = lint_with_bad(run_cli, tmp_path, locked)
    assert result.code == 2
    assert result.err.splitlines() == [f"postmaster-lint: {locked}: cannot read: Permission denied"]
    assert f"{good}:1:8: PM104" in result.out


def test_directories_are_walked_for_drafts_only(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", DRAFT)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.md", DRAFT)
    write(tmp_path, "image.png", b"\x89PNG\x00")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "c.txt", DRAFT)
    result = run_cli("lint", "--select", "PM104", str(tmp_path))
    assert result.code == 1
    flagged = sorted(line.split(":")[0] for line in result.out.splitlines() if "PM104" in line)
    assert flagged == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")]


def test_symlink_loop_does_not_hang(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "a.txt", DRAFT)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert run_cli("lint", "--select", "PM104", str(tmp_path)).code == 1


def test_the_linter_never_writes_to_its_inputs(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", DRAFT)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run_cli("lint", str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_bom_is_not_counted_as_a_column(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", "\ufeffPlease whitelist us.\n".encode("utf-8"))
    assert f"{path}:1:8: PM104" in run_cli("lint", "--select", "PM104", str(path)).out
