"""Template tags (Jinja2, Liquid, Handlebars, Mustache) are never prose.

Output tags (`{{ smtp_code }}`, `{{{ name }}}`, `{{ ticket.ip | e }}`) are replaced in the prose by
their variable's name, so the sentence around them still reads as a sentence, and the name is
remembered: a placeholder can supply a required element (see placeholders.py). Statements,
comments, sections and partials (`{% if %}`, `{# #}`, `{{# each }}`, `{{> partial }}`) are
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lengths are bounded so that an unclosed "{{" cannot make the scan quadratic.
_TAG = re.compile(
    r"\{%-?\s*comment\s*-?%\}.{0,20000}?\{%-?\s*endcomment\s*-?%\}"  # Liquid comment block
    r"|\{%-?\s*raw\s*-?%\}.{0,20000}?\{%-?\s*endraw\s*-?%\}"  # raw: template source
    r"|\{\{!--.{0,20000}?--\}\}"  # Handlebars block comment
    r"|\{\{\{.{0,500}?\}\}\}"  # Handlebars/Mustache triple-stash output
    r"|\{\{.{0,2000}?\}\}"  # output, or a Mustache/Handlebars section, partial or comment
    r"|\{%.{0,2000}?%\}"  # Jinja/Liquid statement
    r"|\{#.{0,20000}?#\}",  # Jinja comment
    re.DOTALL,
)
_NAME = re.compile(r"^[&]?\s*(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\s*(?:\|.*)?$", re.DOTALL)
_NOT_OUTPUT = ("!", "#", "/", "^", ">", "else")


@dataclass(frozen=True)
class TemplateTag:
    start: int
    end: int
    name: str  # the variable an output tag prints, else ""

    @property
    def replacement(self) -> str:
        return self.name


def find_template_tags(source: str) -> list[TemplateTag]:
    if "{{" not in source and "{%" not in source and "{#" not in source:
        return []
    return [TemplateTag(m.start(), m.end(), _variable(m.group(0))) for m in _TAG.finditer(source)]


def _variable(tag: str) -> str:
    if not tag.startswith("{{"):
        return ""
    inner = tag.strip("{}").strip("-~ \t\n")
    if not inner or inner.startswith(_NOT_OUTPUT):
        return ""
    match = _NAME.match(inner)
    return match.group(1) if match else ""
