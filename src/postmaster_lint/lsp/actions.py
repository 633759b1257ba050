"""Quick fixes: insert a labeled line for a missing required element; disable a rule on a line
or in the file, in the comment syntax of the file's format."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Diagnostic
from ..rules import Rule
from ..suppression import comment_syntax


def code_actions(
    uri: str, path: str, source: str, found: list[Diagnostic], rules: dict[str, Rule]
) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    syntax = comment_syntax(path)
    for diagnostic in found:
        rule = rules.get(diagnostic.rule)
        if rule is None:
            continue
        if rule.category == "required" and rule.insert:
            line, character, text = insertion(source, rule.insert)
            title = f"Insert a line for the missing {rule.name.removeprefix('missing-')}"
            actions.append(_insert(uri, title, line, text, prefer=True, character=character))
        if syntax:
            open_, close = syntax
            actions.append(
                _insert(
                    uri,
                    f"Disable {rule.id} ({rule.name}) for this line",
                    diagnostic.line - 1,
                    f"{open_} postmaster-lint: disable-next-line {rule.id} {close}\n",
                )
            )
            actions.append(
                _insert(
                    uri,
                    f"Disable {rule.id} ({rule.name}) in this file",
                    0,
                    f"{open_} postmaster-lint: disable {rule.id} {close}\n",
                )
            )
    return actions


def insert_lines(uri: str, source: str, title: str, text: str) -> types.CodeAction:
    """A preferred quick fix inserting `text` (one or more lines) where a missing element goes."""
    line, character, inserted = insertion(source, text)
    return _insert(uri, title, line, inserted, prefer=True, character=character)


def insertion(source: str, line_text: str) -> tuple[int, int, str]:
    """Where a missing element goes (after the opening paragraph: subject, greeting; or at the
    end of a one-paragraph draft) and the text to insert there."""
    lines = source.split("\n")
    seen_text = False
    for index, line in enumerate(lines):
        if line.strip():
            seen_text = True
        elif seen_text and index + 1 < len(lines):
            return index + 1, 0, line_text + "\n"
    if source.endswith("\n") or not source:
        return len(lines) - 1, 0, line_text + "\n"
    last = lines[-1]  # no final newline: append after the last character
    return len(lines) - 1, len(last.encode("utf-16-le")) // 2, "\n" + line_text


def _insert(
    uri: str, title: str, line: int, text: str, prefer: bool = False, character: int = 0
) -> types.CodeAction:
    position = types.Position(line=line, character=character)
    edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=text)
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
        is_preferred=prefer or None,
    )
