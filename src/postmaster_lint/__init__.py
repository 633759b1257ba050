"""postmaster-lint: lint requests to postmasters and blocklist operators before you send them.

The public API is imported on first use, so that commands which need no NLP (a fully cached
run, `--help`, `rules`) never load spaCy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS = {
    "check_text": "api",
    "get_linter": "api",
    "lint_document": "api",
    "lint_path": "api",
    "lint_text": "api",
    "LintConfig": "config",
    "Diagnostic": "diagnostics",
    "Severity": "diagnostics",
    "InputError": "errors",
    "OptionError": "errors",
    "RuleError": "errors",
    "UserError": "errors",
}

if TYPE_CHECKING:
    from .api import check_text, get_linter, lint_document, lint_path, lint_text
    from .config import LintConfig
    from .diagnostics import Diagnostic, Severity
    from .errors import InputError, OptionError, RuleError, UserError


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Diagnostic",
    "InputError",
    "LintConfig",
    "OptionError",
    "RuleError",
    "Severity",
    "UserError",
    "__version__",
    "check_text",
    "get_linter",
    "lint_document",
    "lint_path",
    "lint_text",
]
