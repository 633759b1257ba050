"""Errors a user can fix. Each renders as one line; the CLI maps them to exit code 2."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class UserError(Exception):
    """A problem with the user's input, rules or options (never a bug in postmaster-lint)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(UserError):
    """A file to lint cannot be read as text."""


class RuleError(UserError):
    """A rule pack file is malformed."""


class ProviderError(UserError):
    """A provider data file (providers/*.yaml) is malformed."""


class LintTimeout(UserError):
    """Linting one file went over its time budget (a slow rule pattern, or a huge file)."""


class OptionError(UserError):
    """An option names something that does not exist, or has a wrong value."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` is most likely a misspelling of, if any is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' suffix, or '' when nothing is close."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""
