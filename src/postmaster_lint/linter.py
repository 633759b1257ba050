"""Runs the active rules over a document: one spaCy pass, one pattern-bank scan, every check."""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .checks import Check, CheckContext, Finding, RequireCheck, compile_check
from .config import ActiveRule, LintConfig, resolve
from .diagnostics import Diagnostic
from .document import Document
from .errors import LintTimeout
from .evidence import Evidence
from .inputs import printable
from .lexicon import load_lexicon
from .nlp import pipeline, unwrap
from .paragraphs import ParagraphCache
from .patterns import PatternBank
from .placeholders import supplied_by
from .requests import request_frame
from .rules import RuleSet
from .suppression import directives_in, suppresses


@dataclass(frozen=True)
class CompiledRule:
    active: ActiveRule
    check: Check


class Linter:
    """Compiles the rules once; `lint()` may then be called for any number of documents."""

    def __init__(
        self,
        rules: RuleSet,
        config: LintConfig | None = None,
        reuse_paragraphs: bool = False,
        prefilter: bool = True,
    ) -> None:
        """`reuse_paragraphs`: keep each paragraph's parse and reuse it when a later document
        has the same paragraph (an editor relinting after each keystroke). `prefilter=False`:
        run every pattern over the whole text (the reference the pre-filter is tested on)."""
        self.rules = rules
        self.config = config or LintConfig()
        self._nlp = pipeline()
        bank = PatternBank(self._nlp, load_lexicon(), prefilter)
        self._request_frame = bank.add(request_frame(bank.lexicon))
        self.active = resolve(self.config, rules)
        self._compiled = [CompiledRule(a, compile_check(a.rule, bank)) for a in self.active]
        # Every required element's evidence, for rules whose context asks whether the draft
        # has one (compiled here too when its own rule is not selected).
        self._elements: dict[str, RequireCheck] = {}
        for rule in rules:
            if rule.element is not None:
                compiled = next((c.check for c in self._compiled if c.active.rule is rule), None)
                check = compiled if compiled is not None else compile_check(rule, bank)
                assert isinstance(check, RequireCheck)
                self._elements[rule.element] = check
        self._bank = bank
        self._paragraphs = ParagraphCache(self._nlp, bank) if reuse_paragraphs else None

    def for_config(self, config: LintConfig) -> Linter:
        """This compiled linter, running with `config` (which may differ only in provider)."""
        assert dataclasses.replace(config, provider=None) == dataclasses.replace(
            self.config, provider=None
        )
        view = copy.copy(self)
        view.config = config
        return view

    def lint(self, document: Document, budget: float | None = None) -> list[Diagnostic]:
        """Findings for one document; LintTimeout when it takes more than `budget` seconds."""
        return self.run(document, budget).diagnostics

    def run(self, document: Document, budget: float | None = None) -> LintRun:
        """`lint`, plus where each active required element was found."""
        deadline = None if budget is None else time.monotonic() + budget
        text = unwrap(document.text)
        if self._paragraphs is not None:
            matches = self._paragraphs.parse(text, deadline)
        else:
            matches = self._bank.run(self._nlp(text), deadline, text)
        supplied = supplied_by(document, self.config.placeholders)
        context = CheckContext(
            document,
            matches.doc,
            matches,
            self._request_frame,
            supplied,
            deadline,
            provider=self.config.provider,
        )
        memo = matches.memo

        def has_element(element: str) -> bool:
            key = f"element:{element}"
            if key not in memo:
                check = self._elements.get(element)
                memo[key] = check is not None and check.found(context)
            return bool(memo[key])

        directives = directives_in(document, self.rules)

        def suppressed(rule: str, offset: int) -> bool:
            line = document.position(document.source_span(offset, offset)[0]).line
            return suppresses(directives, rule, line)

        context = dataclasses.replace(context, has_element=has_element)
        if directives:
            context = dataclasses.replace(context, suppressed=suppressed)
        diagnostics: set[Diagnostic] = set()
        for compiled in self._compiled:
            if deadline is not None and time.monotonic() > deadline:
                raise LintTimeout(
                    f"linting took longer than the {budget:g}-second budget (--timeout)"
                )
            for finding in compiled.check.run(context, compiled.active.options):
                diagnostics.add(_diagnostic(document, compiled.active, finding))
        evidence = {
            compiled.active.rule.id: compiled.check.evidence(context)
            for compiled in self._compiled
            if isinstance(compiled.check, RequireCheck)
        }
        return LintRun(sorted(diagnostics), evidence)


@dataclass(frozen=True)
class LintRun:
    diagnostics: list[Diagnostic]
    # For each active `require` rule (by id), where its element was found, or None.
    evidence: dict[str, Evidence | None]


class _KeepUnknown(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_message(message: str, details: Mapping[str, Any]) -> str:
    return message.format_map(_KeepUnknown(details)).strip()


def _diagnostic(document: Document, active: ActiveRule, finding: Finding) -> Diagnostic:
    source_start, source_end = document.source_span(finding.start, finding.end)
    start = document.position(source_start)
    end = document.position(source_end)
    return Diagnostic(
        path=document.path,
        line=start.line,
        column=start.column,
        end_line=end.line,
        end_column=end.column,
        rule=active.rule.id,
        name=active.rule.name,
        severity=active.severity,
        message=format_message(active.rule.message, finding.details),
        text=printable(document.source[source_start:source_end]),
        start=source_start,
        end=source_end,
    )
