"""postmaster-lint: lint requests to postmasters and blocklist operators before you send them."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import get_linter, lint_path, lint_text
from .config import LintConfig
from .diagnostics import Diagnostic, Severity
from .errors import InputError, OptionError, RuleError, UserError

try:
    __version__ = version("postmaster-lint")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "Diagnostic",
    "InputError",
    "LintConfig",
    "OptionError",
    "RuleError",
    "Severity",
    "UserError",
    "__version__",
    "get_linter",
    "lint_path",
    "lint_text",
]
