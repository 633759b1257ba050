"""What a new user tripped over (issue 12): each defect pinned at the message and exit code the
user sees."""

from __future__ import annotations

from pathlib import Path

from .conftest import REPO, write

FIXED = REPO / "examples" / "fixed-draft.txt"


def test_a_draft_over_a_million_characters_is_linted_with_its_neighbours(
    run_cli, tmp_path: Path
) -> None:
    # spaCy refuses texts over 1,000,000 characters by default; the size limit is 2 MiB.
    big = write(tmp_path, "big.txt", "Hello postmaster team. " * 45000 + "\n")
    assert 1_000_000 < big.stat().st_size < 2 * 1024 * 1024
    args = ("--no-cache", "--no-checklist", "--timeout", "300")  # a loaded CI machine is slow
    result = run_cli("lint", *args, str(big), str(FIXED))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and result.err == ""
    assert f"{big}:1:1: PM201" in result.out
    assert str(FIXED) not in result.out  # linted, and clean
    assert result.out.rstrip().endswith("in 2 files.")
