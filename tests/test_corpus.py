"""The labeled corpus gate: every rule keeps precision and recall of at least 0.9."""

from __future__ import annotations

import pytest

from postmaster_lint.api import get_linter
from postmaster_lint.evaluate import load_corpus, score

from .conftest import REPO

CORPUS = REPO / "corpora"
THRESHOLD = 0.9


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    linter = get_linter()
    drafts = load_corpus(CORPUS, [r.id for r in linter.rules])
    assert len(drafts) >= 80
    return score(linter, drafts)


def test_every_rule_is_exercised(scores) -> None:  # type: ignore[no-untyped-def]
    for rule_id, s in scores.items():
        assert s.expected_found + s.expected_missed > 0, f"no draft expects {rule_id}"


@pytest.mark.parametrize("rule_id", sorted(r.id for r in get_linter().rules))
def test_rule_meets_the_gate(scores, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    s = scores[rule_id]
    detail = "\n".join(s.misses)
    assert s.precision is None or s.precision >= THRESHOLD, f"{rule_id} precision\n{detail}"
    assert s.recall is not None and s.recall >= THRESHOLD, f"{rule_id} recall\n{detail}"


def test_eval_command_prints_the_table(run_cli) -> None:
    result = run_cli("eval", str(CORPUS))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1].split() == ["rule", "name", "prec", "recall", "TP", "FP", "FN"]
    assert len(lines) == 2 + 17
