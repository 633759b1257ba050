"""A rule's `detect` mapping, parsed when the rule loads into frozen, typed specs.

Every module that acts on a rule (the checks, the checklist, the docs, `check-rules`, the
language server) reads these specs, never the YAML: a misspelt key or a wrong type is a
`RuleError` at its file and line as soon as the rule pack is read. What needs spaCy or the
lexicon to judge (a token pattern's attributes, a word class's name), and a regex's syntax, is
judged when the patterns compile, and reported at the line of the spec that holds it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import RuleError, did_you_mean
from .located import LocatedDict

GUARD_NAMES = ("quoted", "negation", "hypothetical", "modal")
PITFALL_GUARDS = ("quoted", "negation", "hypothetical")  # the default for pitfall rules
MATCH_KEYS = ("phrases", "lemmas", "tokens", "regex")
REPORT_CHOICES = ("match", "sentence")
METRICS = ("words", "readability")
METRIC_OPTIONS = {
    "words": ("max_words",),
    "readability": ("max_sentence_words", "min_reading_ease"),
}
REQUIRE_GUARDS = ("negation", "hypothetical", "modal")
# What a `provider` rule checks against the provider data (providers/*.yaml).
PROVIDER_CHECKS = (
    "wrong-recipient",  # the pasted bounce shows the block is someone else's than the addressee's
    "missing-field",  # a field the provider's channel requires is absent
    "vague-list",  # an operator named without the list that the bounce or text shows
    "obsolete-list",  # a list that no longer operates is named
    "self-expiring",  # a listing that lapses by itself, whose operator asks not to be written to
)
# The checks that judge the sender's own words (and so take pitfall guards).
PROVIDER_PROSE_CHECKS = ("vague-list", "obsolete-list", "self-expiring")


class MatchSpecError(ValueError):
    """A match spec is malformed; `key` is the key inside the spec it was under, if any."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class MatchSpec:
    """What to look for: literal phrases, lemma phrases, token patterns (spaCy's, plus CLASS,
    GAP and ANY tokens) and regexes. `line` is where it was written (0 when not from YAML)."""

    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    tokens: tuple[Any, ...] = ()  # each a list of token dicts, as spaCy's Matcher takes them
    regex: tuple[str, ...] = ()
    line: int = 0
    key_lines: Mapping[str, int] = dataclasses.field(default_factory=dict, compare=False)
    # The key it was written under (match, with, without), for errors.
    under: str = dataclasses.field(default="match", compare=False)

    def line_of(self, key: str | None) -> int:
        return self.key_lines.get(key, self.line) if key else self.line

    @classmethod
    def parse(cls, node: Any, under: str = "match") -> MatchSpec:
        if not isinstance(node, Mapping):
            raise MatchSpecError("a match spec must be a mapping of phrases/lemmas/tokens/regex")
        unknown = sorted(set(node) - set(MATCH_KEYS))
        if unknown:
            raise MatchSpecError(
                f"unknown match key {unknown[0]!r}; expected one of {', '.join(MATCH_KEYS)}",
                unknown[0],
            )
        if not any(node.get(key) for key in MATCH_KEYS):
            raise MatchSpecError("a match spec needs at least one of " + ", ".join(MATCH_KEYS))
        tokens = node.get("tokens") or []
        if not isinstance(tokens, list) or not all(isinstance(p, list) for p in tokens):
            raise MatchSpecError(
                "'tokens' must be a list of token patterns (lists of dicts)", "tokens"
            )
        # A regex is compiled, and a bad one reported at its line, when the patterns compile
        # (as token patterns are): compiling them here would slow every cached run.
        expressions = _strings(node, "regex")
        return cls(
            phrases=_strings(node, "phrases"),
            lemmas=_strings(node, "lemmas"),
            tokens=tuple(_plain(pattern) for pattern in tokens),
            regex=expressions,
            line=node.line if isinstance(node, LocatedDict) else 0,
            key_lines=dict(node.key_lines) if isinstance(node, LocatedDict) else {},
            under=under,
        )

    def entries(self) -> Iterator[tuple[str, int, Any]]:
        """Each written pattern: (key, index, value)."""
        for key in MATCH_KEYS:
            for index, value in enumerate(getattr(self, key)):
                yield key, index, value

    def with_entry(self, key: str, value: Any) -> MatchSpec:
        """This spec plus one written pattern under `key` (phrases, lemmas, tokens, regex)."""
        changes: dict[str, Any] = {key: (*getattr(self, key), value)}
        return dataclasses.replace(self, **changes)

    def without(self, key: str, index: int) -> MatchSpec:
        """This spec less one written pattern (what `check-rules --strict` tries)."""
        values = getattr(self, key)
        changes: dict[str, Any] = {key: values[:index] + values[index + 1 :]}
        return dataclasses.replace(self, **changes)

    def is_empty(self) -> bool:
        return not any(getattr(self, key) for key in MATCH_KEYS)


