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

import itertools

from spacy.tokens import Span, Token

from .document import Document

GUARD_NAMES = ("quoted", "negation", "hypothetical", "modal")
# What a pitfall rule gets unless it says otherwise.
PITFALL_GUARDS = ("quoted", "negation", "hypothetical")

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
_NEGATION_WINDOW = 8
_CLAUSE_WINDOW = 40  # a clause longer than this is not one; it also bounds the work per match
# "We would appreciate it *if* you..." is a polite request, not a condition.
_POLITE_BEFORE_IF = {
    "appreciate",
    "grateful",
    "thankful",
    "glad",
    "great",
    "nice",
    "kind",
    "helpful",
}
_MODALS = {
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "to",
    "going",
    "gonna",
}
_HEDGE_WORDS = {
    "possible",
    "help",
    "helps",
    "helpful",
    "need",
    "needed",
    "necessary",
    "like",
    "prefer",
    "want",
    "so",
    "useful",
    "easier",
    "convenient",
    "appropriate",
    "wish",
}
_SUBJECTS = {"we", "i", "you", "they", "he", "she", "it", "team", "our"}
_MODAL_SKIP = {
    "also",
    "then",
    "soon",
    "shortly",
    "all",
    "now",
    "still",
    "just",
    "probably",
    "hopefully",
    "eventually",
    "definitely",
    "certainly",
    "be",
    "have",
    "get",
}


def suppressed(
    guards: frozenset[str],
    span: Span,
    sentence: Span,
    document: Document,
    transparent: frozenset[int] = frozenset(),
    in_request: bool = False,
) -> bool:
    """`transparent` token indices are skipped when looking back: a request frame such as
    "we don't understand" carries its own negation, which does not negate the request.
    `in_request`: the sentence asks the recipient for something ("If it helps, please...")."""
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
    lemmas = _clause_before(span, sentence, True, transparent)[-_NEGATION_WINDOW:]
    if any(lemma in _NEGATIONS for lemma in lemmas):
        return True
    return any(pair in _NEGATION_PAIRS for pair in itertools.pairwise(lemmas))


def is_hypothetical(
    span: Span,
    sentence: Span,
    transparent: frozenset[int] = frozenset(),
    in_request: bool = False,
) -> bool:
    """A cue in the match's own clause ("we would only ask *if*..."), or a statement that opens
    with one ("*If* the problem returns, we will investigate"). A request that opens with a
    hedge ("If possible, please whitelist us") still asks."""
    first = next((t for t in sentence if not (t.is_space or t.is_punct)), None)
    if (
        not in_request
        and first is not None
        and first.i < span.start
        and first.lower_ in _HYPOTHETICALS
        and not _is_hedge(first)
    ):
        return True
    lemmas = _clause_before(span, sentence, False, transparent)
    for index, lemma in enumerate(lemmas):
        if lemma in _HYPOTHETICALS and not (
            lemma == "if" and _POLITE_BEFORE_IF.intersection(lemmas[max(0, index - 2) : index])
        ):
            return True
    return any(pair in _HYPOTHETICAL_PAIRS for pair in itertools.pairwise(lemmas))


def _is_hedge(cue: Token) -> bool:
    """'If possible,' / 'If it helps,' / 'If needed,': a courtesy, not a condition."""
    clause: list[Token] = []
    for token in cue.doc[cue.i + 1 : cue.i + 6]:
        if token.text == ",":
            return any(t.lemma_.lower() in _HEDGE_WORDS for t in clause)
        clause.append(token)
    return False


def is_modal(span: Span, sentence: Span) -> bool:
    """A modal directly governs the match: "(will be) removed", "(to be) fixed". A match that
    starts with its own subject ("we removed") is not governed by what precedes it."""
    if span[0].lower_ in _SUBJECTS:
        return False
    doc = span.doc
    index = span.start - 1
    while index >= sentence.start:
        token = doc[index]
        lemma = token.lemma_.lower()
        if token.is_space or lemma in _MODAL_SKIP:
            index -= 1
            continue
        if token.text == "May":  # the month: "on 3 May"
            return False
        return lemma in _MODALS or token.lower_ in {"'ll", "'d"}
    return False


def _clause_before(
    span: Span, sentence: Span, stop_at_words: bool, transparent: frozenset[int]
) -> list[str]:
    """Lower-cased lemmas from the start of the match's clause up to the match, in order."""
    doc = span.doc
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
        if text in _PUNCT_BOUNDARIES or (stop_at_words and text in _WORD_BOUNDARIES):
            break
        lemmas.append(token.lemma_.lower())
    lemmas.reverse()
    return lemmas
