"""The trained sentence classifier against the rules alone: per-rule precision and recall of
PM103/PM106/PM108/PM109 with the rules only, and with the rules OR the classifier at each
threshold (the classifier's sentence still goes through the rule's context and guards).

    python bench/textcat.py [--thresholds 0.5 0.7 0.9] [SET ...]

A set is a labeled corpus directory or a sentence file (see `postmaster-lint eval`). The rules
are the built-in ones; a rule that already has a `classify` alternative has it removed for the
rules-only column and its threshold replaced in the others.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
from pathlib import Path
from typing import Any

from postmaster_lint.evaluate import (
    is_sentence_set,
    load_corpus,
    load_sentences,
    score,
    score_sentences,
)
from postmaster_lint.linter import Linter
from postmaster_lint.located import LocatedDict
from postmaster_lint.rules import RuleSet, load_rules

LABELS = ("PM103", "PM106", "PM108", "PM109")
REPO = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [REPO / "corpora", REPO / "corpora" / "replies", REPO / "corpora" / "sentences.yaml"]


def _located(**items: Any) -> LocatedDict:
    node = LocatedDict(items)
    node.key_lines = {}
    return node


def variant(rules: RuleSet, threshold: float | None) -> RuleSet:
    """The rules with each label's `classify` alternative at `threshold` (None: without)."""
    changed = []
    for rule in rules:
        if rule.id not in LABELS:
            changed.append(rule)
            continue
        detect = copy.copy(rule.detect)
        items = [item for item in detect["any"] if "classify" not in item]
        if threshold is not None:
            items.append(_located(classify=_located(label=rule.id, threshold=threshold)))
        detect["any"] = items
        changed.append(dataclasses.replace(rule, detect=detect))
    return RuleSet(tuple(changed))


def measure(linter: Linter, path: Path) -> dict[str, tuple[float | None, float | None, int]]:
    known = [r.id for r in linter.rules]
    if is_sentence_set(path):
        scores = score_sentences(linter, load_sentences(path, known))
    else:
        scores = score(linter, load_corpus(path, known))
    return {
        rule: (s.precision, s.recall, s.expected_found + s.expected_missed)
        for rule, s in scores.items()
        if rule in LABELS
    }


def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--thresholds", nargs="*", type=float, default=[0.5, 0.6, 0.7, 0.8, 0.9])
    args = parser.parse_args()
    rules = load_rules()
    columns: list[tuple[str, float | None]] = [("rules", None)]
    columns += [(f"+clf{t:g}", t) for t in args.thresholds]
    linters = [(name, Linter(variant(rules, t))) for name, t in columns]
    for path in args.sets:
        results = [(name, measure(linter, path)) for name, linter in linters]
        print(f"\n## {path}")
        print("rule   n    " + "  ".join(f"{name:>11}" for name, _ in results))
        for label in LABELS:
            n = results[0][1][label][2]
            cells = [f"{_pct(r[label][0])}/{_pct(r[label][1])}" for _, r in results]
            print(f"{label}  {n:>3}  " + "  ".join(f"{c:>11}" for c in cells))


if __name__ == "__main__":
    main()
