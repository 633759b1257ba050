"""The pipeline's sentences and lemmas, which every pattern and guard reads."""

from __future__ import annotations

import pytest

from postmaster_lint.nlp import pipeline
from postmaster_lint.patterns import sentence_index


def sentences(text: str) -> list[str]:
    return [sentence.text.strip() for sentence in pipeline()(text).sents if sentence.text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a blank line ends a sentence, even with no full stop
        ("Steps taken\n\nwe removed old addresses", ["Steps taken", "we removed old addresses"]),
        # list bullets and numbered items each start one
        (
            "Done:\n- removed old lists\n- added double opt-in",
            ["Done:", "-", "removed old lists", "-", "added double opt-in"],
        ),
        (
            "We did this\n1. removed lists\n2. added opt-in",
            ["We did this", "1", ".", "removed lists", "2", ".", "added opt-in"],
        ),
        # a capitalised line start, or a line after punctuation, starts one
        ("Our IP is 192.0.2.1\nBounce rate fell", ["Our IP is 192.0.2.1", "Bounce rate fell"]),
        ("Thanks,\nsam", ["Thanks,", "sam"]),
        # a hard-wrapped line that continues the sentence does not
        ("We will clean our list\nand stop sending", ["We will clean our list\nand stop sending"]),
    ],
)
def test_line_structure_ends_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_lemmas_cover_contractions_and_typographic_apostrophes() -> None:
    doc = pipeline()("We can't and don’t; it does; we’re sending emails")
    lemmas = [token.lemma_ for token in doc]
    assert lemmas == [
        "we",
        "can",
        "not",
        "and",
        "do",
        "not",
        ";",
        "it",
        "do",
        ";",
        "we",
        "be",
        "send",
        "email",
    ]


@pytest.mark.parametrize(
    "text",
    ["", "One.", "Steps taken\n\n- removed lists\n- added opt-in. Bounces fell!", "  \n\nHi"],
)
def test_sentence_index_is_spacys_sentences(text: str) -> None:
    doc = pipeline()(text)
    sentences, token_sentence = sentence_index(doc)
    assert [(s.start, s.end) for s in sentences] == [(s.start, s.end) for s in doc.sents]
    assert token_sentence == [
        next(i for i, s in enumerate(doc.sents) if s.start <= token.i < s.end) for token in doc
    ]
