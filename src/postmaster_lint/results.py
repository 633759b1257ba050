"""What a run produced for each file: its findings, or the one-line reason it was not linted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity
from .errors import UserError

if TYPE_CHECKING:
    from .linter import Linter


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    error: UserError | None = None
    # (element, rule id, found?) for each active `require` rule, in rule order.
    checklist: tuple[tuple[str, str, bool], ...] = ()
    fail_on: Severity = Severity.INFO  # the lowest severity that fails this file
    source: str = field(default="", repr=False, compare=False)  # for excerpts in text output


def checklist(
    linter: Linter, diagnostics: Sequence[Diagnostic]
) -> tuple[tuple[str, str, bool], ...]:
    missing = {d.rule for d in diagnostics}
    return tuple(
        (str(active.rule.detect["element"]), active.rule.id, active.rule.id not in missing)
        for active in linter.active
        if active.rule.detect.get("kind") == "require"
    )


def exit_code(results: Sequence[FileResult]) -> int:
    """2 if any file could not be linted, else 1 if any finding is at or above its file's
    `fail_on` level."""
    if any(r.error for r in results):
        return 2
    failing = any(d.severity >= r.fail_on for r in results for d in r.diagnostics)
    return 1 if failing else 0
