"""Lint one draft with the settings that apply to it: the rules, then per-file ignores from the
configuration, then inline suppression directives. The CLI and the language server share it."""

from __future__ import annotations

from .api import check_with, get_linter
from .errors import LintTimeout
from .inputs import Draft, printable
from .readers import read_document
from .results import FileResult
from .settings import Settings


def lint_draft(
    draft: Draft, settings: Settings, budget: float | None = None, reuse_paragraphs: bool = False
) -> FileResult:
    """`reuse_paragraphs`: see `get_linter`."""
    linter = get_linter(settings.lint_for(draft.path), reuse_paragraphs)
    document = read_document(draft.text, draft.path, draft.format)
    ignored = settings.project.ignored_rules(draft.path) if draft.path != "<stdin>" else set()
    try:
        diagnostics, checklist = check_with(linter, document, ignored, budget)
    except LintTimeout as exc:
        return FileResult(draft.path, error=LintTimeout(exc.message, draft.path))
    return FileResult(
        draft.path,
        tuple(diagnostics),
        checklist=checklist,
        fail_on=settings.fail_on,
        source=printable(draft.text),
    )
