"""Lint one draft with the settings that apply to it: the rules, then per-file ignores from the
configuration, then inline suppression directives. The CLI and the language server share it."""

from __future__ import annotations

from .api import get_linter
from .document import Document
from .inputs import Draft
from .results import FileResult, checklist
from .settings import Settings
from .suppression import apply as apply_directives


def lint_draft(draft: Draft, settings: Settings) -> FileResult:
    linter = get_linter(settings.lint)
    document = Document.from_plain_text(draft.text, draft.path)
    found = linter.lint(document)
    ignored = settings.project.ignored_rules(draft.path) if draft.path != "<stdin>" else set()
    if ignored:
        found = [d for d in found if d.rule not in ignored]
    diagnostics = apply_directives(document, found, linter.rules)
    return FileResult(
        draft.path,
        tuple(diagnostics),
        checklist=checklist(linter, diagnostics),
        fail_on=settings.fail_on,
        source=draft.text,
    )