@dataclass(frozen=True)
class ContextSpec:
    """Constraints on the sentence around a match: it must (`with_`) or must not (`without`)
    also contain something, and (`request`) it must or must not ask the recipient for
    something; `without` only counts when the draft carries the element `without_applies_if`."""

    with_: MatchSpec | None = None
    without: MatchSpec | None = None
    request: bool | None = None
    without_applies_if: str | None = None
    line: int = 0


@dataclass(frozen=True)
class AlternativeSpec:
    """One way a rule can match: a match spec and the sentence context it needs."""

    match: MatchSpec
    context: ContextSpec


@dataclass(frozen=True)
class PatternDetect:
    """`pattern` flags each guarded match; `request` only where the sentence asks for something."""

    kind: str  # "pattern" or "request"
    alternatives: tuple[AlternativeSpec, ...]
    guards: frozenset[str]
    report: str  # "match" or "sentence"


@dataclass(frozen=True)
class WeightSpec:
    weight: float
    match: MatchSpec


@dataclass(frozen=True)
class WeightedDetect:
    """Each match adds its weight; past `options.threshold` every match is flagged."""

    weights: tuple[WeightSpec, ...]
    context: ContextSpec
    guards: frozenset[str]
    kind: str = "weighted"


@dataclass(frozen=True)
class RequireDetect:
    """One finding when no evidence of the element is found."""

    element: str
    alternatives: tuple[AlternativeSpec, ...]
    guards: frozenset[str]
    kind: str = "require"


@dataclass(frozen=True)
class MetricDetect:
    """A textstat measurement of the sender's own prose."""

    metric: str
    kind: str = "metric"


@dataclass(frozen=True)
class ProviderDetect:
    """A check driven by the provider data: the draft's provider (given, or recognised from its
    greeting, `To:` and pasted bounce) and what its data says. Written patterns: none."""

    check: str  # one of PROVIDER_CHECKS
    guards: frozenset[str]
    kind: str = "provider"


DetectSpec = PatternDetect | WeightedDetect | RequireDetect | MetricDetect | ProviderDetect


