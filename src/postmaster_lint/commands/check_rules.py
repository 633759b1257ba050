"""`postmaster-lint check-rules DIR`: validate a rule pack and run its examples.

Each rule file is loaded on its own, so one malformed file does not hide the others. Exit 2
when any file is malformed, 1 when any example fails, 0 when all pass. `--strict` also fails
when a pattern matches none of its rule's examples, or none that only it catches (so that
deleting any pattern fails an example): see coverage.py.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..config import LintConfig
from ..coverage import coverage_gaps
from ..document import Document
from ..errors import UserError
from ..linter import Linter
from ..rules import Rule, RuleSet, parse_rule, rule_files
from ..yamlsafe import read_yaml_file


def run_check(directory: Path, strict: bool = False) -> int:
    files = rule_files(directory)  # raises for a missing directory
    if not files:
        raise UserError("no rule files (*.yaml) found", str(directory))
    malformed = failed = passed = 0
    loaded: list[Rule] = []
    for path in files:
        try:
            rule = parse_rule(read_yaml_file(path, UserError), str(path))
            linter = Linter(RuleSet((rule,)), LintConfig())
        except UserError as exc:
            malformed += 1
            click.echo(f"ERROR {exc.render()}")
            continue
        loaded.append(rule)
        for outcome, label in _run_examples(rule, linter):
            if outcome:
                passed += 1
            else:
                failed += 1
                click.echo(f"FAIL  {rule.id} {label}")
    total = passed + failed
    gaps = coverage_gaps(loaded) if strict else []
    for gap in gaps:
        click.echo(f"GAP   {gap.render()}")
    click.echo(
        f"{len(files)} rule file{'s' if len(files) != 1 else ''}: {malformed} malformed; "
        f"{total} examples: {passed} passed, {failed} failed"
        + (f"; {len(gaps)} patterns without an example of their own" if strict else "")
    )
    if malformed:
        return 2
    return 1 if failed or gaps else 0


def _run_examples(rule: Rule, linter: Linter) -> list[tuple[bool, str]]:
    outcomes = []
    for index, example in enumerate(rule.bad_examples):
        flagged = [d.text for d in linter.lint(Document.from_plain_text(example.text))]
        ok = bool(flagged) and (example.flags is None or example.flags in flagged)
        expected = f"to flag {example.flags!r}" if example.flags else "to fire"
        outcomes.append(
            (ok, f"bad[{index}] expected {expected}, got {flagged}: {_short(example.text)}")
        )
    for index, example in enumerate(rule.good_examples):
        flagged = [d.text for d in linter.lint(Document.from_plain_text(example.text))]
        outcomes.append((not flagged, f"good[{index}] fired on {flagged}: {_short(example.text)}"))
    return outcomes


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 70 else flat[:67] + "...")
