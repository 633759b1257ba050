"""What every detection kind shares: the per-document context, findings, and spec parsing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacy.tokens import Doc, Span

from ..document import Document
from ..errors import LintTimeout, RuleError, did_you_mean
from ..guards import GUARD_NAMES, suppressed
from ..located import LocatedDict
from ..patterns import Matches, PatternBank, PatternSpecError
from ..placeholders import Placeholder
from ..requests import is_request
from ..rules import Rule


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


class Check(Protocol):
    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]: ...


class SpecReader:
    """Reads one rule's `detect` mapping, turning every problem into a RuleError at its line."""

    def __init__(self, rule: Rule, bank: PatternBank) -> None:
        self.rule = rule
        self.bank = bank
        self.detect = rule.detect

    def error(self, message: str, node: Any = None, key: str | None = None) -> RuleError:
        line = None
        if isinstance(node, LocatedDict):
            line = node.line_of(key) if key else node.line
        elif key is not None:
            line = self.rule.line_of(key)
        return RuleError(message, self.rule.path, line or self.rule.line_of("kind"))

    def only_keys(self, allowed: Sequence[str], node: Any = None) -> None:
        node = self.detect if node is None else node
        for key in node:
            if key not in allowed:
                raise self.error(f"unknown key {key!r}{did_you_mean(key, allowed)}", node, key)

    def match(self, node: Any, key: str) -> int:
        if key not in node:
            raise self.error(f"missing {key!r}", node)
        spec = node[key]
        try:
            return self.bank.add(spec)
        except PatternSpecError as exc:
            # Point at the offending key inside the spec ("lemas:") when there is one.
            if exc.key and isinstance(spec, LocatedDict):
                raise self.error(f"{key}: {exc}", spec, exc.key) from None
            raise self.error(f"{key}: {exc}", node, key) from None

    def context(self, node: Any, request_default: bool | None = None) -> SentenceContext:
        spec = node.get("context")
        if spec is None:
            return SentenceContext(request=request_default)
        if not isinstance(spec, LocatedDict):
            raise self.error("'context' must be a mapping (with, without, request)", node)
        self.only_keys(("with", "without", "request", "without_applies_if"), spec)
        applies_if = spec.get("without_applies_if")
        if applies_if is not None and (not isinstance(applies_if, str) or "without" not in spec):
            raise self.error(
                "'without_applies_if' names a required element and needs 'without'",
                spec,
                "without_applies_if",
            )
        request = spec.get("request", request_default)
        if request is not None and not isinstance(request, bool):
            raise self.error("'request' must be true or false", spec, "request")
        return SentenceContext(
            with_=self.match(spec, "with") if "with" in spec else None,
            without=self.match(spec, "without") if "without" in spec else None,
            request=request,
            without_applies_if=applies_if,
        )

    def alternatives(self, request_default: bool | None = None) -> tuple[Alternative, ...]:
        """`match` (+ `context`) for one alternative, or `any:` a list of them."""
        detect = self.detect
        if ("any" in detect) == ("match" in detect):
            raise self.error("give either 'match' (with optional 'context') or 'any'", detect)
        if "match" in detect:
            return (
                Alternative(self.match(detect, "match"), self.context(detect, request_default)),
            )
        items = detect["any"]
        if not isinstance(items, list) or not items:
            raise self.error("'any' must be a non-empty list", detect, "any")
        alternatives = []
        for item in items:
            if not isinstance(item, LocatedDict):
                raise self.error("each item of 'any' is a mapping with 'match' (and 'context')")
            self.only_keys(("match", "context"), item)
            alternatives.append(
                Alternative(self.match(item, "match"), self.context(item, request_default))
            )
        return tuple(alternatives)

    def guards(self, default: Iterable[str]) -> frozenset[str]:
        value = self.detect.get("guards", list(default))
        if not isinstance(value, list):
            raise self.error("'guards' must be a list", self.detect, "guards")
        for name in value:
            if name not in GUARD_NAMES:
                hint = did_you_mean(str(name), GUARD_NAMES)
                raise self.error(f"unknown guard {name!r}{hint}", self.detect, "guards")
        return frozenset(value)

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        value = self.detect.get(key, default)
        if value not in choices:
            hint = did_you_mean(str(value), choices)
            raise self.error(f"{key} must be one of {', '.join(choices)}{hint}", self.detect, key)
        return str(value)


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
    return [
        span
        for alternative in alternatives
        for span in context.matches.spans(alternative.handle)
        if _in_time(context)
        and alternative.sentence.allows(span, context)
        and not suppressed(
            guards,
            span,
            context.matches.sentence(span),
            context.document,
            alternative.sentence.transparent_tokens(span, context),
            is_request(context.matches.sentence(span), context.matches, context.request_frame),
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
