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
        matches = context.matches
        written = [a for a in self.alternatives if a.classify is None]
        found_in: set[int] = set()
        for span in kept_spans(written, context, self.guards):
            found_in.add(matches.token_sentence[span.start])
            reported = matches.sentence(span) if self.report == "sentence" else span
            start, end = matches.trim(reported)
            findings.setdefault((start, end), Finding(start, end))
        learned = [a for a in self.alternatives if a.classify is not None]
        for span in kept_spans(learned, context, self.guards) if learned else ():
            # the classifier reports a sentence no written pattern has already pinned down
            if matches.token_sentence[span.start] not in found_in:
                start, end = matches.trim(span)
                findings.setdefault((start, end), Finding(start, end))
        return list(findings.values())


def pattern_kind(reader: SpecReader) -> PatternCheck:
    return PatternCheck.from_spec(reader, request=False)


def request_kind(reader: SpecReader) -> PatternCheck:
    return PatternCheck.from_spec(reader, request=True)
