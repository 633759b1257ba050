"""Inline suppression directives, written in a comment so they never reach the recipient:

    <!-- postmaster-lint: disable PM102 -->          Markdown, HTML
    {# postmaster-lint: disable-next-line PM104 #}   Jinja2
    {{!-- postmaster-lint: enable PM102 --}}         Handlebars ({{! ... }} too)
    {% comment %} postmaster-lint: disable {% endcomment %}   Liquid

`disable RULES` holds until `enable RULES` (or the end of the file); `disable-next-line RULES`
covers findings that start on the next line. RULES are ids or names, separated by commas or
spaces; none means every rule. Unknown rules in a directive are reported as PM000.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .document import Document
from .errors import did_you_mean
from .rules import RuleSet

DIRECTIVE_RULE = "PM000"
DIRECTIVE_NAME = "invalid-directive"
ALL = "*"

_DIRECTIVE = re.compile(
    r"(?:<!--|\{\#|\{\{!--|\{\{!|\{%-?\s*comment\s*-?%\})"
    r"\s*postmaster-lint:\s*(?P<action>disable-next-line|disable|enable)\b(?P<rules>[^\n]*?)\s*"
    r"(?:-->|\#\}|--\}\}|\}\}|\{%-?\s*endcomment\s*-?%\})"
)
# The comment syntax to write a directive in, by file extension (for editors' quick fixes).
COMMENT_SYNTAX = {
    ".md": ("<!--", "-->"), ".markdown": ("<!--", "-->"), ".html": ("<!--", "-->"),
    ".htm": ("<!--", "-->"), ".j2": ("{#", "#}"), ".jinja": ("{#", "#}"),
    ".jinja2": ("{#", "#}"), ".hbs": ("{{!--", "--}}"), ".handlebars": ("{{!--", "--}}"),
    ".mustache": ("{{!", "}}"), ".liquid": ("{% comment %}", "{% endcomment %}"),
}  # fmt: skip


def comment_syntax(path: str) -> tuple[str, str] | None:
    return COMMENT_SYNTAX.get(Path(path).suffix.lower())


@dataclass(frozen=True)
class Directive:
    action: str
    rules: frozenset[str]  # rule ids, or {ALL}
    start_line: int  # disable/enable take effect from this line on (a trailing one counts)
    end_line: int  # disable-next-line covers the line after this one


def apply(
    document: Document, diagnostics: Sequence[Diagnostic], rules: RuleSet
) -> list[Diagnostic]:
    """The diagnostics that no directive suppresses, plus PM000 for directives naming unknown
    rules."""
    directives, problems = _parse(document, rules)
    if not directives:
        return sorted([*diagnostics, *problems])
    kept = [d for d in diagnostics if not _suppressed(d, directives)]
    return sorted([*kept, *problems])


def _parse(document: Document, rules: RuleSet) -> tuple[list[Directive], list[Diagnostic]]:
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    for match in _DIRECTIVE.finditer(document.source):
        names = [n for n in re.split(r"[,\s]+", match.group("rules").strip()) if n]
        ids: set[str] = set()
        for name in names:
            rule = rules.get(name) or rules.get(name.upper())
            if rule is None:
                choices = [r.id for r in rules] + [r.name for r in rules]
                problems.append(_problem(document, match, name, choices))
            else:
                ids.add(rule.id)
        directives.append(
            Directive(
                match.group("action"),
                frozenset(ids) if names else frozenset({ALL}),
                document.position(match.start()).line,
                document.position(match.end()).line,
            )
        )
    return directives, problems


def _suppressed(diagnostic: Diagnostic, directives: Sequence[Directive]) -> bool:
    return suppresses(directives, diagnostic.rule, diagnostic.line)


def directives_in(document: Document, rules: RuleSet) -> list[Directive]:
    """The document's directives (what `apply` obeys), for checks that must leave suppressed
    text out of a total: an apology in a disabled region does not count towards PM102's."""
    return _parse(document, rules)[0]


def suppresses(directives: Sequence[Directive], rule: str, line: int) -> bool:
    """Whether the directives switch `rule` off at `line`."""
    disabled: set[str] = set()
    for directive in directives:
        if directive.action == "disable-next-line":
            if directive.end_line + 1 == line and _covers(directive.rules, rule):
                return True
            continue
        if directive.start_line > line:
            break
        if directive.action == "disable":
            disabled |= directive.rules
        else:
            disabled = set() if ALL in directive.rules else disabled - directive.rules
    return _covers(frozenset(disabled), rule)


def _covers(rules: frozenset[str], rule: str) -> bool:
    return ALL in rules or rule in rules


def _problem(document: Document, match: re.Match[str], name: str, choices: list[str]) -> Diagnostic:
    offset = match.start("rules") + match.group("rules").find(name)
    position = document.position(offset)
    line, column = position.line, position.column
    return Diagnostic(
        path=document.path,
        line=line,
        column=column,
        end_line=line,
        end_column=column + len(name),
        rule=DIRECTIVE_RULE,
        name=DIRECTIVE_NAME,
        severity=Severity.WARNING,
        message=f"Unknown rule {name!r} in a directive{did_you_mean(name, choices)}.",
        text=name,
        start=offset,
        end=offset + len(name),
    )
