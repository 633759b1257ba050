"""What every detection kind shares: the per-document context, findings, and compiling specs."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from spacy.tokens import Doc, Span

from ..detect import AlternativeSpec, ContextSpec, MatchSpec, MatchSpecError
from ..document import Document
from ..errors import LintTimeout, RuleError
from ..guards import suppressed
from ..patterns import Matches, PatternBank
from ..placeholders import Placeholder
from ..requests import is_request
from ..rules import Rule, builtin_rules_dir


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckContext:
    document: Document
    doc: Doc
    matches: Matches
    request_frame: int
    # The required elements placeholders supply, each with its first placeholder.
    supplied: Mapping[str, Placeholder] = field(default_factory=dict)
    deadline: float | None = None  # time.monotonic() by which the document must be done
    # Whether the draft carries a required element (by name, e.g. "remediation-steps").
    has_element: Callable[[str], bool] = lambda element: False
    # Whether an inline directive switches a rule off at a character offset of the text.
    suppressed: Callable[[str, int], bool] = lambda rule, offset: False
    provider: str | None = None  # the provider id given for the draft (--provider, config)


class Check(Protocol):
    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]: ...


class Compiler:
    """Compiles one rule's typed specs into the pattern bank; a pattern the bank refuses (an
    unknown word class, a malformed token) is a RuleError at the line of its spec."""

    def __init__(self, rule: Rule, bank: PatternBank) -> None:
        self.rule = rule
        self.bank = bank
        # A built-in rule's patterns are compiled with every check by the test suite.
        self.checked = bool(rule.path) and Path(rule.path).is_relative_to(builtin_rules_dir())

    def match(self, spec: MatchSpec) -> int:
        try:
            return self.bank.add(spec, checked=self.checked)
        except MatchSpecError as exc:
            line = spec.line_of(exc.key) or None
            raise RuleError(f"{spec.under}: {exc}", self.rule.path, line) from None

    def context(self, spec: ContextSpec) -> SentenceContext:
        return SentenceContext(
            with_=None if spec.with_ is None else self.match(spec.with_),
            without=None if spec.without is None else self.match(spec.without),
            request=spec.request,
            without_applies_if=spec.without_applies_if,
        )

    def alternatives(self, specs: Iterable[AlternativeSpec]) -> tuple[Alternative, ...]:
        return tuple(Alternative(self.match(s.match), self.context(s.context)) for s in specs)


@dataclass(frozen=True)
class SentenceContext:
    """Constraints on the sentence around a match: it must / must not also contain something,
    and (`request`) it must ask the recipient for something."""

    with_: int | None = None
    without: int | None = None
    request: bool | None = None  # True: must be a request; False: must not be; None: either
    # `without` only counts when the draft carries this required element.
    without_applies_if: str | None = None

    def allows(self, span: Span, context: CheckContext) -> bool:
        matches = context.matches
        sentence = matches.sentence(span)
        if self.request is not None and self.request != is_request(
            sentence, matches, context.request_frame
        ):
            return False
        if self.with_ is not None and not matches.in_sentence(self.with_, sentence):
            return False
        if self.without is None or not matches.in_sentence(self.without, sentence):
            return True
        return self.without_applies_if is not None and not context.has_element(
            self.without_applies_if
        )

    def transparent_tokens(self, span: Span, context: CheckContext) -> frozenset[int]:
        if not self.request:
            return frozenset()
        matches = context.matches
        sentence = matches.token_sentence[span.start]
        if "transparent" not in matches.memo:
            # every request frame's tokens, by sentence, worked out once per document
            by_sentence: dict[int, set[int]] = {}
            for frame in matches.spans(context.request_frame):
                tokens = by_sentence.setdefault(matches.token_sentence[frame.start], set())
                tokens.update(range(frame.start, frame.end))
            matches.memo["transparent"] = {k: frozenset(v) for k, v in by_sentence.items()}
        found: frozenset[int] = matches.memo["transparent"].get(sentence, frozenset())
        return found


@dataclass(frozen=True)
class Alternative:
    """One way a rule can match: a match spec and the sentence context it needs."""

    handle: int
    sentence: SentenceContext


def kept_spans(
    alternatives: Iterable[Alternative], context: CheckContext, guards: frozenset[str]
) -> list[Span]:
    """The matches of any alternative that survive its sentence context and the guards."""
    matches = context.matches
    return [
        span
        for alternative in alternatives
        for span in matches.spans(alternative.handle)
        if _in_time(context)
        and alternative.sentence.allows(span, context)
        and not suppressed(
            guards,
            span,
            matches.sentence(span),
            context.document,
            alternative.sentence.transparent_tokens(span, context),
            functools.partial(is_request, matches.sentence(span), matches, context.request_frame),
        )
    ]


def _in_time(context: CheckContext) -> bool:
    if context.deadline is not None and time.monotonic() > context.deadline:
        raise LintTimeout("linting took longer than the time budget for this file (--timeout)")
    return True


def any_kept(
    alternatives: Iterable[Alternative], context: CheckContext, guards: frozenset[str]
) -> bool:
    """Whether any alternative keeps a match, stopping at the first (evidence only needs one)."""
    return any(kept_spans([alternative], context, guards) for alternative in alternatives)