class _Reader:
    """Reads one rule's `detect` mapping, turning every problem into a RuleError at its line."""

    def __init__(self, detect: LocatedDict, path: str, options: Mapping[str, Any]) -> None:
        self.detect = detect
        self.path = path
        self.options = options

    def error(self, message: str, node: Any = None, key: str | None = None) -> RuleError:
        line = None
        if isinstance(node, LocatedDict):
            line = node.line_of(key) if key else node.line
        elif key is not None:
            line = self.detect.line_of(key)
        return RuleError(message, self.path, line or self.detect.line_of("kind"))

    def only_keys(self, allowed: Sequence[str], node: Any = None) -> None:
        node = self.detect if node is None else node
        for key in node:
            if key not in allowed:
                raise self.error(f"unknown key {key!r}{did_you_mean(key, allowed)}", node, key)

    def match(self, node: Any, key: str) -> MatchSpec:
        if key not in node:
            raise self.error(f"missing {key!r}", node)
        spec = node[key]
        try:
            return MatchSpec.parse(spec, key)
        except MatchSpecError as exc:
            # Point at the offending key inside the spec ("lemas:") when there is one.
            if exc.key and isinstance(spec, LocatedDict):
                raise self.error(f"{key}: {exc}", spec, exc.key) from None
            raise self.error(f"{key}: {exc}", node, key) from None

    def context(self, node: Any, request_default: bool | None = None) -> ContextSpec:
        spec = node.get("context")
        if spec is None:
            return ContextSpec(request=request_default)
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
        return ContextSpec(
            with_=self.match(spec, "with") if "with" in spec else None,
            without=self.match(spec, "without") if "without" in spec else None,
            request=request,
            without_applies_if=applies_if,
            line=spec.line_of("without_applies_if"),
        )

    def alternatives(self, request_default: bool | None = None) -> tuple[AlternativeSpec, ...]:
        """`match` (+ `context`) for one alternative, or `any:` a list of them."""
        detect = self.detect
        if ("any" in detect) == ("match" in detect):
            raise self.error("give either 'match' (with optional 'context') or 'any'", detect)
        if "match" in detect:
            return (
                AlternativeSpec(self.match(detect, "match"), self.context(detect, request_default)),
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
                AlternativeSpec(self.match(item, "match"), self.context(item, request_default))
            )
        return tuple(alternatives)

    def guards(self, default: Sequence[str]) -> frozenset[str]:
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


def _pattern(reader: _Reader, kind: str) -> PatternDetect:
    request = kind == "request"
    reader.only_keys(("kind", "match", "context", "any", "guards", "report"))
    return PatternDetect(
        kind=kind,
        alternatives=reader.alternatives(request_default=True if request else None),
        guards=reader.guards(PITFALL_GUARDS),
        report=reader.choice("report", REPORT_CHOICES, "sentence" if request else "match"),
    )


def _weighted(reader: _Reader, kind: str) -> WeightedDetect:
    reader.only_keys(("kind", "weights", "context", "guards"))
    if "threshold" not in reader.options:
        raise reader.error("a weighted rule needs options.threshold")
    items = reader.detect.get("weights")
    if not isinstance(items, list) or not items:
        raise reader.error("'weights' must be a non-empty list", reader.detect, "weights")
    weights = []
    for item in items:
        if not isinstance(item, LocatedDict):
            raise reader.error("each weight is a mapping with 'weight' and 'match'")
        reader.only_keys(("weight", "match"), item)
        weight = item.get("weight")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
            raise reader.error("'weight' must be a positive number", item, "weight")
        weights.append(WeightSpec(float(weight), reader.match(item, "match")))
    context = reader.context(reader.detect)
    return WeightedDetect(tuple(weights), context, reader.guards(PITFALL_GUARDS))


def _require(reader: _Reader, kind: str) -> RequireDetect:
    reader.only_keys(("kind", "element", "match", "context", "any", "guards"))
    element = reader.detect.get("element")
    if not isinstance(element, str) or not element:
        raise reader.error("'element' must name the required element", reader.detect)
    return RequireDetect(element, reader.alternatives(), reader.guards(REQUIRE_GUARDS))


def _metric(reader: _Reader, kind: str) -> MetricDetect:
    reader.only_keys(("kind", "metric"))
    metric = reader.choice("metric", METRICS, "")
    for option in METRIC_OPTIONS[metric]:
        if option not in reader.options:
            raise reader.error(f"metric {metric!r} needs options.{option}")
    return MetricDetect(metric)


def _provider(reader: _Reader, kind: str) -> ProviderDetect:
    reader.only_keys(("kind", "check", "guards"))
    check = reader.choice("check", PROVIDER_CHECKS, "")
    if "guards" in reader.detect and check not in PROVIDER_PROSE_CHECKS:
        raise reader.error(
            f"check {check!r} reads the pasted bounce and the fields; it takes no 'guards'",
            reader.detect,
            "guards",
        )
    default = PITFALL_GUARDS if check in PROVIDER_PROSE_CHECKS else ()
    return ProviderDetect(check, reader.guards(default))


