"""The labeled corpus gate: every rule keeps precision and recall of at least 0.9, on corpora/
and on corpora/replies/ (replies under the provider's quoted answer, in every client's layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from postmaster_lint import LintConfig, lint_text
from postmaster_lint.api import get_linter
from postmaster_lint.evaluate import RuleScore, load_corpus, score
from postmaster_lint.inputs import read_draft
from postmaster_lint.readers import read_document
from postmaster_lint.replyheaders import find_reply_headers

from .conftest import REPO

CORPUS = REPO / "corpora"
REPLIES = CORPUS / "replies"
PROVIDERS = CORPUS / "providers"
THRESHOLD = 0.9
RULE_IDS = sorted(r.id for r in get_linter().rules)
PROVIDER_RULES = sorted(r.id for r in get_linter().rules if r.category == "provider")


def _scores(root: Path, at_least: int) -> dict[str, RuleScore]:
    linter = get_linter()
    drafts = load_corpus(root, [r.id for r in linter.rules])
    assert len(drafts) >= at_least
    return score(linter, drafts)


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    return _scores(CORPUS, 190)


@pytest.fixture(scope="module")
def reply_scores():  # type: ignore[no-untyped-def]
    return _scores(REPLIES, 60)


@pytest.fixture(scope="module")
def provider_scores():  # type: ignore[no-untyped-def]
    return _scores(PROVIDERS, 20)


def test_every_rule_is_exercised(scores, provider_scores) -> None:  # type: ignore[no-untyped-def]
    for rule_id, s in scores.items():
        if rule_id in PROVIDER_RULES:
            s = provider_scores[rule_id]  # the provider rules have their own corpus
        assert s.expected_found + s.expected_missed > 0, f"no draft expects {rule_id}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_meets_the_gate(scores, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    """Every rule keeps its precision on the main corpus; the provider rules, which few of
    its drafts call for, need not be exercised there."""
    s = scores[rule_id]
    detail = "\n".join(s.misses)
    assert s.precision is None or s.precision >= THRESHOLD, f"{rule_id} precision\n{detail}"
    if rule_id not in PROVIDER_RULES or s.recall is not None:
        assert s.recall is not None and s.recall >= THRESHOLD, f"{rule_id} recall\n{detail}"


@pytest.mark.parametrize("rule_id", PROVIDER_RULES)
def test_provider_rule_meets_the_gate_on_provider_drafts(provider_scores, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    s = provider_scores[rule_id]
    detail = "\n".join(s.misses)
    assert s.precision is not None and s.precision >= THRESHOLD, f"{rule_id} precision\n{detail}"
    assert s.recall is not None and s.recall >= THRESHOLD, f"{rule_id} recall\n{detail}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_meets_the_gate_on_replies(reply_scores, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    s = reply_scores[rule_id]
    detail = "\n".join(s.misses)
    assert s.precision is None or s.precision >= THRESHOLD, f"{rule_id} precision\n{detail}"
    assert s.recall is None or s.recall >= THRESHOLD, f"{rule_id} recall\n{detail}"


def test_every_pitfall_is_exercised_on_replies(reply_scores) -> None:  # type: ignore[no-untyped-def]
    for rule_id in (r for r in RULE_IDS if r.startswith("PM1")):
        assert reply_scores[rule_id].expected_found > 0, f"no reply draft expects {rule_id}"


def test_eval_command_prints_the_table(run_cli) -> None:
    result = run_cli("eval", str(CORPUS))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1].split() == ["rule", "name", "prec", "recall", "TP", "FP", "FN"]
    assert len(lines) == 2 + 23


# --- corpora/replies: where the quoted answer is, and that it would fire ----------------------

LAYOUTS: dict[str, Any] = yaml.safe_load((REPLIES / "layouts.yaml").read_text("utf-8"))["drafts"]
LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "ja"}
CLIENTS = {"gmail", "gmail-inline", "outlook", "outlook-web", "apple", "thunderbird", "android"}


def quoted_blocks(name: str) -> tuple[str, list[tuple[int, int]]]:
    """The draft's source and the source ranges of its quoted blocks (layouts.yaml)."""
    source = read_draft(str(REPLIES / "drafts" / name)).text
    blocks = []
    for first, last in LAYOUTS[name]["quoted"]:
        start = source.index(first)
        end = len(source) if last is None else source.index(last, start) + len(last)
        blocks.append((start, end))
    return source, blocks


