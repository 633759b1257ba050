"""Which of a rule's patterns match which texts: for `check-rules --strict` and the tests that
prove every pattern earns its place.

A rule's *patterns* are the pieces a rule author writes: each token pattern, each regex, each
entry of a `phrases` or `lemmas` list, wherever they stand in `detect` (an `any` alternative, a
weight, a context). Each is compiled on its own, so a text can be asked which of them match
it, before guards and sentence contexts decide whether the rule reports anything.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .config import LintConfig
from .document import Document
from .errors import UserError
from .lexicon import load_lexicon
from .nlp import pipeline, unwrap
from .patterns import MATCH_KEYS, PatternBank
from .rules import Rule, RuleSet


@dataclass(frozen=True)
class PatternRef:
    """One written pattern: where it is in the rule's `detect` and what it says."""

    rule: str
    where: str  # e.g. "any[2].match.tokens[0]"
    path: tuple[str | int, ...]  # the same, as keys and indices into `detect`
    key: str  # phrases, lemmas, tokens or regex
    value: Any
    in_context: bool  # part of a sentence context (`with`/`without`), not of what is flagged

    def describe(self) -> str:
        shown = self.value if isinstance(self.value, str) else repr(self.value)
        return f"{self.rule} {self.where}: {shown[:90]}"


def written_patterns(rule: Rule) -> list[PatternRef]:
    return list(_walk(rule.id, rule.detect, (), False))


def _where(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _walk(
    rule: str, node: Any, path: tuple[str | int, ...], in_context: bool
) -> Iterator[PatternRef]:
    if isinstance(node, Mapping):
        if any(key in node for key in MATCH_KEYS) and not {"kind", "match"} & set(node):
            for key in MATCH_KEYS:
                for index, value in enumerate(node.get(key) or []):
                    at = (*path, key, index)
                    yield PatternRef(rule, _where(at), at, key, value, in_context)
            return
        for key, value in node.items():
            context = in_context or key in ("with", "without")
            yield from _walk(rule, value, (*path, key), context)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(rule, value, (*path, index), in_context)


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
        return [self.refs[index] for index in self.matching_indices(text)]

    def matching_indices(self, text: str) -> list[int]:
        matches = self._bank.run(self._nlp(unwrap(text)))
        return [index for index, handle in enumerate(self._handles) if matches.spans(handle)]


@dataclass(frozen=True)
class CoverageGap:
    ref: PatternRef
    problem: str

    def render(self) -> str:
        return f"{self.ref.describe()}: {self.problem}"


def positive_examples(rule: Rule) -> list[str]:
    """The examples a rule's patterns must match: the bad ones for a pitfall (what it flags),
    the good ones for a required element (the drafts that carry it)."""
    chosen = rule.good_examples if rule.category == "required" else rule.bad_examples
    return [example.text for example in chosen]


def coverage_gaps(rules: Sequence[Rule]) -> list[CoverageGap]:
    """Every pattern must match one of its rule's examples, and one that no other pattern of
    the rule matches: then deleting the pattern fails that example. Context patterns (`with`,
    `without`) decide about a match rather than make one, and are not counted."""
    probe = PatternProbe(rules)
    gaps: list[CoverageGap] = []
    for rule in rules:
        mine = [i for i, ref in enumerate(probe.refs) if ref.rule == rule.id and not ref.in_context]
        if not mine:
            continue
        hits = [
            {i for i in probe.matching_indices(text) if i in mine}
            for text in positive_examples(rule)
        ]
        for index in mine:
            matched = [found for found in hits if index in found]
            if not matched:
                gaps.append(CoverageGap(probe.refs[index], "matches none of its rule's examples"))
            elif not any(len(found) == 1 for found in matched) and not _deletion_fails(
                rule, probe.refs[index]
            ):
                gaps.append(CoverageGap(probe.refs[index], "no example that only it catches"))
    return gaps


def _deletion_fails(rule: Rule, ref: PatternRef) -> bool:
    """Where other patterns also match a pattern's examples, delete it for real: does one of
    the rule's examples then come out wrong? (A weight-2 "deeply sorry" always also matches
    the weight-1 "sorry"; a phrase that fires in any sentence overlaps a request-only regex.)"""
    from .linter import Linter  # spaCy-heavy; only --strict gets here

    detect = copy.deepcopy(dict(rule.detect))
    node: Any = detect
    for step in ref.path[:-1]:
        node = node[step]
    del node[ref.path[-1]]
    if not node:  # the list is now empty: drop its key too
        parent: Any = detect
        for step in ref.path[:-2]:
            parent = parent[step]
        del parent[ref.path[-2]]
    try:
        mutant = Linter(RuleSet((dataclasses.replace(rule, detect=detect),)), LintConfig())
    except UserError:
        return True  # the rule cannot stand without it
    for example in rule.bad_examples:
        if not mutant.lint(Document.from_plain_text(example.text)):
            return True
    return any(mutant.lint(Document.from_plain_text(e.text)) for e in rule.good_examples)
