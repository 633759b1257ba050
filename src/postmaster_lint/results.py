"""What a run produced for each file: its findings, or the one-line reason it was not linted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity
from .errors import UserError
from .evidence import FOUND, IGNORED, MISSING, ChecklistItem, Evidence

if TYPE_CHECKING:
    from .linter import Linter


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    error: UserError | None = None
    # Each active `require` rule's element, found (and where) or not, in rule order.
    checklist: tuple[ChecklistItem, ...] = ()
    fail_on: Severity = Severity.INFO  # the lowest severity that fails this file
    source: str = field(default="", repr=False, compare=False)  # for excerpts in text output


def checklist(
    linter: Linter, evidence: Mapping[str, Evidence | None], diagnostics: Sequence[Diagnostic]
) -> tuple[ChecklistItem, ...]:
    """The checklist from the linter's evidence and the findings that were kept: an element
    with no evidence whose finding was suppressed or ignored for this file is `ignored`."""
    reported = {d.rule for d in diagnostics}
    items = []
    for active in linter.active:
        rule = active.rule
        if rule.element is None:
            continue
        found = evidence.get(rule.id)
        status = FOUND if found else MISSING if rule.id in reported else IGNORED
        items.append(ChecklistItem(rule.element, rule.id, status, found))
    return tuple(items)


def exit_code(results: Sequence[FileResult]) -> int:
    """2 if any file could not be linted, else 1 if any finding is at or above its file's
    `fail_on` level."""
    if any(r.error for r in results):
        return 2
    failing = any(d.severity >= r.fail_on for r in results for d in r.diagnostics)
    return 1 if failing else 0
