"""What every detection kind shares: the per-document context, findings, and spec parsing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacy.tokens import Doc, Span

from .. import classifier
from ..document import Document
from ..errors import LintTimeout, RuleError, did_you_mean
from ..guards import GUARD_NAMES, opens_hypothetical, suppressed
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
            self.only_keys(("match", "classify", "context"), item)
            if ("match" in item) == ("classify" in item):
                raise self.error("each item of 'any' gives either 'match' or 'classify'", item)
            if "classify" in item:
                alternatives.append(
                    Alternative(-1, self.context(item, request_default), self.classify(item))
                )
                continue
            alternatives.append(
                Alternative(self.match(item, "match"), self.context(item, request_default))
            )
        return tuple(alternatives)

    def classify(self, node: LocatedDict) -> Classify:
        """`classify: {label: PM106, threshold: 0.9}`: the trained sentence classifier's label,
        and the score from which a sentence counts as a match."""
        spec = node["classify"]
        if not isinstance(spec, LocatedDict):
            raise self.error(
                "'classify' must be a mapping with 'label' and 'threshold'", node, "classify"
            )
        self.only_keys(("label", "threshold"), spec)
        for key in ("label", "threshold"):
            if key not in spec:
                raise self.error(f"classify: missing {key!r}", spec)
        label, threshold = spec["label"], spec["threshold"]
        known = classifier.labels()
        if label not in known:
            hint = did_you_mean(str(label), known)
            raise self.error(
                f"classify: the model has no label {label!r} (it has {', '.join(known)}){hint}",
                spec,
                "label",
            )
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, float))
            or not 0 < threshold <= 1
        ):
            raise self.error("classify: 'threshold' must be a number in (0, 1]", spec, "threshold")
        return Classify(str(label), float(threshold))

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
class Classify:
    """A sentence matches when the trained classifier gives `label` at least `threshold`."""

    label: str
    threshold: float

    def spans(self, context: CheckContext) -> list[Span]:
        matches = context.matches
        key = "classify"
        if key not in matches.memo:
            # Every sentence of the sender's own prose, scored once per document.
            own = [
                s
                for s in matches.sentences
                if not context.document.is_quoted(s.start_char, s.end_char)
                and any(not (t.is_space or t.is_punct) for t in s)
            ]
            matches.memo[key] = list(zip(own, classifier.score_all(own), strict=True))
        return [
            sentence
            for sentence, scores in matches.memo[key]
            if scores.get(self.label, 0.0) >= self.threshold
        ]


@dataclass(frozen=True)
class Alternative:
    """One way a rule can match: a match spec (or the classifier) and the sentence context it
    needs."""

    handle: int  # -1 for a classifier alternative
    sentence: SentenceContext
    classify: Classify | None = None

    def spans(self, context: CheckContext) -> list[Span]:
        if self.classify is not None:
            return self.classify.spans(context)
        return context.matches.spans(self.handle)


def kept_spans(
    alternatives: Iterable[Alternative], context: CheckContext, guards: frozenset[str]
) -> list[Span]:
    """The matches of any alternative that survive its sentence context and the guards."""
    return [
        span
        for alternative in alternatives
        for span in alternative.spans(context)
        if _in_time(context)
        and alternative.sentence.allows(span, context)
        and not _guarded(alternative, span, context, guards)
    ]


def _guarded(
    alternative: Alternative, span: Span, context: CheckContext, guards: frozenset[str]
) -> bool:
    sentence = context.matches.sentence(span)
    in_request = is_request(sentence, context.matches, context.request_frame)
    if alternative.classify is not None:
        # The classifier's match is the whole sentence: no word of it comes before the match
        # for the negation guard to look at (the model has learned negated look-alikes), so
        # it is the material's origin and a conditional opening that decide.
        return suppressed(guards & {"quoted"}, span, sentence, context.document) or (
            "hypothetical" in guards and opens_hypothetical(sentence, in_request)
        )
    return suppressed(
        guards,
        span,
        sentence,
        context.document,
        alternative.sentence.transparent_tokens(span, context),
        in_request,
    )


def _in_time(context: CheckContext) -> bool:
    if context.deadline is not None and time.monotonic() > context.deadline:
        raise LintTimeout("linting took longer than the time budget for this file (--timeout)")
    return True


def any_kept(
    alternatives: Iterable[Alternative], context: CheckContext, guards: frozenset[str]
) -> bool:
    """Whether any alternative keeps a match, stopping at the first (evidence only needs one)."""
    return any(kept_spans([alternative], context, guards) for alternative in alternatives)
