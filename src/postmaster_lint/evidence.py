"""Where a required element was found, and each file's required-element checklist.

The `require` check returns its evidence (the first match it keeps, or the placeholder that
supplies the element); the linter hands it on, and every output (text, JSON, SARIF, the
language server's hover) shows the same record.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from typing import Any

from .document import Document
from .inputs import printable

EVIDENCE_CHARS = 60  # the longest evidence text shown


@dataclass(frozen=True)
class Evidence:
    """Lines and columns as in Diagnostic: 1-based, code points, the end exclusive; `start` and
    `end` are code-point offsets into the file. `text` is what supplied the element, on one
    line and at most EVIDENCE_CHARS long. `quoted`: it is in quoted or pasted material (a reply
    quote, a pasted bounce, a signature). `placeholder`: the template variable or plain-text
    placeholder ("smtp_code", "Your Server IP") that will supply the element."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    start: int
    end: int
    quoted: bool = False
    placeholder: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(**data)

    def describe(self) -> str:
        """One line for people: `at 4:1 "550 5.7.1" (quoted)`."""
        where = f"at {self.line}:{self.column}"
        if self.placeholder is not None:
            return f"{where} placeholder {_quote(self.text)}"
        return f"{where} {_quote(self.text)}" + (" (quoted)" if self.quoted else "")


def located(
    document: Document,
    start: int,
    end: int,
    *,
    source: bool = False,
    quoted: bool = False,
    placeholder: str | None = None,
) -> Evidence:
    """Evidence for [start, end) of the document's text (or of its source, with `source`).
    The text shown is the prose as read (entities and encodings decoded); a placeholder is
    shown as written."""
    if source:
        source_start, source_end = start, end
        shown = document.source[start:end]
    else:
        source_start, source_end = document.source_span(start, end)
        shown = document.text[start:end]
    first, last = document.position(source_start), document.position(source_end)
    return Evidence(
        first.line,
        first.column,
        last.line,
        last.column,
        readable(shown),
        source_start,
        source_end,
        quoted,
        placeholder,
    )


def readable(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """On one line, control characters replaced, at most `limit` characters."""
    text = printable(" ".join(text.split()))
    text = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


FOUND, MISSING, IGNORED = "found", "missing", "ignored"


@dataclass(frozen=True)
class ChecklistItem:
    """One required element of one file. `status`: found (with its evidence), missing (its
    finding is reported), or ignored (missing, but its finding is switched off for this file
    by a directive or a per-file ignore)."""

    element: str
    rule: str
    status: str
    evidence: Evidence | None = None

    @property
    def found(self) -> bool:
        return self.status == FOUND

    def to_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "rule": self.rule,
            "found": self.found,
            "status": self.status,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChecklistItem:
        evidence = data.get("evidence")
        return cls(
            str(data["element"]),
            str(data["rule"]),
            str(data["status"]),
            Evidence.from_dict(evidence) if evidence else None,
        )
