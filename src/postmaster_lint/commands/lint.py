"""`postmaster-lint lint`: read each path, lint it, keep going past unreadable files."""

from __future__ import annotations

from ..api import get_linter
from ..config import LintConfig
from ..document import Document
from ..errors import InputError
from ..inputs import DEFAULT_MAX_BYTES, expand_paths, read_draft
from ..results import FileResult, checklist


def run_lint(
    paths: list[str], config: LintConfig, max_bytes: int | None = None
) -> list[FileResult]:
    linter = get_linter(config)  # bad rules or options fail here, before any file is read
    results = []
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            results.append(FileResult(item.path or "?", error=item))
            continue
        try:
            draft = read_draft(item, max_bytes or DEFAULT_MAX_BYTES)
        except InputError as exc:
            results.append(FileResult(item, error=exc))
            continue
        diagnostics = linter.lint(Document.from_plain_text(draft.text, draft.path))
        results.append(
            FileResult(draft.path, tuple(diagnostics), checklist=checklist(linter, diagnostics))
        )
    return results
