"""A rule's `detect` is parsed into frozen, typed specs when the rule loads: mistakes surface
from `load_rules` (no spaCy, no linter needed), at their line, and nothing downstream reads the
YAML."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from postmaster_lint import RuleError
from postmaster_lint.detect import (
    MatchSpec,
    MetricDetect,
    PatternDetect,
    ProviderDetect,
    RequireDetect,
    WeightedDetect,
    match_specs,
    replace_at,
)
from postmaster_lint.located import LocatedDict
from postmaster_lint.rules import load_rules

from .test_rule_loading import GOOD_RULE, write_rule


def load_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleError) as info:
        load_rules([write_rule(tmp_path, text)])
    return info.value.render()


def test_built_in_rules_load_as_typed_specs() -> None:
    rules = load_rules()
    kinds = {type(rule.detect) for rule in rules}
    assert kinds == {PatternDetect, WeightedDetect, RequireDetect, MetricDetect, ProviderDetect}
    assert {rule.element for rule in rules if rule.category == "required"} == {
        "smtp-code",
        "remediation-steps",
        "results",
        "reputation-data",
        "prevention-plan",
        "sending-identity",
    }
    assert all(rule.element is None for rule in rules if rule.category != "required")
    for rule in rules:
        for _, spec in match_specs(rule.detect):
            # token patterns are spaCy's own plain types, not the YAML's located mappings
            for pattern in spec.tokens:
                assert not any(isinstance(token, LocatedDict) for token in pattern), rule.id
            assert spec.line > 0, rule.id


def test_specs_are_frozen() -> None:
    detect = load_rules().resolve("PM104").detect
    assert isinstance(detect, PatternDetect)
    with pytest.raises(dataclasses.FrozenInstanceError):
        detect.report = "sentence"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        detect.alternatives[0].match.phrases = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("kind: pattern", "kind: weighted"),
            "XX101.yaml:9: unknown key 'match'",
        ),
        (
            ("  match:\n", "  guards: [quoted, negaton]\n  match:\n"),
            "XX101.yaml:9: unknown guard 'negaton' (did you mean 'negation'?)",
        ),
        (
            ("  match:\n", "  report: sentnce\n  match:\n"),
            "XX101.yaml:9: report must be one of match, sentence (did you mean 'sentence'?)",
        ),
        (
            ("lemmas: [abracadabra]", "lemmas: [abracadabra]\n  context: {without_applies_if: x}"),
            "XX101.yaml:11: 'without_applies_if' names a required element and needs 'without'",
        ),
    ],
)
def test_spec_mistakes_are_found_when_rules_load(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    message = load_error(tmp_path, GOOD_RULE.replace(*change))
    assert message.endswith(expected), message


def test_a_weighted_rule_without_its_threshold_fails_at_load(tmp_path: Path) -> None:
    weighted = GOOD_RULE.replace(
        "  kind: pattern\n  match:\n    lemmas: [abracadabra]\n",
        "  kind: weighted\n  weights:\n    - weight: 1\n      match: {lemmas: [abracadabra]}\n",
    )
    assert load_error(tmp_path, weighted).endswith(
        "XX101.yaml:8: a weighted rule needs options.threshold"
    )


def test_replace_at_changes_one_pattern_and_leaves_the_original() -> None:
    rule = load_rules().resolve("PM104")
    (path, spec), *_ = match_specs(rule.detect)
    key, index, value = next(spec.entries())
    changed = replace_at(rule.detect, path, lambda s: s.without(key, index))
    (_, changed_spec), *_ = match_specs(changed)
    assert value not in getattr(changed_spec, key)
    assert value in getattr(spec, key)  # the loaded rule is untouched
    assert MatchSpec().with_entry(key, value).entries().__next__() == (key, 0, value)
