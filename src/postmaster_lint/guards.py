"""Guards: reasons a pattern match is not what the sender asserts or asks.

- quoted: the match lies in material the sender did not write (see quoting.py);
- negation: a negation cue governs the match ("we are *not* asking for an exception");
- hypothetical: the match sits in a conditional clause ("*if* we had to ask for a whitelist").

Both linguistic guards look backwards from the match to the start of its clause. They are
deliberately local: a negation three clauses earlier says nothing about this one.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Span

from .document import Document

GUARD_NAMES = ("quoted", "negation", "hypothetical")

_NEGATIONS = {"not", "never", "no", "without", "nor", "neither", "nobody", "nothing", "none"}
_NEGATION_PAIRS = {("rather", "than"), ("instead", "of"), ("no", "longer")}
_HYPOTHETICALS = {"if", "unless", "whether", "suppose", "supposing", "hypothetically", "assuming"}
_HYPOTHETICAL_PAIRS = {("in", "case"), ("even", "if")}
_PUNCT_BOUNDARIES = {",", ";", ":", "—", "–", "(", ")", ".", "!", "?", "\n"}
_WORD_BOUNDARIES = {
    "but",
    "however",
    "although",
    "though",
    "and",
    "so",
    "because",
    "since",
    "while",
    "whereas",
    "yet",
    "then",
}
_NEGATION_WINDOW = 6


def suppressed(
    guards: frozenset[str],
    span: Span,
    document: Document,
    transparent: frozenset[int] = frozenset(),
) -> bool:
    """`transparent` token indices are skipped when looking back: a request frame such as
    "we don't understand" carries its own negation, which does not negate the request."""
    if "quoted" in guards and document.is_quoted(span.start_char, span.end_char):
        return True
    if "negation" in guards and is_negated(span, transparent):
        return True
    return "hypothetical" in guards and is_hypothetical(span, transparent)


def is_negated(span: Span, transparent: frozenset[int] = frozenset()) -> bool:
    lemmas = _clause_before(span, True, transparent)[-_NEGATION_WINDOW:]
    if any(lemma in _NEGATIONS for lemma in lemmas):
        return True
    return any(pair in _NEGATION_PAIRS for pair in itertools.pairwise(lemmas))


def is_hypothetical(span: Span, transparent: frozenset[int] = frozenset()) -> bool:
    """A cue in the match's own clause ("we would only ask *if*..."), or a sentence that opens
    with one ("*If* the problem returns, we will investigate"): both are conditional."""
    first = next((t for t in span.sent if not (t.is_space or t.is_punct)), None)
    if first is not None and first.i < span.start and first.lower_ in _HYPOTHETICALS:
        return True
    lemmas = _clause_before(span, False, transparent)
    if any(lemma in _HYPOTHETICALS for lemma in lemmas):
        return True
    return any(pair in _HYPOTHETICAL_PAIRS for pair in itertools.pairwise(lemmas))


def _clause_before(span: Span, stop_at_words: bool, transparent: frozenset[int]) -> list[str]:
    """Lower-cased lemmas from the start of the match's clause up to the match, in order."""
    doc = span.doc
    sentence_start = span.sent.start
    lemmas: list[str] = []
    for index in range(span.start - 1, sentence_start - 1, -1):
        token = doc[index]
        if index in transparent:
            continue
        text = token.lower_.strip()
        if token.is_space:
            if "\n" in token.text:
                break
            continue
        if text in _PUNCT_BOUNDARIES or (stop_at_words and text in _WORD_BOUNDARIES):
            break
        lemmas.append(token.lemma_.lower())
    lemmas.reverse()
    return lemmas
