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
    assert f"{big}: PM201 [error]" in result.out  # a missing element: one file-level line
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


def test_a_misspelt_option_in_a_flow_mapping_is_reported_at_its_own_line(
    run_cli, tmp_path: Path
) -> None:
    config = write(
        tmp_path,
        ".postmaster-lint.yaml",
        "options:\n  PM301: {max_words: 400}\n  PM102: {threshhold: 2}\n",
    )
    result = run_cli("lint", str(write(tmp_path, "d.txt", "Hello.\n")))
    assert result.code == 2
    assert result.err == (
        f"postmaster-lint: {config}:3: options.PM102.threshhold: PM102 has no option "
        "'threshhold' (did you mean 'threshold'?); its options: threshold\n"
    )


BROKEN_TWICE = """\
id: XX101
name: Custom_Rule
category: pitfall
severity: loud
message: Says the magic word.
rationale: Because.
detect:
  kind: pattern
  match: {lemas: [abracadabra]}
examples:
  bad: ["Abracadabra."]
  good: [Hello.]
"""


def test_check_rules_reports_every_error_in_a_file(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "XX101.yaml", BROKEN_TWICE)
    result = run_cli("check-rules", str(tmp_path))
    assert result.code == 2
    path = tmp_path / "XX101.yaml"
    assert result.out.splitlines() == [
        f"ERROR {path}:2: name 'Custom_Rule' must be lower-case-with-hyphens",
        f"ERROR {path}:4: unknown severity 'loud' (choose from info, warning, error)",
        f"ERROR {path}:9: match: unknown match key 'lemas'; expected one of phrases, lemmas, "
        "tokens, regex",
        "1 rule file: 1 malformed; 0 examples: 0 passed, 0 failed",
    ]


NEEDS_AN_ELEMENT = """\
id: XX201
name: sorry-without-numbers
category: pitfall
severity: warning
message: An apology where numbers would do.
rationale: Because.
detect:
  kind: pattern
  match: {lemmas: [sorry]}
  context:
    without: {lemmas: [fix]}
    without_applies_if: results  # a built-in rule's element
examples:
  bad: ["Sorry, we fixed it."]
  good: ["Sorry, we fixed it. Complaints fell from 0.4% to 0.05%."]
"""


def test_check_rules_runs_examples_as_the_suite_and_a_lint_do(run_cli, tmp_path: Path) -> None:
    """A rule that depends on a built-in rule's element passes check-rules exactly when a lint
    with the pack loaded agrees with its examples."""
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "XX201.yaml", NEEDS_AN_ELEMENT)
    assert run_cli("check-rules", str(pack)).out.splitlines() == [
        "1 rule file: 0 malformed; 2 examples: 2 passed, 0 failed"
    ]
    good = write(tmp_path, "good.txt", "Sorry, we fixed it. Complaints fell from 0.4% to 0.05%.\n")
    bad = write(tmp_path, "bad.txt", "Sorry, we fixed it.\n")
    args = ("lint", "--format", "concise", "--rules", str(pack), "--select", "XX201")
    assert run_cli(*args, str(good)).out == ""
    assert run_cli(*args, str(bad)).out == f"{bad}:1:1: XX201 An apology where numbers would do.\n"


def test_a_finding_over_two_lines_has_carets_on_both(run_cli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.txt",
        "Hello,\nPlease whitelist us, this is\nridiculous and your filter is broken.\n",
    )
    result = run_cli("lint", "--no-checklist", "--select", "PM106", str(path))
    lines = result.out.splitlines()
    assert lines[1:5] == [
        "    2 | Please whitelist us, this is",
        "      |                      ^^^^^^^",
        "    3 | ridiculous and your filter is broken.",
        "      | ^^^^^^^^^^",
    ]


def test_apologies_in_a_suppressed_region_do_not_count_towards_the_total(
    run_cli, tmp_path: Path
) -> None:
    draft = write(
        tmp_path,
        "d.md",
        "Hello,\n\n<!-- postmaster-lint: disable PM102 -->\n"
        "We are deeply sorry and we apologize again.\n"
        "<!-- postmaster-lint: enable PM102 -->\n\nSorry for the trouble.\n",
    )
    result = run_cli("lint", "--format", "concise", "--select", "PM102", str(draft))
    assert (result.code, result.out) == (0, "")  # one plain apology left: courtesy
    unsuppressed = write(tmp_path, "e.md", draft.read_text().replace("postmaster-lint: ", "x "))
    result = run_cli("lint", "--format", "concise", "--select", "PM102", str(unsuppressed))
    assert result.code == 1 and "weight 4, limit 1" in result.out


def test_linting_dot_reports_paths_without_a_dot_slash(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "templates").mkdir()
    write(tmp_path / "templates", "x.txt", "Please whitelist our IP.\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("lint", "--format", "concise", "--select", "PM104", ".")
    assert result.out.splitlines()[0].startswith("templates/x.txt:1:8: PM104")
