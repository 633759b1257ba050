"""The trained sentence classifier: shipped in the package, scored without a spaCy Doc per
sentence (the same scores as spaCy's pipe), used by a rule's `classify` alternative with the
finding at the sentence, validated on load, part of the cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmaster_lint import LintConfig, RuleError, cache, classifier
from postmaster_lint.document import Document
from postmaster_lint.linter import Linter
from postmaster_lint.nlp import pipeline
from postmaster_lint.rules import load_rules

RULE = """\
id: XX101
name: custom-rule
category: pitfall
severity: warning
message: Claims innocence.
rationale: Because.
detect:
  kind: pattern
  any:
    - match:
        lemmas: [abracadabra]
    - {classify}
examples:
  bad: ["Abracadabra, please."]
  good: [Hello.]
"""


def _pack(tmp_path: Path, classify: str) -> Path:
    (tmp_path / "XX101.yaml").write_text(RULE.replace("{classify}", classify), encoding="utf-8")
    return tmp_path


def test_the_model_ships_inside_the_package_and_is_small() -> None:
    assert classifier.MODEL_DIR.is_relative_to(Path(classifier.__file__).parent)
    size = sum(p.stat().st_size for p in classifier.MODEL_DIR.rglob("*") if p.is_file())
    assert size < 5_000_000
    assert set(classifier.labels()) >= {"PM108"}


def test_direct_scores_equal_spacys_pipe() -> None:
    text = (
        "We are a legitimate business. Your filter is broken!!! Why are we blocked? "
        "Our IP 192.0.2.10 sends mail for example.com. REMOVE US NOW. Hello."
    )
    sentences = list(pipeline()(text).sents)
    fast, slow = classifier.score_all(sentences), classifier.pipe_scores(sentences)
    assert len(fast) == len(slow) == len(sentences)
    for a, b in zip(fast, slow, strict=True):
        assert a.keys() == b.keys()
        assert all(abs(a[k] - b[k]) < 1e-5 for k in a)
    assert classifier.score_all([]) == []


def test_a_classify_alternative_reports_the_sentence(tmp_path: Path) -> None:
    linter = Linter(
        load_rules([_pack(tmp_path, "classify: {label: PM108, threshold: 0.7}")]), LintConfig()
    )
    text = "Hello.\n\nWe have an impeccable sending record. Please delist 192.0.2.10.\n"
    found = linter.lint(Document.from_plain_text(text))
    assert [(d.rule, d.text, d.message) for d in found] == [
        ("XX101", "We have an impeccable sending record.", "Claims innocence.")
    ]
    # quoted material is not the sender's words; nor is a conditional opening
    quoted = "> We have an impeccable sending record.\n\nPlease delist 192.0.2.10.\n"
    assert linter.lint(Document.from_plain_text(quoted)) == []
    hypothetical = "If we had an impeccable sending record, we would not be listed.\n"
    assert linter.lint(Document.from_plain_text(hypothetical)) == []


@pytest.mark.parametrize(
    ("classify", "expected"),
    [
        (
            "classify: {label: PM999, threshold: 0.7}",
            r"XX101.yaml:\d+: classify: the model has no label 'PM999'",
        ),
        (
            "classify: {label: PM108, threshold: 1.5}",
            r"XX101.yaml:\d+: classify: 'threshold' must be a number",
        ),
        ("classify: {label: PM108}", r"XX101.yaml:\d+: classify: missing 'threshold'"),
        (
            "classify: {label: PM108, threshold: 0.7, extra: 1}",
            r"XX101.yaml:\d+: unknown key 'extra'",
        ),
        ("classify: PM108", r"XX101.yaml:\d+: 'classify' must be a mapping"),
        (
            "classify: {label: PM108, threshold: 0.7}\n      match: {lemmas: [x]}",
            r"XX101.yaml:\d+: each item of 'any' gives either 'match' or 'classify'",
        ),
    ],
)
def test_a_malformed_classify_names_file_and_line(
    tmp_path: Path, classify: str, expected: str
) -> None:
    with pytest.raises(RuleError, match=expected):
        Linter(load_rules([_pack(tmp_path, classify)]), LintConfig())


def test_the_cache_key_includes_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.rules_fingerprint(())
    cache._fingerprint.cache_clear()
    monkeypatch.setattr(classifier, "fingerprint", lambda: "another model")
    assert cache.rules_fingerprint(()) != before
    cache._fingerprint.cache_clear()


def test_training_leaves_the_sentence_set_out() -> None:
    """The training data never includes corpora/sentences.yaml (an evaluation set)."""
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "scripts" / "train_classifier.py"
    spec = importlib.util.spec_from_file_location("train_classifier", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    training = {" ".join(tokens) for _, tokens, _ in module.dataset()}
    import yaml

    sentences = yaml.safe_load(
        (script.parents[1] / "corpora" / "sentences.yaml").read_text(encoding="utf-8")
    )["sentences"]
    nlp = pipeline()
    held_out = {" ".join(classifier.words(nlp(s["text"]))) for s in sentences}
    assert not training & held_out


def test_a_sentence_a_pattern_flags_is_not_flagged_again(tmp_path: Path) -> None:
    linter = Linter(
        load_rules([_pack(tmp_path, "classify: {label: PM108, threshold: 0.01}")]), LintConfig()
    )
    found = linter.lint(Document.from_plain_text("Abracadabra, we are a legitimate business.\n"))
    assert [d.text for d in found] == ["Abracadabra"]