# The closed set of detection kinds; the error for an unknown kind is built from this dict,
# so the list of choices cannot drift.
KINDS: dict[str, Callable[[_Reader, str], DetectSpec]] = {
    "pattern": _pattern,
    "request": _pattern,
    "weighted": _weighted,
    "require": _require,
    "metric": _metric,
    "provider": _provider,
}


def parse_detect(detect: Any, path: str, line: int, options: Mapping[str, Any]) -> DetectSpec:
    """A rule's `detect` mapping as its typed spec, or a RuleError at the offending line."""
    if not isinstance(detect, LocatedDict) or "kind" not in detect:
        raise RuleError("'detect' must be a mapping with a 'kind'", path, line)
    kind = detect["kind"]
    if kind not in KINDS:
        raise RuleError(
            f"detect.kind must be one of {', '.join(KINDS)}{did_you_mean(str(kind), KINDS)}",
            path,
            detect.line_of("kind"),
        )
    return KINDS[kind](_Reader(detect, path, options), kind)


def context_specs(detect: DetectSpec) -> Iterator[ContextSpec]:
    """Every sentence context of a spec."""
    if isinstance(detect, (PatternDetect, RequireDetect)):
        for alternative in detect.alternatives:
            yield alternative.context
    elif isinstance(detect, WeightedDetect):
        yield detect.context


Path = tuple[str | int, ...]  # attribute names and tuple indices into a spec


def match_specs(detect: DetectSpec) -> Iterator[tuple[Path, MatchSpec]]:
    """Every match spec of a spec (what is flagged, and the contexts), with its path."""
    yield from _match_specs(detect, ())


def _match_specs(node: Any, path: Path) -> Iterator[tuple[Path, MatchSpec]]:
    if isinstance(node, MatchSpec):
        yield path, node
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            yield from _match_specs(item, (*path, index))
    elif dataclasses.is_dataclass(node):
        for field in dataclasses.fields(node):
            yield from _match_specs(getattr(node, field.name), (*path, field.name))


def replace_at(node: Any, path: Path, change: Callable[[Any], Any]) -> Any:
    """A copy of a frozen spec with the part at `path` changed."""
    if not path:
        return change(node)
    head, rest = path[0], path[1:]
    if isinstance(node, tuple):
        assert isinstance(head, int)
        return (*node[:head], replace_at(node[head], rest, change), *node[head + 1 :])
    assert isinstance(head, str)
    return dataclasses.replace(node, **{head: replace_at(getattr(node, head), rest, change)})


def _strings(node: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = node.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise MatchSpecError(f"'{key}' must be a list of non-empty strings", key)
    return tuple(values)


def _plain(value: Any) -> Any:
    """YAML mappings as plain dicts (spaCy's Matcher wants its own types, not LocatedDict)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def spec_to_data(value: Any) -> Any:
    """A spec as JSON-able data that `spec_from_data` turns back into an equal spec: the
    cache keeps parsed rules so a cached run need not parse and check them again."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: spec_to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$spec": type(value).__name__, **data}
    if isinstance(value, tuple):
        return {"$tuple": [spec_to_data(item) for item in value]}
    if isinstance(value, frozenset):
        return {"$frozenset": sorted(value)}
    if isinstance(value, Mapping):
        return {key: spec_to_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [spec_to_data(item) for item in value]
    return value


def spec_from_data(data: Any) -> Any:
    if isinstance(data, dict):
        if "$spec" in data:
            cls: Any = globals()[data["$spec"]]  # a spec class of this module, by name
            assert isinstance(cls, type) and dataclasses.is_dataclass(cls)
            return cls(**{k: spec_from_data(v) for k, v in data.items() if k != "$spec"})
        if "$tuple" in data:
            return tuple(spec_from_data(item) for item in data["$tuple"])
        if "$frozenset" in data:
            return frozenset(data["$frozenset"])
        return {key: spec_from_data(item) for key, item in data.items()}
    if isinstance(data, list):
        return [spec_from_data(item) for item in data]
    return data
