"""Word classes and the guards' cue words are data (rules/lexicon): they load with one-line
errors, expand inside token patterns, and each guard class decides the outcome of one of its
own examples (emptying it changes what the linter reports)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from postmaster_lint import LintConfig, RuleError, guards, linter, requests
from postmaster_lint.document import Document
from postmaster_lint.lexicon import Lexicon, WordClass, load_lexicon, vader_lexicon
from postmaster_lint.linter import Linter
from postmaster_lint.rules import load_rules

from .conftest import REPO
from .test_rule_loading import GOOD_RULE, compile_pack, error_for, write_rule

GUARD_FILE = REPO / "rules" / "lexicon" / "guards.yaml"


def guard_classes() -> list[str]:
    return sorted(c.name for c in load_lexicon().classes.values() if c.path.endswith("guards.yaml"))


def pitfalls(lint: Linter, text: str) -> list[tuple[str, str]]:
    return [(d.rule, d.text) for d in lint.lint(Document.from_plain_text(text))]


@pytest.fixture
def emptied(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A function that returns a linter built with one word class emptied."""

    def build(name: str) -> Linter:
        lexicon = load_lexicon()
        kept = lexicon.classes[name]
        hollow = dataclasses.replace(
            kept, words=frozenset({"zzzz"}), phrases=("zzzz zzzz",), imported=frozenset()
        )
        patched = Lexicon({**lexicon.classes, name: hollow})
        for module in (guards, linter, requests):
            monkeypatch.setattr(module, "load_lexicon", lambda patched=patched: patched)
        guards.guard_words.cache_clear()
        requests._imperative_verbs.cache_clear()
        return Linter(load_rules(), LintConfig())

    yield build
    guards.guard_words.cache_clear()
    requests._imperative_verbs.cache_clear()


@pytest.mark.parametrize("name", guard_classes())
def test_every_guard_class_decides_one_of_its_examples(name: str, emptied) -> None:  # type: ignore[no-untyped-def]
    word_class = load_lexicon().classes[name]
    assert word_class.examples, f"{name} has no examples"
    normal = Linter(load_rules(), LintConfig())
    before = [pitfalls(normal, text) for text in word_class.examples]
    without = emptied(name)  # the guards read their words when linting: compare after
    after = [pitfalls(without, text) for text in word_class.examples]
    changed = [t for t, b, a in zip(word_class.examples, before, after, strict=True) if b != a]
    assert changed, f"emptying {name} changes nothing in its examples"


def test_vader_words_are_read_offline_from_the_package() -> None:
    lexicon = vader_lexicon()
    assert lexicon["useless"] < -1.5 and lexicon["trustworthy"] > 0
    judgement = load_lexicon().classes["negative-judgement"]
    assert "abhorrent" in judgement.imported
    # the trade's own neutral words are left out: "the block" is not a judgement
    assert not {"spam", "block", "complaint", "problem"} & judgement.all_words


def test_a_class_word_is_matched_by_its_lemma_or_as_written(tmp_path: Path) -> None:
    by_lemma = GOOD_RULE.replace(
        "lemmas: [abracadabra]",
        "tokens: [[{LOWER: your}, {CLASS: receiver-thing}, {LEMMA: be}, {CLASS: malfunction}]]",
    )
    lint = compile_pack(write_rule(tmp_path, by_lemma))
    assert pitfalls(lint, "Your portal is failing.") == [("XX101", "Your portal is failing")]
    as_written = GOOD_RULE.replace(
        "lemmas: [abracadabra]", "tokens: [[{LEMMA: be}, {CLASS: legitimacy}]]"
    )
    lint = compile_pack(write_rule(tmp_path, as_written))
    assert pitfalls(lint, "The server is clean.") == [("XX101", "is clean")]
    assert pitfalls(lint, "The server was cleaned.") == []  # `match: lower`: a step, not a claim


def test_gap_stays_inside_one_clause(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace(
        "lemmas: [abracadabra]", "tokens: [[{LOWER: portal}, {GAP: 4}, {LOWER: broken}]]"
    )
    lint = compile_pack(write_rule(tmp_path, rule))
    assert pitfalls(lint, "The portal is really broken.") == [("XX101", "portal is really broken")]
    assert pitfalls(lint, "The portal works, but our form was broken.") == []


def test_any_is_one_of_several_token_sequences(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace(
        "lemmas: [abracadabra]",
        "tokens: [[{ANY: [[{LOWER: your}, {LOWER: filter}], [{LOWER: spamhaus}]]}, {LEMMA: be}, {LOWER: wrong}]]",
    )
    lint = compile_pack(write_rule(tmp_path, rule))
    assert pitfalls(lint, "Your filter is wrong.") == [("XX101", "Your filter is wrong")]
    assert pitfalls(lint, "Spamhaus is wrong.") == [("XX101", "Spamhaus is wrong")]
    assert pitfalls(lint, "Our filter is wrong.") == []


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (
            "tokens: [[{CLASS: receiver-thingy}]]",
            "XX101.yaml:10: match: unknown word class 'receiver-thingy' (did you mean 'receiver-thing'?)",
        ),
        (
            "tokens: [[{GAP: 40}]]",
            "XX101.yaml:10: match: GAP takes a number of words from 1 to 12, alone",
        ),
        (
            "tokens: [[{ANY: [a]}]]",
            "XX101.yaml:10: match: ANY takes a list of token sequences, alone",
        ),
        (
            "tokens: [[{CLASS: legitimacy, LOWER: clean}]]",
            "XX101.yaml:10: match: with CLASS, LOWER may only take NOT_IN (words to leave out)",
        ),
    ],
)
def test_a_bad_class_or_gap_is_an_error_at_its_line(
    tmp_path: Path, match: str, expected: str
) -> None:
    assert error_for(tmp_path, GOOD_RULE.replace("lemmas: [abracadabra]", match)).endswith(expected)


def test_an_unknown_element_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace(
        "    lemmas: [abracadabra]\n",
        "    lemmas: [abracadabra]\n  context:\n    without: {lemmas: [later]}\n"
        "    without_applies_if: remediation-step\n",
    )
    write_rule(tmp_path, rule)
    with pytest.raises(RuleError) as info:
        load_rules([REPO / "rules", tmp_path])
    assert info.value.render().endswith(
        "XX101.yaml:13: without_applies_if names no required element: 'remediation-step' "
        "(did you mean 'remediation-steps'?)"
    )


def test_a_malformed_lexicon_file_names_file_and_line(tmp_path: Path) -> None:
    from postmaster_lint.lexicon import load_lexicon as load

    (tmp_path / "classes.yaml").write_text(
        "classes:\n  good:\n    about: ok\n    words: [a]\n  bad:\n    about: x\n    words: [two words]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as info:
        load.__wrapped__(tmp_path)
    assert info.value.render() == (
        f"{tmp_path / 'classes.yaml'}:7: bad: 'two words' has several words; put it under 'phrases'"
    )


def test_word_class_records_where_it_was_defined() -> None:
    word_class: WordClass = load_lexicon().classes["receiver-thing"]
    assert word_class.path.endswith("classes.yaml") and word_class.line > 1
