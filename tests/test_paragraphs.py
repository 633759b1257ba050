"""Reusing unchanged paragraphs (the language server's path) gives exactly what a whole-text
parse gives: the same document and the same findings, on every draft the project has."""

from __future__ import annotations

import pytest

from postmaster_lint import LintConfig
from postmaster_lint.document import Document
from postmaster_lint.linter import Linter
from postmaster_lint.nlp import pipeline, unwrap
from postmaster_lint.paragraphs import ParagraphCache, split_paragraphs
from postmaster_lint.rules import load_rules

from .conftest import draft_documents, draft_paths, example_documents

DRAFTS = draft_paths("corpora/drafts", "corpora/replies/drafts", "examples")


@pytest.fixture(scope="module")
def linters() -> tuple[Linter, Linter]:
    rules = load_rules()
    return Linter(rules, LintConfig()), Linter(rules, LintConfig(), reuse_paragraphs=True)


def documents() -> list[Document]:
    return [*draft_documents(DRAFTS), *example_documents()]


def test_the_corpus_is_there() -> None:
    assert len(DRAFTS) > 250


def test_reused_paragraphs_give_the_same_findings_and_evidence(
    linters: tuple[Linter, Linter],
) -> None:
    whole, reusing = linters
    different = []
    for document in documents():
        if whole.run(document) != reusing.run(document):
            different.append(document.path)
    assert not different


def test_the_joined_document_is_the_whole_text_parse() -> None:
    nlp = pipeline()
    cache = ParagraphCache(nlp, Linter(load_rules(), LintConfig())._bank)
    for document in documents():
        text = unwrap(document.text)
        joined, whole = cache.parse(text).doc, nlp(text)
        assert joined.text == whole.text
        assert [(t.text_with_ws, t.lemma_, t.is_sent_start) for t in joined] == [
            (t.text_with_ws, t.lemma_, t.is_sent_start) for t in whole
        ], document.path


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("One.\n\nTwo.\n", ["One.\n\n", "Two.\n"]),
        ("One.\n  \n\n  Two.", ["One.\n  \n\n  ", "Two."]),
        ("One line\nnext line", ["One line\nnext line"]),
        ("", [""]),
        ("\n\nLeading blank lines", ["\n\n", "Leading blank lines"]),
    ],
)
def test_split_paragraphs(text: str, pieces: list[str]) -> None:
    assert split_paragraphs(text) == pieces
    assert "".join(pieces) == text


def test_an_edit_parses_only_the_paragraph_it_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    linter = Linter(load_rules(), LintConfig(), reuse_paragraphs=True)
    draft = "Hello team.\n\nWe are CAN-SPAM compliant.\n\nPlease whitelist our IP.\n"
    linter.lint(Document.from_plain_text(draft))
    parsed: list[str] = []
    nlp = linter._nlp
    monkeypatch.setattr(linter, "_nlp", lambda text: parsed.append(text) or nlp(text))
    monkeypatch.setattr(linter._paragraphs, "_nlp", linter._nlp)
    edited = draft.replace("Please whitelist", "Kindly whitelist")
    found = linter.lint(Document.from_plain_text(edited))
    assert parsed == ["Kindly whitelist our IP.\n"]
    assert {d.rule for d in found} >= {"PM101", "PM104"}
    assert [d.line for d in found if d.rule == "PM104"] == [5]
