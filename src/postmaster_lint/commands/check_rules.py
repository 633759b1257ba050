"""`postmaster-lint check-rules DIR`: validate a rule pack and run its examples.

Each rule file is loaded on its own, so one malformed file does not hide the others. Exit 2
when any file is malformed, 1 when any example fails, 0 when all pass. `--strict` also fails
when a pattern matches none of its rule's examples, or none that only it catches (so that
deleting any pattern fails an example): see coverage.py.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..checks import compile_check
from ..config import LintConfig
from ..coverage import coverage_gaps
from ..errors import UserError
from ..examples import run_examples
from ..lexicon import load_lexicon
from ..linter import Linter
from ..nlp import pipeline
from ..patterns import PatternBank
from ..rules import (
    Rule,
    RuleErrors,
    RuleSet,
    builtin_rules_dir,
    check_references,
    load_rules,
    parse_rule,
    rule_files,
)
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
            # its patterns must compile (an unknown word class, a malformed token)
            compile_check(rule, PatternBank(pipeline(), load_lexicon()))
        except RuleErrors as exc:
            malformed += 1
            for error in exc.errors:  # every problem in the file, not only the first
                click.echo(f"ERROR {error.render()}")
            continue
        except UserError as exc:
            malformed += 1
            click.echo(f"ERROR {exc.render()}")
            continue
        loaded.append(rule)
    linter = _linter(directory, loaded)
    for rule in loaded:
        for outcome in run_examples(linter, rule):
            if outcome.passed:
                passed += 1
            else:
                failed += 1
                click.echo(f"FAIL  {rule.id} {outcome.describe()}")
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


def _linter(directory: Path, pack: list[Rule]) -> Linter:
    """The pack with the built-in rules, as a lint would load them (a pack's rule may name a
    built-in element); a pack that is the built-in rules is loaded once."""
    builtin = [] if directory.resolve() == builtin_rules_dir().resolve() else list(load_rules())
    rules = {rule.id: rule for rule in [*builtin, *pack]}
    check_references(rules.values())
    return Linter(RuleSet(tuple(sorted(rules.values(), key=lambda r: r.id))), LintConfig())
