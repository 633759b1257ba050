"""Lint one draft with the settings that apply to it: the rules, then per-file ignores from the
configuration, then inline suppression directives. The CLI, its cache and the language server
share it: `LintJob` is what a lint depends on."""

from __future__ import annotations

from dataclasses import dataclass

from .config import LintConfig
from .diagnostics import Diagnostic
from .errors import InputError, LintTimeout
from .evidence import ChecklistItem
from .inputs import Draft, printable
from .readers import format_for, read_document
from .results import FileResult
from .settings import Settings


@dataclass(frozen=True)
class LintJob:
    """Everything the findings for one draft depend on, besides the rule files and the code.
    The result cache's key hashes every field (cache.key), so an input added here is in the
    key by construction; `run` is the one place a job is linted."""

    text: str
    fmt: str  # the reader: plain, markdown, html, eml
    config: LintConfig  # rules, options, severities, placeholders
    ignored: frozenset[str]  # rules the configuration's per-file-ignores turn off here

    @classmethod
    def of(cls, draft: Draft, settings: Settings) -> LintJob:
        ignored = settings.project.ignored_rules(draft.path) if draft.path != "<stdin>" else set()
        fmt = draft.format or format_for(draft.path)
        return cls(draft.text, fmt, settings.lint_for(draft.path), frozenset(ignored))

    def run(
        self, path: str, budget: float | None = None, reuse_paragraphs: bool = False
    ) -> tuple[list[Diagnostic], tuple[ChecklistItem, ...]]:
        """Findings (reported at `path`, which decides nothing else) and checklist; InputError
        when the text is empty, LintTimeout when the lint runs over `budget`."""
        from .api import check_with, get_linter  # spaCy: only when a job is actually run

        document = read_document(self.text, path, self.fmt)
        if not document.text.strip():
            # Six missing elements would bury the one thing to say.
            raise InputError("empty draft: nothing to lint")
        linter = get_linter(self.config, reuse_paragraphs)
        return check_with(linter, document, self.ignored, budget)


def lint_draft(
    draft: Draft, settings: Settings, budget: float | None = None, reuse_paragraphs: bool = False
) -> FileResult:
    """`reuse_paragraphs`: see `get_linter`."""
    try:
        job = LintJob.of(draft, settings)
        diagnostics, checklist = job.run(draft.path, budget, reuse_paragraphs)
    except (InputError, LintTimeout) as exc:
        return FileResult(draft.path, error=type(exc)(exc.message, draft.path))
    return FileResult(
        draft.path,
        tuple(diagnostics),
        checklist=checklist,
        fail_on=settings.fail_on,
        source=printable(draft.text),
    )
