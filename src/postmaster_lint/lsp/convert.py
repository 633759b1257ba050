"""From postmaster-lint's findings (code points) to LSP's (UTF-16 code units), and back."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity
from ..document import LINE_BREAK
from ..rules import Rule

SOURCE = "postmaster-lint"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class Lines:
    """A document's lines, for converting between code-point columns and UTF-16 columns."""

    def __init__(self, text: str) -> None:
        self.lines = LINE_BREAK.split(text)

    def utf16_column(self, line: int, column: int) -> int:
        """0-based UTF-16 column of a 0-based code-point `column` on 0-based `line`."""
        if line >= len(self.lines):
            return 0
        return len(self.lines[line][:column].encode("utf-16-le")) // 2

    def code_point_column(self, line: int, utf16: int) -> int:
        if line >= len(self.lines):
            return 0
        units = 0
        for index, char in enumerate(self.lines[line]):
            if units >= utf16:
                return index
            units += 2 if ord(char) > 0xFFFF else 1
        return len(self.lines[line])

    def position(self, line: int, column: int) -> types.Position:
        """LSP position of our 1-based line and column."""
        return types.Position(line=line - 1, character=self.utf16_column(line - 1, column - 1))


def to_lsp(diagnostic: Diagnostic, lines: Lines, rule: Rule | None) -> types.Diagnostic:
    href = docs_href(rule) if rule else None
    return types.Diagnostic(
        range=types.Range(
            start=lines.position(diagnostic.line, diagnostic.column),
            end=lines.position(diagnostic.end_line, diagnostic.end_column),
        ),
        message=diagnostic.message,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.rule,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data={"rule": diagnostic.rule, "name": diagnostic.name},
    )


def docs_href(rule: Rule) -> str | None:
    """The rule's own link, else its section in the rule reference shipped with the package."""
    if rule.link:
        return rule.link
    reference = _reference()
    return f"{reference}#{rule.id.lower()}-{rule.name}" if reference else None


@lru_cache(maxsize=1)
def _reference() -> str | None:
    packaged = resources.files("postmaster_lint") / "reference" / "rules.md"
    candidates = [Path(str(packaged)), Path(__file__).resolve().parents[3] / "docs" / "rules.md"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve().as_uri()
    return None


def error_diagnostic(message: str) -> types.Diagnostic:
    """A problem that stopped linting (bad config, binary or huge document), shown at the top."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )
