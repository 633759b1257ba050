"""A malformed rule pack is a one-line error naming the file and line, never a traceback and
never a silently disabled check."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from postmaster_lint import LintConfig, RuleError
from postmaster_lint.linter import Linter
from postmaster_lint.rules import load_rules

GOOD_RULE = """\
id: XX101
name: custom-rule
category: pitfall
severity: warning
message: Says the magic word.
rationale: Because the team agreed.
detect:
  kind: pattern
  match:
    lemmas: [abracadabra]
examples:
  bad: ["Abracadabra, please."]
  good: [Hello.]
"""


def write_rule(tmp_path: Path, text: str, name: str = "XX101.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def compile_pack(directory: Path) -> Linter:
    return Linter(load_rules([directory]), LintConfig())


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleError) as info:
        compile_pack(write_rule(tmp_path, text))
    return info.value.render()


def test_a_valid_custom_rule_loads_and_fires(tmp_path: Path) -> None:
    from postmaster_lint.document import Document

    linter = compile_pack(write_rule(tmp_path, GOOD_RULE))
    found = linter.lint(Document.from_plain_text("Abracadabra, please."))
    assert [(d.rule, d.text, d.line, d.column) for d in found] == [("XX101", "Abracadabra", 1, 1)]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            GOOD_RULE.replace("message:", "mesage:"),
            "XX101.yaml:5: unknown key 'mesage' (did you mean 'message'?)",
        ),
        (
            GOOD_RULE.replace("kind: pattern", "kind: patern"),
            "XX101.yaml:8: detect.kind must be one of pattern, request, weighted, require, metric, "
            "provider (did you mean 'pattern'?)",
        ),
        (
            GOOD_RULE.replace("lemmas: [abracadabra]", "lemas: [abracadabra]"),
            "XX101.yaml:10: match: unknown match key 'lemas'; expected one of phrases, lemmas, "
            "tokens, regex",
        ),
        (
            GOOD_RULE.replace("lemmas: [abracadabra]", "regex: ['(unclosed']"),
            "XX101.yaml:10: match: invalid regex '(unclosed': missing ) at position 9",
        ),
        (
            GOOD_RULE.replace("lemmas: [abracadabra]", "tokens: [[{LOWER: {IN: [a, 1]}}]]"),
            "XX101.yaml:10: match: invalid token pattern: Pattern 0: [pattern -> 0 -> LOWER -> "
            "TokenPatternString -> IN -> 1] Input should be a valid string",
        ),
        (
            GOOD_RULE.replace("severity: warning", "severity: fatal"),
            "XX101.yaml:4: unknown severity 'fatal' (choose from info, warning, error)",
        ),
        (
            GOOD_RULE.replace("id: XX101", "id: XX102"),
            "XX101.yaml:1: file name must match the id: XX102.yaml",
        ),
        (GOOD_RULE.replace("  good: [Hello.]\n", ""), "XX101.yaml:12: missing required key 'good'"),
        (
            GOOD_RULE.replace("  match:\n", "  match: [\n"),
            "XX101.yaml:11: invalid YAML: ",  # the rest is the YAML parser's own wording
        ),
        ("- just\n- a list\n", "XX101.yaml:1: a rule file must be a YAML mapping"),
    ],
)
def test_malformed_rules_name_file_and_line(tmp_path: Path, broken: str, expected: str) -> None:
    message = error_for(tmp_path, broken)
    if expected.endswith("invalid YAML: "):
        assert expected in message and "expected" in message, message
    else:
        assert message.endswith(expected), message
    assert "\n" not in message


def test_duplicate_rule_ids_across_packs_are_rejected(tmp_path: Path) -> None:
    clash = GOOD_RULE.replace("XX101", "PM104").replace("custom-rule", "other-name")
    with pytest.raises(RuleError, match=r"'PM104' is already defined in .*PM104.yaml"):
        load_rules(
            [
                Path(__file__).resolve().parents[1] / "rules",
                write_rule(tmp_path, clash, "PM104.yaml"),
            ]
        )


def test_word_lists_keep_yaml_1_1_booleans_as_words(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace("lemmas: [abracadabra]", "phrases: [on, no, yes, off]")
    from postmaster_lint.document import Document

    linter = compile_pack(write_rule(tmp_path, rule))
    assert [d.text for d in linter.lint(Document.from_plain_text("Yes, it is on."))] == [
        "Yes",
        "on",
    ]


def test_a_lint_run_parses_its_rules_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking the options and building the linter read the same parsed rules (parsing
    them twice cost a tenth of a second of every cold start)."""
    from postmaster_lint import rules as rules_module
    from postmaster_lint.commands.lint import run_lint
    from postmaster_lint.settings import Overrides

    parsed: list[object] = []

    def counting(directories: object = None) -> object:
        parsed.append(directories)
        return load_rules(directories)  # type: ignore[arg-type]

    monkeypatch.setattr(rules_module, "load_rules", counting)
    monkeypatch.setattr(rules_module, "_PARSED", {})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text("Please whitelist our IP.\n", encoding="utf-8")
    results, _ = run_lint(["draft.txt"], Overrides())
    assert "PM104" in [d.rule for d in results[0].diagnostics]
    assert len(parsed) == 1


def test_every_builtin_pattern_passes_every_check() -> None:
    """The linter trusts the built-in rules' patterns (it skips spaCy's pattern validation
    and compiles their regexes only when a draft needs them); this is where they are checked."""
    from postmaster_lint.detect import match_specs
    from postmaster_lint.lexicon import load_lexicon
    from postmaster_lint.nlp import pipeline
    from postmaster_lint.patterns import PatternBank

    bank = PatternBank(pipeline(), load_lexicon())
    specs = [spec for rule in load_rules() for _, spec in match_specs(rule.detect)]
    for spec in specs:
        bank.add(spec)  # validated and compiled; raises MatchSpecError on any problem
    assert len(specs) > 50


def test_a_builtin_rule_is_trusted_and_a_pack_rule_is_not(tmp_path: Path) -> None:
    from postmaster_lint.checks.base import Compiler
    from postmaster_lint.lexicon import load_lexicon
    from postmaster_lint.nlp import pipeline
    from postmaster_lint.patterns import PatternBank

    bank = PatternBank(pipeline(), load_lexicon())
    builtin = load_rules().get("PM104")
    assert builtin is not None and Compiler(builtin, bank).checked
    pack = dataclasses.replace(builtin, path=str(tmp_path / "XX104.yaml"))
    assert not Compiler(pack, bank).checked
