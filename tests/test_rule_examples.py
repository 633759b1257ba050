"""Every rule carries its own examples: each `bad` one must fire (covering `flags` exactly when
given) and no `good` one may. Adding a rule adds its tests. They run exactly as
`postmaster-lint check-rules` runs them (examples.py): all rules loaded, the rule's own
findings counted."""

from __future__ import annotations

import pytest

from postmaster_lint import LintConfig
from postmaster_lint.examples import run_example
from postmaster_lint.linter import Linter
from postmaster_lint.rules import Rule, load_rules

RULES = load_rules()


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(RULES, LintConfig())


def _cases(kind: str) -> list[object]:
    return [
        pytest.param(rule, index, id=f"{rule.id}-{kind}-{index}")
        for rule in RULES
        for index in range(len(rule.bad_examples if kind == "bad" else rule.good_examples))
    ]


@pytest.mark.parametrize(("rule", "index"), _cases("bad"))
def test_bad_example_fires(linter: Linter, rule: Rule, index: int) -> None:
    outcome = run_example(linter, rule, "bad", index)
    assert outcome.passed, f"{rule.id} {outcome.describe()}"


@pytest.mark.parametrize(("rule", "index"), _cases("good"))
def test_good_example_is_clean(linter: Linter, rule: Rule, index: int) -> None:
    outcome = run_example(linter, rule, "good", index)
    assert outcome.passed, f"{rule.id} {outcome.describe()}"
