"""`require`: one finding, at the top of the draft, when no evidence of an element is found.

Evidence inside quoted material counts (a pasted bounce supplies the SMTP code); negated,
hypothetical or modal evidence does not ("we have *not* yet removed", "DKIM *will be* enabled").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Alternative, CheckContext, Finding, SpecReader, any_kept

_DEFAULT_GUARDS = ("negation", "hypothetical", "modal")


@dataclass(frozen=True)
class RequireCheck:
    element: str
    evidence: tuple[Alternative, ...]
    guards: frozenset[str]

    @classmethod
    def from_spec(cls, reader: SpecReader) -> RequireCheck:
        reader.only_keys(("kind", "element", "match", "context", "any", "guards"))
        element = reader.detect.get("element")
        if not isinstance(element, str) or not element:
            raise reader.error("'element' must name the required element", reader.detect)
        return cls(element, reader.alternatives(), reader.guards(_DEFAULT_GUARDS))

    def found(self, context: CheckContext) -> bool:
        if self.element in context.supplied:
            return True
        return any_kept(self.evidence, context, self.guards)

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        if self.found(context):
            return []
        start, end = context.document.first_line_span()
        return [Finding(start, end, {"element": self.element})]


def require_kind(reader: SpecReader) -> RequireCheck:
    return RequireCheck.from_spec(reader)
