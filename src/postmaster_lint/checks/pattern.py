"""`pattern` and `request`: flag each guarded match; `request` only where the sentence asks the
recipient for something (a question, "please...", "could you...", "we don't understand why...")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..detect import PatternDetect
from .base import Alternative, CheckContext, Compiler, Finding, kept_spans


@dataclass(frozen=True)
class PatternCheck:
    alternatives: tuple[Alternative, ...]
    guards: frozenset[str]
    report: str

    @classmethod
    def compile(cls, spec: PatternDetect, compiler: Compiler) -> PatternCheck:
        return cls(compiler.alternatives(spec.alternatives), spec.guards, spec.report)

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        findings: dict[tuple[int, int], Finding] = {}
        for span in kept_spans(self.alternatives, context, self.guards):
            reported = context.matches.sentence(span) if self.report == "sentence" else span
            start, end = context.matches.trim(reported)
            findings.setdefault((start, end), Finding(start, end))
        return list(findings.values())
