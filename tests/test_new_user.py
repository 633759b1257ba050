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


def test_a_directory_without_drafts_is_an_error_not_a_green_run(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "templates"
    empty.mkdir()
    write(empty, "notes.csv", "not a draft\n")
    result = run_cli("lint", str(empty), str(FIXED))
    assert result.code == 2
    assert result.err == (
        f"postmaster-lint: {empty}: no drafts in this directory (and none its config includes)\n"
    )
    assert "in 1 file. 1 file could not be linted." in result.out


def test_an_empty_draft_is_one_line_not_six_missing_elements(run_cli, tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.txt", "")
    blank = write(tmp_path, "blank.md", "  \n\n\t\n")
    result = run_cli("lint", str(empty), str(blank))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: {blank}: empty draft: nothing to lint",
        f"postmaster-lint: {empty}: empty draft: nothing to lint",
    ]
    assert "PM20" not in result.out


def test_the_language_server_says_nothing_about_a_new_empty_file(tmp_path: Path) -> None:
    from postmaster_lint.lsp.server import PostmasterLanguageServer

    outcome = PostmasterLanguageServer().lint_source((tmp_path / "new.txt").as_uri(), "\n")
    assert (outcome.findings, outcome.problem) == ([], None)


def test_rule_summaries_do_not_stop_at_an_abbreviation(run_cli) -> None:
    result = run_cli("rules")
    rows = {line.split()[0]: line for line in result.out.splitlines()}
    assert rows["PM201"].endswith("No SMTP bounce code: paste the full rejection line you received")
    assert rows["PM202"].endswith(
        "No completed corrective step: say what you already fixed and when"
    )
    assert "(e.g" not in result.out


def test_explain_fills_in_options_and_marks_per_finding_details(run_cli) -> None:
    result = run_cli("explain", "PM102")
    assert result.code == 0
    assert "Too much apology (weight …, limit 1): one brief courtesy is enough." in result.out
    assert "{" not in result.out


def test_explain_and_rules_read_a_custom_pack(run_cli, tmp_path: Path) -> None:
    from .conftest import write_rule_pack

    pack = write_rule_pack(tmp_path / "house", "HR101", "{phrases: [kind regards]}")
    explained = run_cli("explain", "--rules", str(pack), "HR101")
    assert explained.code == 0
    assert explained.out.startswith("HR101 custom-rule (style, info)")
    assert "HR101" in run_cli("rules", "--rules", str(pack)).out
    unknown = run_cli("explain", "HR101")
    assert unknown.code == 2
    assert unknown.err.startswith("postmaster-lint: error: unknown rule 'HR101'")


def test_printing_metadata_never_builds_the_nlp_pipeline() -> None:
    import subprocess
    import sys

    for args in (["rules"], ["explain", "PM104"], ["config"]):
        code = (
            "import sys\nfrom postmaster_lint.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print('spacy' in sys.modules, file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert done.stderr.strip() == "False", (args, done.stderr)


def test_a_configuration_error_is_printed_once(run_cli, tmp_path: Path) -> None:
    config = write(tmp_path, ".postmaster-lint.yaml", "ignore: [PM999]\n")
    drafts = [write(tmp_path, f"d{i}.txt", FIXED.read_text(encoding="utf-8")) for i in range(3)]
    result = run_cli("lint", *map(str, drafts))
    assert result.code == 2
    assert result.err == (
        f"postmaster-lint: {config}:1: ignore: unknown rule 'PM999' (did you mean 'PM109'?)"
        " (3 files not linted)\n"
    )
