"""`pattern` and `request`: flag each guarded match; `request` only where the sentence asks the
recipient for something (a question, "please...", "could you...", "we don't understand why...")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..guards import PITFALL_GUARDS
from .base import Alternative, CheckContext, Finding, SpecReader, kept_spans

REPORT_CHOICES = ("match", "sentence")
_KEYS = ("kind", "match", "context", "any", "guards", "report")


@dataclass(frozen=True)
class PatternCheck:
    alternatives: tuple[Alternative, ...]
    guards: frozenset[str]
    report: str

    @classmethod
    def from_spec(cls, reader: SpecReader, request: bool) -> PatternCheck:
        reader.only_keys(_KEYS)
        return cls(
            alternatives=reader.alternatives(request_default=True if request else None),
            guards=reader.guards(PITFALL_GUARDS),
            report=reader.choice("report", REPORT_CHOICES, "sentence" if request else "match"),
        )

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        findings: dict[tuple[int, int], Finding] = {}
        for span in kept_spans(self.alternatives, context, self.guards):
            reported = context.matches.sentence(span) if self.report == "sentence" else span
            start, end = context.matches.trim(reported)
            findings.setdefault((start, end), Finding(start, end))
        return list(findings.values())


def pattern_kind(reader: SpecReader) -> PatternCheck:
    return PatternCheck.from_spec(reader, request=False)


def request_kind(reader: SpecReader) -> PatternCheck:
    return PatternCheck.from_spec(reader, request=True)
