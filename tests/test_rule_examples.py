"""Every rule carries its own examples: each `bad` one must fire (covering `flags` exactly when
given) and no `good` one may. Adding a rule adds its tests."""

from __future__ import annotations

import pytest

from postmaster_lint import LintConfig, lint_text
from postmaster_lint.rules import Example, Rule, load_rules

RULES = load_rules()


def _cases(kind: str) -> list[object]:
    return [
        pytest.param(rule, example, id=f"{rule.id}-{kind}-{index}")
        for rule in RULES
        for index, example in enumerate(rule.bad_examples if kind == "bad" else rule.good_examples)
    ]


def _findings(rule: Rule, example: Example) -> list[str]:
    config = LintConfig.create(select=[rule.id])
    return [d.text for d in lint_text(example.text, config)]


@pytest.mark.parametrize(("rule", "example"), _cases("bad"))
def test_bad_example_fires(rule: Rule, example: Example) -> None:
    flagged = _findings(rule, example)
    assert flagged, f"{rule.id} did not fire on: {example.text!r}"
    if example.flags is not None:
        assert example.flags in flagged


@pytest.mark.parametrize(("rule", "example"), _cases("good"))
def test_good_example_is_clean(rule: Rule, example: Example) -> None:
    assert _findings(rule, example) == []
