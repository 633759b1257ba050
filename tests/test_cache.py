"""The result cache: exact invalidation, no spaCy on a fully cached run, and --jobs output
identical to a serial run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from postmaster_lint import cache as result_cache
from postmaster_lint.commands import lint as lint_command

from .conftest import write, write_rule_pack

BAD = "Please whitelist our IP. We are deeply sorry.\n"


@pytest.fixture
def misses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files each run had to lint (cache misses)."""
    counts: list[int] = []
    real = lint_command._lint_all

    def spy(pending, jobs, budget=None):  # type: ignore[no-untyped-def]
        counts.append(len(pending))
        return real(pending, jobs, budget)

    monkeypatch.setattr(lint_command, "_lint_all", spy)
    return counts


def test_unchanged_files_are_hits_with_identical_output(
    run_cli, tmp_path: Path, misses: list[int]
) -> None:
    for index in range(3):
        write(tmp_path, f"d{index}.txt", BAD + f"Draft {index}.\n")
    first = run_cli("lint", "--format", "json", str(tmp_path))
    second = run_cli("lint", "--format", "json", str(tmp_path))
    assert misses == [3, 0]
    assert first.out == second.out and first.code == second.code == 1


def test_invalidation_is_exact(
    run_cli, tmp_path: Path, misses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = write_rule_pack(tmp_path / "pack", "XX101", "{phrases: [abracadabra]}", "abracadabra")
    write(tmp_path, ".postmaster-lint.yaml", "extra-rules: [pack]\n")
    draft = write(tmp_path, "d.txt", BAD)
    args = ("lint", "--format", "concise", str(draft))
    run_cli(*args)
    run_cli(*args)
    assert misses == [1, 0]
    draft.write_text(BAD + "More.\n", encoding="utf-8")  # the file
    run_cli(*args)
    write(tmp_path, ".postmaster-lint.yaml", "extra-rules: [pack]\nignore: [PM102]\n")  # config
    out = run_cli(*args).out
    assert "PM102" not in out
    write_rule_pack(pack, "XX101", "{phrases: [whitelist]}", "whitelist")  # a rule (bigger)
    assert "XX101" in run_cli(*args).out
    monkeypatch.setattr(result_cache, "__version__", "999.0")  # the package version
    run_cli(*args)
    assert misses == [1, 0, 1, 1, 1, 1]
    run_cli("lint", "--no-cache", *args[1:])
    assert misses[-1] == 1


def test_fully_cached_run_does_not_import_spacy(tmp_path: Path) -> None:
    for index in range(5):
        write(tmp_path, f"d{index}.md", BAD + f"Draft {index}.\n")
    env = {**os.environ, "POSTMASTER_LINT_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import sys\nfrom postmaster_lint.cli import main\n"
        "try:\n    main(['lint', '--format', 'concise', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY', file=sys.stderr)\n"
    )

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    cold, warm = run(), run()
    assert cold.stderr.strip().endswith("SPACY") and not cold.stderr.strip().endswith("NO-SPACY")
    assert warm.stderr.strip().endswith("NO-SPACY")
    assert cold.stdout == warm.stdout and "PM104" in warm.stdout


def test_clean_removes_only_a_cache(run_cli, tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    run_cli("lint", "--cache-dir", str(directory), str(write(tmp_path, "d.txt", BAD)))
    assert (directory / "CACHEDIR.TAG").is_file()
    assert (directory / ".gitignore").read_text() == "*\n"
    assert run_cli("clean", "--cache-dir", str(directory)).out == f"Removed {directory}\n"
    assert not directory.exists()
    other = tmp_path / "not-a-cache"
    other.mkdir()
    assert run_cli("clean", "--cache-dir", str(other)).out == f"No cache at {other}\n"
    assert other.exists()


def test_jobs_give_the_serial_output_in_the_same_order(run_cli, tmp_path: Path) -> None:
    for index in range(24):
        write(tmp_path, f"d{index:02}.txt", BAD * (index % 3 + 1) + f"Draft {index}.\n")
    serial = run_cli("lint", "--no-cache", "--jobs", "1", "--format", "json", str(tmp_path))
    parallel = run_cli("lint", "--no-cache", "--jobs", "2", "--format", "json", str(tmp_path))
    assert parallel.out == serial.out
    assert parallel.code == serial.code == 1


def test_the_json_copy_of_the_rules_equals_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmaster_lint import rules as rules_module
    from postmaster_lint.detect import match_specs
    from postmaster_lint.rules import load_rules

    first = result_cache.cached_rules((), tmp_path)  # parses YAML, writes the copy

    def no_yaml(*args: object) -> None:
        raise AssertionError("the JSON copy was not used")

    monkeypatch.setattr(rules_module, "load_rules", no_yaml)
    monkeypatch.setattr(rules_module, "_PARSED", {})  # nothing parsed in this process yet
    second = result_cache.cached_rules((), tmp_path)  # reads the copy
    assert list((tmp_path / "rules").glob("*.json"))
    monkeypatch.undo()
    assert second == first == load_rules()
    # the copy keeps where each pattern was written, for errors and `check-rules --strict`
    lines = [spec.line for _, spec in match_specs(second.get("PM104").detect)]  # type: ignore[union-attr]
    assert lines == [spec.line for _, spec in match_specs(load_rules().get("PM104").detect)]  # type: ignore[union-attr]
    assert min(lines) > 1


def test_every_input_of_a_lint_job_is_in_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import fields, replace

    from postmaster_lint import LintConfig
    from postmaster_lint.runner import LintJob

    base = LintJob("Please whitelist us.\n", "plain", LintConfig(), frozenset())
    changed = {
        "text": "Please whitelist us!\n",
        "fmt": "markdown",
        "config": LintConfig.create(select=["PM104"]),
        "ignored": frozenset({"PM104"}),
    }
    # A field added to LintJob must be added here, and is then proved to change the key.
    assert set(changed) == {f.name for f in fields(LintJob)}
    keys = [result_cache.key(base, "rules")]
    keys += [result_cache.key(replace(base, **{name: value}), "rules") for name, value in changed.items()]  # fmt: skip
    keys.append(result_cache.key(base, "other rules"))
    monkeypatch.setattr(result_cache, "code_fingerprint", lambda: "other code")
    keys.append(result_cache.key(base, "rules"))
    assert len(set(keys)) == len(keys)


def test_a_renamed_draft_and_new_per_file_ignores_are_linted_again(run_cli, tmp_path: Path) -> None:
    draft = write(tmp_path, "draft.txt", "# Hi\n\n    please whitelist us (a code block)\n")
    args = ("lint", "--format", "concise", "--select", "PM104")
    assert "draft.txt:3:12: PM104" in run_cli(*args, str(draft)).out
    markdown = draft.rename(tmp_path / "draft.md")  # the same text read as Markdown: code
    assert run_cli(*args, str(markdown)).out == ""
    plain = write(tmp_path, "plain.txt", "Please whitelist us.\n")
    assert run_cli(*args, str(plain)).code == 1
    write(tmp_path, ".postmaster-lint.yaml", 'per-file-ignores:\n  "plain.txt": [PM104]\n')
    assert (run_cli(*args, str(plain)).code, run_cli(*args, str(plain)).out) == (0, "")


def test_a_run_stats_the_rule_files_once_not_per_draft(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmaster_lint import api

    calls: list[object] = []
    real = api.rules_stamp
    monkeypatch.setattr(api, "rules_stamp", lambda dirs: calls.append(dirs) or real(dirs))
    drafts = [write(tmp_path, f"d{i}.txt", f"Please whitelist us, {i}.\n") for i in range(5)]
    assert run_cli("lint", "--no-cache", "--jobs", "1", *map(str, drafts)).code == 1
    assert len(calls) == 1
    api.get_linter()  # outside a run (the language server, the API): checked every time
    api.get_linter()
    assert len(calls) == 3