def test_every_draft_has_a_layout_and_every_language_every_client() -> None:
    assert set(LAYOUTS) == {p.name for p in (REPLIES / "drafts").iterdir()}
    for language in LANGUAGES:
        layouts = {v["layout"] for v in LAYOUTS.values() if v["language"] == language}
        assert layouts >= CLIENTS | {"forward-gmail"} or layouts >= CLIENTS | {"forward-apple"}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_nothing_fires_in_the_quoted_answer(name: str) -> None:
    source, blocks = quoted_blocks(name)
    for d in lint_text(source, path=name):
        assert not any(s < d.end and d.start < e for s, e in blocks), (d.rule, d.text)


ANSWER_RULES = LintConfig.create(select=["PM103", "PM104", "PM107"])


@pytest.mark.parametrize("name", sorted(n for n, v in LAYOUTS.items() if v["answer"] == "en"))
def test_the_quoted_answer_would_fire_if_the_sender_wrote_it(name: str) -> None:
    source, blocks = quoted_blocks(name)
    document = read_document(source, name)
    offsets = [document.source_offset(i) for i in range(len(document.text))]
    rules: set[str] = set()
    for start, end in blocks:
        text = "".join(
            ch for ch, at in zip(document.text, offsets, strict=True) if start <= at < end
        )
        answer = without_headers("\n".join(line.lstrip("> ") for line in text.splitlines()))
        rules.update(d.rule for d in lint_text(answer, ANSWER_RULES))
    assert rules, name


def without_headers(text: str) -> str:
    """The answer without its reply or forward header (which would quote it again)."""
    for header in list(find_reply_headers(text)):
        blank = "".join(ch if ch == "\n" else " " for ch in text[header.start : header.end])
        text = text[: header.start] + blank + text[header.end :]
    return text


SENTENCES = CORPUS / "sentences.yaml"
# Each sentence is one hard case on its own (44% look like a pitfall and are not), so the gate is
# lower than the drafts': it catches a rule that stops generalizing, not every miss.
SENTENCE_PRECISION = 0.85
SENTENCE_RECALL = 0.75


@pytest.fixture(scope="module")
def sentence_scores():  # type: ignore[no-untyped-def]
    from postmaster_lint.evaluate import load_sentences, score_sentences

    linter = get_linter()
    sentences = load_sentences(SENTENCES, [r.id for r in linter.rules])
    assert len(sentences) >= 500
    negatives = [s for s in sentences if not s.expect]
    assert len(negatives) >= 0.4 * len(sentences)
    return score_sentences(linter, sentences)


@pytest.mark.parametrize(
    "rule_id", sorted(r.id for r in get_linter().rules if r.category == "pitfall")
)
def test_pitfall_meets_the_sentence_gate(sentence_scores, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    s = sentence_scores[rule_id]
    detail = "\n".join(s.misses)
    assert s.precision is not None and s.precision >= SENTENCE_PRECISION, f"{rule_id}\n{detail}"
    assert s.recall is not None and s.recall >= SENTENCE_RECALL, f"{rule_id}\n{detail}"


def test_eval_scores_a_sentence_set(run_cli) -> None:
    result = run_cli("eval", str(SENTENCES), "--min-precision", "0", "--min-recall", "0")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "570 sentences"
    assert [line.split()[0] for line in lines[2:]] == [f"PM10{i}" for i in range(1, 10)]
