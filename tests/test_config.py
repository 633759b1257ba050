"""Configuration files: discovery, every key's effect, precedence, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import write, write_rule_pack

BAD = "Please whitelist our IP. We are deeply sorry.\n"


def rules_fired(run_cli, *args: str) -> set[str]:  # type: ignore[no-untyped-def]
    result = run_cli("lint", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return {d["rule"] for d in json.loads(result.out)["diagnostics"]}


def test_nearest_configuration_file_wins(run_cli, tmp_path: Path) -> None:
    write(tmp_path, ".postmaster-lint.yaml", "select: [PM104]\n")
    nested = tmp_path / "team"
    nested.mkdir()
    write(nested, ".postmaster-lint.yaml", "select: [excessive-contrition]\n")
    top = write(tmp_path, "a.txt", BAD)
    deep = write(nested, "b.txt", BAD)
    assert rules_fired(run_cli, str(top)) == {"PM104"}
    assert rules_fired(run_cli, str(deep)) == {"PM102"}


def test_files_of_one_directory_share_its_settings_and_a_link_takes_its_targets(
    run_cli, tmp_path: Path
) -> None:
    """Settings are found once per directory as written; a symbolic link to a draft is
    configured by the directory of the file it points to."""
    write(tmp_path, ".postmaster-lint.yaml", "select: [PM104]\n")
    team = tmp_path / "team"
    team.mkdir()
    write(team, ".postmaster-lint.yaml", "select: [excessive-contrition]\n")
    first, second = write(tmp_path, "a.txt", BAD), write(tmp_path, "b.txt", BAD)
    (team / "link.txt").symlink_to(first)
    result = run_cli("lint", "--format", "json", str(first), str(second), str(team / "link.txt"))
    fired = {(d["path"], d["rule"]) for d in json.loads(result.out)["diagnostics"]}
    assert {rule for _, rule in fired} == {"PM104"}
    assert {path for path, _ in fired} == {str(first), str(second), str(team / "link.txt")}


def test_pyproject_table_is_found_and_other_pyprojects_are_skipped(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.postmaster-lint]\nselect = ["PM104"]\n')
    sub = tmp_path / "pkg"
    sub.mkdir()
    write(sub, "pyproject.toml", '[project]\nname = "unrelated"\n')
    assert rules_fired(run_cli, str(write(sub, "a.txt", BAD))) == {"PM104"}


def test_config_flag_and_no_config(run_cli, tmp_path: Path) -> None:
    write(tmp_path, ".postmaster-lint.yaml", "select: [PM104]\n")
    other = write(tmp_path, "other.yaml", "select: [PM102]\n")
    draft = write(tmp_path, "a.txt", BAD)
    assert rules_fired(run_cli, "--config", str(other), str(draft)) == {"PM102"}
    assert {"PM104", "PM102", "PM201"} <= rules_fired(run_cli, "--no-config", str(draft))


def test_command_line_overrides_the_file(run_cli, tmp_path: Path) -> None:
    write(tmp_path, ".postmaster-lint.yaml", "select: [PM104, PM102]\nignore: [PM102]\n")
    draft = write(tmp_path, "a.txt", BAD)
    assert rules_fired(run_cli, str(draft)) == {"PM104"}
    assert rules_fired(run_cli, "--select", "PM102", str(draft)) == set()  # still ignored
    assert rules_fired(run_cli, "--select", "PM102,PM109", "--ignore", "PM109", str(draft)) == set()


def test_severity_options_and_fail_on(run_cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        ".postmaster-lint.yaml",
        "select: [PM102]\nseverity: {PM102: info}\noptions: {PM102: {threshold: 3}}\n"
        "fail-on: warning\n",
    )
    two = write(tmp_path, "two.txt", "Sorry. We apologize.\n")
    four = write(tmp_path, "four.txt", "Sorry. We apologize. Our apologies. We regret it.\n")
    assert rules_fired(run_cli, str(two)) == set()
    result = run_cli("lint", "--format", "json", str(four))
    [finding] = json.loads(result.out)["diagnostics"][:1]
    assert finding["severity"] == "info"
    assert result.code == 0  # info is below fail-on: warning
    assert run_cli("lint", "--fail-on", "info", str(four)).code == 1


def test_per_file_ignores_include_and_exclude(run_cli, tmp_path: Path) -> None:
    write(
        tmp_path,
        ".postmaster-lint.yaml",
        "select: [PM104]\n"
        "per-file-ignores:\n  'legacy/*.txt': [exception-request]\n"
        "include: ['**/*.txt', '**/*.tmpl2']\n"
        "exclude: ['archive/**']\n",
    )
    for folder in ("legacy", "archive", "current"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "a.txt", BAD)
    write(tmp_path / "current", "b.tmpl2", BAD)
    write(tmp_path / "current", "c.md", BAD)  # not in `include`
    result = run_cli("lint", "--format", "json", str(tmp_path))
    files = sorted(
        Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(result.out)["files"]
    )
    assert files == ["current/a.txt", "current/b.tmpl2", "legacy/a.txt"]
    flagged = {
        Path(d["path"]).relative_to(tmp_path).as_posix()
        for d in json.loads(result.out)["diagnostics"]
    }
    assert flagged == {"current/a.txt", "current/b.tmpl2"}
    # pre-commit names files explicitly: `exclude` still applies.
    explicit = run_cli("lint", "--format", "json", str(tmp_path / "archive" / "a.txt"))
    assert json.loads(explicit.out)["files"] == []


def test_extra_rules_and_placeholders(run_cli, tmp_path: Path) -> None:
    write_rule_pack(
        tmp_path / "house",
        "HR101",
        "{phrases: [dear sir or madam]}",
        bad="Dear Sir or Madam",
        good="Hello Yahoo team",
        name="no-sir-or-madam",
    )
    write(
        tmp_path,
        ".postmaster-lint.yaml",
        "select: [HR101, PM201]\nextra-rules: [house]\nplaceholders: {bounce_text: smtp-code}\n",
    )
    draft = write(tmp_path, "a.txt", "Dear Sir or Madam,\n\nThe bounce: {{ bounce_text }}\n")
    assert rules_fired(run_cli, str(draft)) == {"HR101"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("selct: [PM104]\n", "1: selct: unknown setting (did you mean 'select'?)"),
        ("select: [PM999]\n", "1: select: unknown rule 'PM999' (did you mean 'PM109'?)"),
        ("ignore: 3\n", "1: ignore: expected a list of strings"),
        (
            "severity: {PM104: fatal}\n",
            "1: severity.PM104: unknown severity 'fatal' (choose from info, warning, error)",
        ),
        (
            "options: {PM102: {treshold: 2}}\n",
            "1: options.PM102.treshold: PM102 has no option 'treshold' (did you mean 'threshold'?);"
            " its options: threshold",
        ),
        (
            "options: {PM102: {threshold: many}}\n",
            "1: options.PM102.threshold: PM102 option 'threshold' must be int, not 'many'",
        ),
        (
            "\nper-file-ignores: {'*.txt': [exception-requst]}\n",
            "2: per-file-ignores.*.txt: unknown rule 'exception-requst' (did you mean "
            "'exception-request'?)",
        ),
        (
            "placeholders: {code: smtp_code}\n",
            "1: placeholders.code: unknown element 'smtp_code' (did you mean 'smtp-code'?); elements:"
            " prevention-plan, remediation-steps, reputation-data, results, sending-identity,"
            " smtp-code",
        ),
        ("extra-rules: [nowhere]\n", "1: extra-rules: no such directory: nowhere"),
        ("select: [PM104\n", "2: invalid YAML: "),  # the rest is the YAML parser's wording
    ],
)
def test_config_errors_are_one_line_and_other_files_still_lint(
    run_cli, tmp_path: Path, content: str, message: str
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    config = write(broken, ".postmaster-lint.yaml", content)
    bad_draft = write(broken, "a.txt", BAD)
    fine = tmp_path / "fine"
    fine.mkdir()
    write(fine, ".postmaster-lint.yaml", "select: [PM104]\n")
    good_draft = write(fine, "b.txt", BAD)
    result = run_cli("lint", "--format", "concise", str(bad_draft), str(good_draft))
    assert result.code == 2
    [line] = result.err.splitlines()
    if message.endswith("invalid YAML: "):
        assert line.startswith(f"postmaster-lint: {config}:{message}") and "expected" in line
    else:
        assert line == f"postmaster-lint: {config}:{message}"
    assert result.out.startswith(f"{good_draft}:1:8: PM104")


def test_config_command_shows_values_and_sources(run_cli, tmp_path: Path) -> None:
    config = write(
        tmp_path, ".postmaster-lint.yaml", "ignore: [PM301]\n\noptions:\n  PM102: {threshold: 2}\n"
    )
    result = run_cli("config", str(tmp_path / "draft.txt"), "--set", "PM302.max_sentence_words=30")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == f"# configuration file: {config}"

    def row(key: str) -> tuple[str, str]:
        [line] = [line for line in lines if line.startswith(f"{key}: ")]
        value, _, source = line.partition("  # ")
        return value.strip(), source

    assert row("ignore") == ("ignore: ['PM301']", f"{config}:1")
    assert row("select") == ("select: all rules", "default")
    assert row("fail-on") == ("fail-on: info", "default (info)")
    assert row("rules.PM301") == ("rules.PM301: off", f"{config}:1")
    assert row("rules.PM102.threshold") == ("rules.PM102.threshold: 2", f"{config}:3")
    assert row("rules.PM302.max_sentence_words") == (
        "rules.PM302.max_sentence_words: 30",
        "command line",
    )
    assert row("rules.PM104.severity") == ("rules.PM104.severity: error", "default (rule)")
