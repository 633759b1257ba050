"""`check-rules`: a custom pack is validated and its examples run like tests."""

from __future__ import annotations

from pathlib import Path

from .test_rule_loading import GOOD_RULE


def pack(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_passing_pack(run_cli, tmp_path: Path) -> None:
    result = run_cli("check-rules", str(pack(tmp_path, XX101=GOOD_RULE)))
    assert result.code == 0
    assert result.out.splitlines() == ["1 rule file: 0 malformed; 2 examples: 2 passed, 0 failed"]


def test_failing_examples_exit_1(run_cli, tmp_path: Path) -> None:
    failing = GOOD_RULE.replace("good: [Hello.]", "good: [Hello., Abracadabra!]")
    result = run_cli("check-rules", str(pack(tmp_path, XX101=failing)))
    assert result.code == 1
    assert result.out.splitlines() == [
        "FAIL  XX101 good[1] fired on ['Abracadabra']: 'Abracadabra!'",
        "1 rule file: 0 malformed; 3 examples: 2 passed, 1 failed",
    ]


def test_malformed_files_are_all_reported_exit_2(run_cli, tmp_path: Path) -> None:
    broken = GOOD_RULE.replace("XX101", "XX102").replace("severity: warning", "severity: loud")
    typo = GOOD_RULE.replace("XX101", "XX103").replace("rationale:", "rationle:")
    folder = pack(tmp_path, XX101=GOOD_RULE, XX102=broken, XX103=typo)
    result = run_cli("check-rules", str(folder))
    assert result.code == 2
    assert result.out.splitlines() == [
        f"ERROR {folder / 'XX102.yaml'}:4: unknown severity 'loud' (choose from info, warning, "
        "error)",
        f"ERROR {folder / 'XX103.yaml'}:6: unknown key 'rationle' (did you mean 'rationale'?)",
        "3 rule files: 2 malformed; 2 examples: 2 passed, 0 failed",
    ]


def test_built_in_rules_pass(run_cli) -> None:
    from postmaster_lint.rules import builtin_rules_dir

    result = run_cli("check-rules", str(builtin_rules_dir()))
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].startswith("23 rule files: 0 malformed;")


def test_missing_directory(run_cli, tmp_path: Path) -> None:
    result = run_cli("check-rules", str(tmp_path / "nope"))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"postmaster-lint: error: {tmp_path / 'nope'}: rule directory not found"
    ]


TWO_PATTERNS = GOOD_RULE.replace(
    "lemmas: [abracadabra]", "lemmas: [abracadabra, hocus pocus, open sesame]"
).replace(
    'bad: ["Abracadabra, please."]', 'bad: ["Abracadabra, please.", "Hocus pocus abracadabra."]'
)


def test_strict_names_each_pattern_without_an_example_of_its_own(run_cli, tmp_path: Path) -> None:
    result = run_cli("check-rules", "--strict", str(pack(tmp_path, XX101=TWO_PATTERNS)))
    assert result.code == 1
    assert result.out.splitlines() == [
        "GAP   XX101 line 10 lemmas[1]: hocus pocus: no example that only it catches",
        "GAP   XX101 line 10 lemmas[2]: open sesame: matches none of its rule's examples",
        "1 rule file: 0 malformed; 3 examples: 3 passed, 0 failed; "
        "2 patterns without an example of their own",
    ]


def test_strict_passes_when_every_pattern_has_its_own_example(run_cli, tmp_path: Path) -> None:
    covered = TWO_PATTERNS.replace('"Hocus pocus abracadabra."', '"Hocus pocus.", "Open sesame!"')
    result = run_cli("check-rules", "--strict", str(pack(tmp_path, XX101=covered)))
    assert result.code == 0, result.out


def test_every_built_in_pattern_has_an_example_that_only_it_catches(run_cli) -> None:
    """Deleting any pattern from a built-in rule makes one of its examples fail: the
    example that only that pattern catches (check-rules --strict)."""
    from postmaster_lint.rules import builtin_rules_dir

    result = run_cli("check-rules", "--strict", str(builtin_rules_dir()))
    assert result.code == 0, result.out
