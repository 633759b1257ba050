"""`require`: one finding, at the top of the draft, when no evidence of an element is found.

Evidence inside quoted material counts (a pasted bounce supplies the SMTP code); negated,
hypothetical or modal evidence does not ("we have *not* yet removed", "DKIM *will be* enabled").
A placeholder that names the element (`{{ smtp_code }}`, `[Your Server IP]`) supplies it.

`evidence()` says where the element was found: the placeholder, else the first match kept by
the first alternative that keeps one. It is computed once per document and shared: the
finding, other rules asking whether the draft has the element, and the checklist every output
shows all read the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..detect import RequireDetect
from ..evidence import Evidence, located
from .base import Alternative, CheckContext, Compiler, Finding, kept_spans


@dataclass(frozen=True)
class RequireCheck:
    element: str
    alternatives: tuple[Alternative, ...]
    guards: frozenset[str]

    @classmethod
    def compile(cls, spec: RequireDetect, compiler: Compiler) -> RequireCheck:
        return cls(spec.element, compiler.alternatives(spec.alternatives), spec.guards)

    def evidence(self, context: CheckContext) -> Evidence | None:
        """Where the draft supplies the element, or None when it does not."""
        memo = context.matches.memo
        key = f"evidence:{self.element}"
        if key not in memo:
            memo[key] = self._find(context)
        found: Evidence | None = memo[key]
        return found

    def found(self, context: CheckContext) -> bool:
        return self.evidence(context) is not None

    def _find(self, context: CheckContext) -> Evidence | None:
        document = context.document
        placeholder = context.supplied.get(self.element)
        if placeholder is not None:
            start, end = placeholder.start, placeholder.end
            return located(document, start, end, source=True, placeholder=placeholder.name)
        for alternative in self.alternatives:
            kept = kept_spans([alternative], context, self.guards)
            if kept:
                start, end = context.matches.trim(kept[0])
                return located(document, start, end, quoted=document.is_quoted(start, end))
        return None

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        if self.found(context):
            return []
        start, end = context.document.first_line_span()
        return [Finding(start, end, {"element": self.element})]
