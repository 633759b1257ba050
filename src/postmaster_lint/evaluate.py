"""Measure the rules against a labeled corpus: per-rule precision and recall.

`corpora/labels.yaml` maps each draft to the rules that must fire on it; every rule not listed
must stay silent. A pitfall lists the text each finding must cover (matched when the label and
the flagged text contain one another); `true` means "fires, anywhere" (used for required
elements and style). See corpora/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api import lint_with
from .diagnostics import Diagnostic
from .document import Document
from .errors import UserError, did_you_mean
from .inputs import read_draft
from .linter import Linter
from .located import LocatedDict
from .readers import read_document
from .yamlsafe import read_yaml_file

LABELS_FILE = "labels.yaml"
DRAFTS_DIR = "drafts"


class CorpusError(UserError):
    """The labels file is malformed or names something that does not exist."""


@dataclass(frozen=True)
class Label:
    """What one rule must do on one draft: fire covering each text, or fire anywhere."""

    rule: str
    texts: tuple[str, ...] = ()  # empty: the rule must fire, anywhere


@dataclass(frozen=True)
class LabeledDraft:
    path: Path
    labels: tuple[Label, ...]


@dataclass
class RuleScore:
    rule: str
    found_correct: int = 0  # findings that match a label
    found_wrong: int = 0  # findings no label asked for
    expected_found: int = 0  # labels a finding matched
    expected_missed: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        found = self.found_correct + self.found_wrong
        return self.found_correct / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.expected_found + self.expected_missed
        return self.expected_found / expected if expected else None


def load_corpus(root: Path, known_rules: Iterable[str]) -> list[LabeledDraft]:
    labels_path = root / LABELS_FILE
    data = read_yaml_file(labels_path, CorpusError)
    if not isinstance(data, LocatedDict) or not isinstance(data.get("drafts"), LocatedDict):
        raise CorpusError("expected a mapping with a 'drafts' mapping", str(labels_path), 1)
    known = set(known_rules)
    drafts = []
    for name, spec in data["drafts"].items():
        line = data["drafts"].line_of(name)
        path = root / DRAFTS_DIR / name
        if not path.is_file():
            raise CorpusError(f"labelled draft {name!r} does not exist", str(labels_path), line)
        spec = spec or {}
        if not isinstance(spec, dict):
            raise CorpusError(f"{name}: expected a mapping of rule ids", str(labels_path), line)
        labels = []
        for rule, value in spec.items():
            if rule not in known:
                hint = did_you_mean(rule, known)
                raise CorpusError(f"{name}: unknown rule {rule!r}{hint}", str(labels_path), line)
            labels.append(Label(rule, _texts(value, name, rule, str(labels_path), line)))
        drafts.append(LabeledDraft(path, tuple(labels)))
    unlabelled = sorted(
        p.name
        for p in (root / DRAFTS_DIR).iterdir()
        if p.is_file() and p.name not in data["drafts"]
    )
    if unlabelled:
        raise CorpusError(f"drafts without labels: {', '.join(unlabelled)}", str(labels_path))
    return drafts


def _texts(value: Any, name: str, rule: str, path: str, line: int) -> tuple[str, ...]:
    if value is True:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise CorpusError(f"{name}: {rule} must be true or a list of texts", path, line)


def score(linter: Linter, drafts: Sequence[LabeledDraft]) -> dict[str, RuleScore]:
    scores = {active.rule.id: RuleScore(active.rule.id) for active in linter.active}
    for draft in drafts:
        text = read_draft(str(draft.path)).text
        document = read_document(text, str(draft.path))
        found = lint_with(linter, document)
        labels = {label.rule: label for label in draft.labels}
        for rule_id, rule_score in scores.items():
            _score_rule(
                rule_score,
                labels.get(rule_id),
                [d for d in found if d.rule == rule_id],
                draft.path.name,
            )
    return scores


def _score_rule(
    rule_score: RuleScore, label: Label | None, found: list[Diagnostic], draft: str
) -> None:
    if label is None:
        rule_score.found_wrong += len(found)
        rule_score.misses.extend(f"{draft}: unexpected {d.text!r}" for d in found)
        return
    if not label.texts:
        rule_score.found_correct += len(found)
        if found:
            rule_score.expected_found += 1
        else:
            rule_score.expected_missed += 1
            rule_score.misses.append(f"{draft}: did not fire")
        return
    for d in found:
        if any(_covers(d.text, text) for text in label.texts):
            rule_score.found_correct += 1
        else:
            rule_score.found_wrong += 1
            rule_score.misses.append(f"{draft}: unexpected {d.text!r}")
    for text in label.texts:
        if any(_covers(d.text, text) for d in found):
            rule_score.expected_found += 1
        else:
            rule_score.expected_missed += 1
            rule_score.misses.append(f"{draft}: missed {text!r}")


def _covers(flagged: str, label: str) -> bool:
    a, b = " ".join(flagged.lower().split()), " ".join(label.lower().split())
    return a in b or b in a


def render_scores(scores: dict[str, RuleScore], names: dict[str, str]) -> str:
    rows = [f"{'rule':<6} {'name':<27} {'prec':>5} {'recall':>6} {'TP':>4} {'FP':>4} {'FN':>4}"]
    for rule_id, s in sorted(scores.items()):
        rows.append(
            f"{rule_id:<6} {names.get(rule_id, ''):<27} {_pct(s.precision):>5} {_pct(s.recall):>6} "
            f"{s.expected_found:>4} {s.found_wrong:>4} {s.expected_missed:>4}"
        )
    return "\n".join(rows) + "\n"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class LabeledSentence:
    """One sentence and the pitfall rules that must fire on it alone (none: a look-alike)."""

    text: str
    expect: frozenset[str]
    line: int


def is_sentence_set(path: Path) -> bool:
    return path.is_file() and path.suffix in (".yaml", ".yml")


def load_sentences(path: Path, known_rules: Iterable[str]) -> list[LabeledSentence]:
    data = read_yaml_file(path, CorpusError)
    items = data.get("sentences") if isinstance(data, LocatedDict) else None
    if not isinstance(items, list) or not items:
        raise CorpusError("expected a mapping with a non-empty 'sentences' list", str(path), 1)
    known = set(known_rules)
    sentences = []
    for item in items:
        line = item.line if isinstance(item, LocatedDict) else 1
        text = item.get("text") if isinstance(item, LocatedDict) else None
        expect = item.get("expect", []) if isinstance(item, LocatedDict) else None
        if not isinstance(text, str) or not isinstance(expect, list):
            raise CorpusError("each sentence has 'text' and an 'expect' list", str(path), line)
        for rule in expect:
            if rule not in known:
                hint = did_you_mean(str(rule), known)
                raise CorpusError(f"unknown rule {rule!r}{hint}", str(path), line)
        sentences.append(LabeledSentence(text, frozenset(expect), line))
    return sentences


def score_sentences(
    linter: Linter, sentences: Sequence[LabeledSentence], category: str = "pitfall"
) -> dict[str, RuleScore]:
    """Sentence-level scores for the rules of one category: a rule that must fire and does is
    a true positive; one that fires where it must not, a false positive."""
    scores = {
        active.rule.id: RuleScore(active.rule.id)
        for active in linter.active
        if active.rule.category == category
    }
    for sentence in sentences:
        fired = {d.rule for d in lint_with(linter, Document.from_plain_text(sentence.text))}
        for rule_id, rule_score in scores.items():
            expected, found = rule_id in sentence.expect, rule_id in fired
            if expected and found:
                rule_score.expected_found += 1
                rule_score.found_correct += 1
            elif expected:
                rule_score.expected_missed += 1
                rule_score.misses.append(f"line {sentence.line}: missed {sentence.text!r}")
            elif found:
                rule_score.found_wrong += 1
                rule_score.misses.append(f"line {sentence.line}: unexpected {sentence.text!r}")
    return scores
