"""`postmaster-lint lint`: find each path's settings, read it, lint it, keep going past files
that cannot be read or configured."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

import click

from ..api import get_linter
from ..configfile import ProjectConfig
from ..errors import UserError
from ..inputs import DEFAULT_MAX_BYTES, STDIN, expand_paths, is_draft_name, read_draft
from ..results import FileResult
from ..rules import Rule
from ..runner import lint_draft
from ..settings import Overrides, SettingsResolver, merge

PROGRESS_MIN_FILES = 20


def run_lint(
    paths: list[str],
    overrides: Overrides,
    max_bytes: int | None = None,
    stdin_filename: str | None = None,
) -> tuple[list[FileResult], list[Rule]]:
    """Results in the order the paths were given, and every rule that could have fired."""
    # Problems with the command line's own rules or options end the run before any file is read.
    base = get_linter(merge(ProjectConfig(), overrides).lint)
    rules: dict[str, Rule] = {rule.id: rule for rule in base.rules}
    resolver = SettingsResolver(overrides)

    def wanted(path: str) -> bool:
        try:
            project = resolver.for_path(path).project
        except UserError:
            return True  # linting it will report the configuration error
        included = project.included(path)
        return not project.excluded(path) and (
            included if included is not None else is_draft_name(path)
        )

    results = []
    for item in _progress(list(expand_paths(paths, wanted))):
        if isinstance(item, UserError):
            results.append(FileResult(item.path or "?", error=item))
            continue
        # stdin is read, configured and reported as --stdin-filename when that is given.
        name = stdin_filename if item == STDIN and stdin_filename else item
        try:
            settings = resolver.for_path(None if name == STDIN else name)
            if name != STDIN and settings.project.excluded(name):
                continue  # pre-commit passes excluded files by name: respect `exclude`
            draft = read_draft(item, max_bytes or DEFAULT_MAX_BYTES, display_name=name)
        except UserError as exc:
            results.append(FileResult(item, error=exc))
            continue
        results.append(lint_draft(draft, settings))
        rules.update((rule.id, rule) for rule in get_linter(settings.lint).rules)
    return results, sorted(rules.values(), key=lambda rule: rule.id)


def _progress(items: list[str | UserError]) -> Iterable[str | UserError]:
    """A progress bar on stderr for long runs in a terminal; never in pre-commit, CI or pipes."""
    if len(items) < PROGRESS_MIN_FILES or os.environ.get("CI") or not sys.stderr.isatty():
        return items
    return _with_bar(items)


def _with_bar(items: list[str | UserError]) -> Iterator[str | UserError]:
    with click.progressbar(items, label="Linting", file=sys.stderr) as bar:
        yield from bar
