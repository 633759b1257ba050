"""Guards: reasons a pattern match is not what the sender asserts or asks.

- quoted: the match lies in material the sender did not write or that is not prose (see
  quoting.py), or inside a URL or an email address;
- negation: a negation cue governs the match ("we are *not* asking for an exception");
- hypothetical: the match sits in a conditional clause ("*if* we had to ask for a whitelist");
- modal: the match is governed by a modal or "to" ("DKIM *will be* implemented", "*to be* fixed"),
  so it describes something not (yet) done. Used by required elements: a plan is not a step.

Both linguistic guards look backwards from the match to the start of its clause. They are
deliberately local: a negation three clauses earlier says nothing about this one.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .document import Document
from .lexicon import load_lexicon

_PUNCT_BOUNDARIES = {",", ";", ":", "—", "–", "(", ")", ".", "!", "?", "\n"}
_NEGATION_WINDOW = 8
_CLAUSE_WINDOW = 40  # a clause longer than this is not one; it also bounds the work per match


@dataclass(frozen=True)
class GuardWords:
    """The guards' cue words, from the lexicon (rules/lexicon/guards.yaml)."""

    negations: frozenset[str]
    negation_pairs: frozenset[tuple[str, ...]]
    hypotheticals: frozenset[str]
    hypothetical_pairs: frozenset[tuple[str, ...]]
    polite_before_if: frozenset[str]
    hedges: frozenset[str]
    modals: frozenset[str]
    modal_skip: frozenset[str]
    clause_boundaries: frozenset[str]


@functools.lru_cache(maxsize=1)
def guard_words() -> GuardWords:
    lexicon = load_lexicon()

    def pairs(name: str) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(phrase.split()) for phrase in lexicon.phrases(name))

    return GuardWords(
        negations=lexicon.words("negations"),
        negation_pairs=pairs("negation-pairs"),
        hypotheticals=lexicon.words("hypotheticals"),
        hypothetical_pairs=pairs("hypothetical-pairs"),
        polite_before_if=lexicon.words("polite-before-if"),
        hedges=lexicon.words("hedges"),
        modals=lexicon.words("modals"),
        modal_skip=lexicon.words("modal-skip"),
        clause_boundaries=lexicon.words("clause-boundaries"),
    )


def suppressed(
    guards: frozenset[str],
    span: Span,
    sentence: Span,
    document: Document,
    transparent: frozenset[int] = frozenset(),
    in_request: Callable[[], bool] = lambda: False,
) -> bool:
    """`transparent` token indices are skipped when looking back: a request frame such as
    "we don't understand" carries its own negation, which does not negate the request.
    `in_request`: whether the sentence asks the recipient for something ("If it helps,
    please..."), asked only when the answer matters (working it out is not free)."""
    if "quoted" in guards and (
        document.is_quoted(span.start_char, span.end_char)
        or all(token.like_url or token.like_email for token in span)
    ):
        return True
    if "negation" in guards and is_negated(span, sentence, transparent):
        return True
    if "modal" in guards and is_modal(span, sentence):
        return True
    return "hypothetical" in guards and is_hypothetical(span, sentence, transparent, in_request)


def is_negated(span: Span, sentence: Span, transparent: frozenset[int] = frozenset()) -> bool:
    words = guard_words()
    lemmas = _clause_before(span, sentence, True, transparent)[-_NEGATION_WINDOW:]
    if any(lemma in words.negations for lemma in lemmas):
        return True
    return any(pair in words.negation_pairs for pair in itertools.pairwise(lemmas))


def is_hypothetical(
    span: Span,
    sentence: Span,
    transparent: frozenset[int] = frozenset(),
    in_request: Callable[[], bool] = lambda: False,
) -> bool:
    """A cue in the match's own clause ("we would only ask *if*..."), or a statement that opens
    with one ("*If* the problem returns, we will investigate"). A request that opens with a
    hedge ("If possible, please whitelist us") still asks."""
    words = guard_words()
    first = next((t for t in sentence if not (t.is_space or t.is_punct)), None)
    if (
        first is not None
        and first.i < span.start
        and first.lower_ in words.hypotheticals
        and not _is_hedge(first)
        and not in_request()
    ):
        return True
    lemmas = _clause_before(span, sentence, False, transparent)
    for index, lemma in enumerate(lemmas):
        if lemma in words.hypotheticals and not (
            lemma == "if" and words.polite_before_if.intersection(lemmas[max(0, index - 2) : index])
        ):
            return True
    return any(pair in words.hypothetical_pairs for pair in itertools.pairwise(lemmas))


def _is_hedge(cue: Token) -> bool:
    """'If possible,' / 'If it helps,' / 'If needed,': a courtesy, not a condition."""
    clause: list[Token] = []
    for token in cue.doc[cue.i + 1 : cue.i + 6]:
        if token.text == ",":
            return any(t.lemma_.lower() in guard_words().hedges for t in clause)
        clause.append(token)
    return False


def is_modal(span: Span, sentence: Span) -> bool:
    """A modal directly governs the match: "(will be) removed", "(to be) fixed"."""
    words = guard_words()
    doc = span.doc
    index = span.start - 1
    while index >= sentence.start:
        token = doc[index]
        lemma = token.lemma_.lower()
        if token.is_space or lemma in words.modal_skip:
            index -= 1
            continue
        if token.text == "May":  # the month: "on 3 May"
            return False
        return lemma in words.modals or token.lower_ in words.modals
    return False


def _clause_before(
    span: Span, sentence: Span, stop_at_words: bool, transparent: frozenset[int]
) -> list[str]:
    """Lower-cased lemmas from the start of the match's clause up to the match, in order."""
    doc = span.doc
    boundaries = guard_words().clause_boundaries
    sentence_start = max(sentence.start, span.start - _CLAUSE_WINDOW)
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
        if text in _PUNCT_BOUNDARIES or (stop_at_words and text in boundaries):
            break
        lemmas.append(token.lemma_.lower())
    lemmas.reverse()
    return lemmas
