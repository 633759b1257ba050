"""The pre-filter changes how fast a draft is linted, never what is found: for every rule
example and every draft the project has, the pre-filtered path gives exactly what running every
pattern over the whole text gives (the same matches, findings and evidence, and byte-identical
JSON output)."""

from __future__ import annotations

import pytest

from postmaster_lint import LintConfig
from postmaster_lint.api import check_with
from postmaster_lint.document import Document
from postmaster_lint.linter import Linter
from postmaster_lint.nlp import pipeline, unwrap
from postmaster_lint.output import render
from postmaster_lint.patterns import (
    _bit_runs,
    _Present,
    pattern_reach,
    required_words,
    sentence_index,
)
from postmaster_lint.results import FileResult
from postmaster_lint.rules import load_rules

from .conftest import CORPUS_FOLDERS, draft_documents, draft_paths, example_documents

DRAFTS = draft_paths(*CORPUS_FOLDERS)


@pytest.fixture(scope="module")
def linters() -> tuple[Linter, Linter]:
    rules = load_rules()
    return Linter(rules, LintConfig()), Linter(rules, LintConfig(), prefilter=False)


def corpus_documents() -> list[Document]:
    return draft_documents(DRAFTS)


def _scan(linter: Linter, document: Document) -> dict[int, list[tuple[int, int]]]:
    found = linter._bank.scan(pipeline()(unwrap(document.text)))
    return {handle: sorted(spans) for handle, spans in found.items() if spans}


def test_the_corpus_is_there() -> None:
    assert len(DRAFTS) > 300


@pytest.mark.parametrize("source", ["examples", "corpus"])
def test_pre_filtered_scan_finds_every_match_of_the_full_scan(
    linters: tuple[Linter, Linter], source: str
) -> None:
    filtered, full = linters
    documents = example_documents() if source == "examples" else corpus_documents()
    different = [d.path for d in documents if _scan(filtered, d) != _scan(full, d)]
    assert not different


def test_every_rule_example_gives_the_same_findings_and_evidence(
    linters: tuple[Linter, Linter],
) -> None:
    filtered, full = linters
    different = [d.path for d in example_documents() if filtered.run(d) != full.run(d)]
    assert not different


def test_the_corpus_gives_byte_identical_json(linters: tuple[Linter, Linter]) -> None:
    def json_for(linter: Linter) -> str:
        results = []
        for document in corpus_documents():
            diagnostics, items = check_with(linter, document)
            results.append(FileResult(document.path, tuple(diagnostics), checklist=items))
        return render(results, "json")

    filtered, full = linters
    output = json_for(filtered)
    assert '"PM101"' in output and '"PM203"' in output
    assert output == json_for(full)


def test_the_pre_filter_skips_patterns_that_cannot_match(
    linters: tuple[Linter, Linter],
) -> None:
    """The pre-filter does its job: a factual draft wakes few pattern groups, and asking why
    wakes groups (PM103's) that the factual draft never runs."""
    bank = linters[0]._bank

    def runnable(text: str) -> set[frozenset[int]]:
        doc = pipeline()(text)
        present = _Present(bank, doc, *sentence_index(doc))
        return {needs for needs in bank._groups if needs and present.regions(needs, None)}

    factual = runnable("We removed 4,000 inactive addresses in March.\n\nBounces fell to 0.4%.")
    asking = runnable("Why are we blocked?")
    assert len(factual) < len(bank._groups) / 4
    assert asking - factual


def test_required_words_name_each_required_token() -> None:
    pattern = [
        {"LEMMA": {"IN": ["apologize", "apologise"]}},
        {"IS_PUNCT": False, "OP": "{0,3}"},
        {"LOWER": "for", "OP": "?"},
        {"LOWER": {"IN": ["Trouble", "inconvenience"]}},
        {"IS_ALPHA": True},
    ]
    assert required_words(pattern) == [
        frozenset({"apologize", "apologise"}),
        frozenset({"trouble", "inconvenience"}),
    ]


@pytest.mark.parametrize(
    ("pattern", "reach"),
    [
        ([{"LOWER": "we"}, {"LOWER": "will", "OP": "?"}, {"LEMMA": "fix"}], 3),
        ([{"LOWER": "we"}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": "not", "OP": "!"}], 6),
        ([{"LOWER": "we"}, {"IS_ALPHA": True, "OP": "{2}"}], 3),
        ([{"LOWER": "we"}, {"IS_ALPHA": True, "OP": "+"}], None),
        ([{"IS_UPPER": True, "OP": "{3,}"}], None),
    ],
)
def test_pattern_reach(pattern: list[dict[str, object]], reach: int | None) -> None:
    assert pattern_reach(pattern) == reach


def test_a_group_runs_only_near_its_rarest_word(linters: tuple[Linter, Linter]) -> None:
    """Within a sentence that holds every required word, a group with bounded matches runs
    only within its reach of the rarest one, not over the whole sentence."""
    bank = linters[0]._bank
    filler = "and then the team " * 10
    doc = pipeline()(f"Why are we blocked {filler} when {filler} it is {filler}?")
    assert len(list(doc.sents)) == 1
    present = _Present(bank, doc, *sentence_index(doc))
    bounded = [(n, bank._reach[n]) for n in bank._groups if n and bank._reach[n]]
    scanned = [sum(len(r) for r in present.regions(n, reach)) for n, reach in bounded]
    assert any(0 < tokens < len(doc) / 2 for tokens in scanned)


@pytest.mark.parametrize(
    ("bits", "runs"),
    [(0, []), (0b1, [(0, 0)]), (0b1101, [(0, 0), (2, 3)]), (0b111000, [(3, 5)])],
)
def test_bit_runs(bits: int, runs: list[tuple[int, int]]) -> None:
    assert _bit_runs(bits) == runs
