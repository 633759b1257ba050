"""Which of a rule's patterns match which texts: for `check-rules --strict` and the tests that
prove every pattern earns its place.

A rule's *patterns* are the pieces a rule author writes: each token pattern, each regex, each
entry of a `phrases` or `lemmas` list, wherever they stand in `detect` (an `any` alternative, a
weight, a context). Each is compiled on its own, so a text can be asked which of them match
it, before guards and sentence contexts decide whether the rule reports anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .lexicon import load_lexicon
from .nlp import pipeline, unwrap
from .patterns import MATCH_KEYS, PatternBank
from .rules import Rule


@dataclass(frozen=True)
class PatternRef:
    """One written pattern: where it is in the rule's `detect` and what it says."""

    rule: str
    where: str  # e.g. "any[2].match.tokens[0]"
    key: str  # phrases, lemmas, tokens or regex
    value: Any
    in_context: bool  # part of a sentence context (`with`/`without`), not of what is flagged

    def describe(self) -> str:
        shown = self.value if isinstance(self.value, str) else repr(self.value)
        return f"{self.rule} {self.where}: {shown[:90]}"


def written_patterns(rule: Rule) -> list[PatternRef]:
    return list(_walk(rule.id, rule.detect, "", False))


def _walk(rule: str, node: Any, where: str, in_context: bool) -> Iterator[PatternRef]:
    if isinstance(node, Mapping):
        if any(key in node for key in MATCH_KEYS) and not {"kind", "match"} & set(node):
            for key in MATCH_KEYS:
                for index, value in enumerate(node.get(key) or []):
                    yield PatternRef(rule, f"{where}.{key}[{index}]", key, value, in_context)
            return
        for key, value in node.items():
            context = in_context or key in ("with", "without")
            yield from _walk(rule, value, f"{where}.{key}" if where else key, context)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(rule, value, f"{where}[{index}]", in_context)


class PatternProbe:
    """Compiles each written pattern of some rules separately and tells which match a text."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._nlp = pipeline()
        self._bank = PatternBank(self._nlp, load_lexicon())
        self.refs: list[PatternRef] = []
        self._handles: list[int] = []
        for rule in rules:
            for ref in written_patterns(rule):
                key = ref.key
                spec = {key: [ref.value]}
                self._handles.append(self._bank.add(spec))
                self.refs.append(ref)

    def matching(self, text: str) -> list[PatternRef]:
        doc = self._nlp(unwrap(text))
        matches = self._bank.run(doc)
        return [
            ref
            for ref, handle in zip(self.refs, self._handles, strict=True)
            if matches.spans(handle)
        ]
