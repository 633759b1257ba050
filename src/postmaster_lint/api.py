"""The public Python API. The CLI uses it; the language server and other tools reuse it.

    >>> from postmaster_lint import lint_text
    >>> [d.rule for d in lint_text("Please whitelist our IP.")][:1]
    ['PM104']

The spaCy pipeline and the compiled rules are built once per process and configuration.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Collection, Iterator
from pathlib import Path

from .config import LintConfig
from .diagnostics import Diagnostic
from .document import Document
from .evidence import ChecklistItem
from .inputs import DEFAULT_MAX_BYTES, read_draft
from .linter import Linter
from .readers import read_document
from .results import checklist
from .rules import builtin_rules_dir, rules_once, rules_stamp
from .suppression import apply as apply_directives

# Within `rules_held()`: each rule pack's stamp, taken once (see there).
_HELD: dict[tuple[Path, ...], tuple[tuple[str, int, int], ...]] | None = None


@contextlib.contextmanager
def rules_held() -> Iterator[None]:
    """For a one-shot run (the CLI): the rule files are taken as they were when first asked
    for, so `get_linter` stops checking them before every draft (about a millisecond each).
    A long-lived process (the language server) does not hold them, and sees an edited pack."""
    global _HELD
    previous, _HELD = _HELD, {}
    try:
        yield
    finally:
        _HELD = previous


def get_linter(config: LintConfig | None = None, reuse_paragraphs: bool = False) -> Linter:
    """The compiled linter for `config`, built once per process and rebuilt only when a rule
    file in play changes; `reuse_paragraphs` for a caller that lints one draft again and again
    (the language server)."""
    config = config or LintConfig()
    stamp = _HELD.get(config.rule_dirs) if _HELD is not None else None
    if stamp is None:
        stamp = rules_stamp([builtin_rules_dir(), *config.rule_dirs])
        if _HELD is not None:
            _HELD[config.rule_dirs] = stamp
    # The provider changes what the checks read, not what is compiled: one compiled linter
    # serves every provider, each through a view that carries it in its config.
    compiled = _linter(dataclasses.replace(config, provider=None), stamp, reuse_paragraphs)
    return compiled if config.provider is None else compiled.for_config(config)


@functools.lru_cache(maxsize=8)
def _linter(
    config: LintConfig, stamp: tuple[tuple[str, int, int], ...], reuse_paragraphs: bool
) -> Linter:
    rules = rules_once([builtin_rules_dir(), *config.rule_dirs], stamp)
    return Linter(rules, config, reuse_paragraphs=reuse_paragraphs)


def lint_text(
    text: str, config: LintConfig | None = None, path: str = "<text>", fmt: str | None = None
) -> list[Diagnostic]:
    """Lint a draft given as a string, read as the format its `path` names (or `fmt`:
    plain, markdown, html, eml). Inline suppression directives apply. Raises UserError for bad
    rules or options."""
    return lint_document(read_document(text, path, fmt), config)


def lint_document(
    document: Document,
    config: LintConfig | None = None,
    ignore: Collection[str] = (),
    budget: float | None = None,
) -> list[Diagnostic]:
    """The rules' findings on a read document, less `ignore`d rules and what its inline
    directives suppress. Raises LintTimeout past `budget` seconds."""
    return lint_with(get_linter(config), document, ignore, budget)


def lint_with(
    linter: Linter,
    document: Document,
    ignore: Collection[str] = (),
    budget: float | None = None,
) -> list[Diagnostic]:
    """`lint_document` with a linter the caller already holds."""
    return check_with(linter, document, ignore, budget)[0]


def check_with(
    linter: Linter,
    document: Document,
    ignore: Collection[str] = (),
    budget: float | None = None,
) -> tuple[list[Diagnostic], tuple[ChecklistItem, ...]]:
    """`lint_with`, and the required-element checklist: each element found (with where) or
    not."""
    run = linter.run(document, budget)
    found = [d for d in run.diagnostics if d.rule not in ignore]
    kept = apply_directives(document, found, linter.rules)
    return kept, checklist(linter, run.evidence, kept)


def check_text(
    text: str, config: LintConfig | None = None, path: str = "<text>", fmt: str | None = None
) -> tuple[list[Diagnostic], tuple[ChecklistItem, ...]]:
    """`lint_text`, and the required-element checklist."""
    return check_with(get_linter(config), read_document(text, path, fmt))


def lint_path(
    path: str, config: LintConfig | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Diagnostic]:
    """Lint a file ('-' for stdin). Raises InputError when it cannot be read as a text draft."""
    draft = read_draft(path, max_bytes)
    return lint_text(draft.text, config, draft.path)
