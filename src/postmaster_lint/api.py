"""The public Python API. The CLI uses it; the language server and other tools reuse it.

    >>> from postmaster_lint import lint_text
    >>> [d.rule for d in lint_text("Please whitelist our IP.")][:1]
    ['PM104']

The spaCy pipeline and the compiled rules are built once per process and configuration.
"""

from __future__ import annotations

import functools

from .config import LintConfig
from .diagnostics import Diagnostic
from .document import Document
from .inputs import DEFAULT_MAX_BYTES, read_draft
from .linter import Linter
from .rules import builtin_rules_dir, load_rules


@functools.lru_cache(maxsize=8)
def get_linter(config: LintConfig | None = None) -> Linter:
    config = config or LintConfig()
    rules = load_rules([builtin_rules_dir(), *config.rule_dirs])
    return Linter(rules, config)


def lint_text(
    text: str, config: LintConfig | None = None, path: str = "<text>"
) -> list[Diagnostic]:
    """Lint a draft given as a string. Raises UserError for bad rules or options."""
    return get_linter(config).lint(Document.from_plain_text(text, path))


def lint_path(
    path: str, config: LintConfig | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Diagnostic]:
    """Lint a file ('-' for stdin). Raises InputError when it cannot be read as a text draft."""
    draft = read_draft(path, max_bytes)
    return lint_text(draft.text, config, draft.path)
