"""The one place that builds the spaCy pipeline.

The default pipeline needs nothing but what `pip install` brings: a blank English tokenizer,
lemmas from the lookup table in `spacy-lookups-data`, the rule-based sentencizer, and a small
component that also ends sentences at line structure (greetings, list items, paragraphs), which
drafts use as often as full stops. It is built once per process and shared by every call.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Contractions the lookup table leaves alone (the tokenizer splits "can't" into "ca" + "n't"),
# and function words it gets wrong for our purposes ("does" -> "doe", "as" -> "a").
_LEMMA_OVERRIDES = {
    "does": "do",
    "as": "as",
    "data": "data",
    "less": "less",
    "n't": "not",
    "nt": "not",
    "'re": "be",
    "'m": "be",
    "'ve": "have",
    "'ll": "will",
    "'d": "would",
    "ca": "can",
    "wo": "will",
    "sha": "shall",
    "im": "i",
}
# The same contractions typed with a typographic apostrophe (Word, macOS, phones): "don’t".
_LEMMA_OVERRIDES.update(
    {key.replace("'", "’"): value for key, value in _LEMMA_OVERRIDES.items() if "'" in key}
)
_BULLETS = {"-", "*", "•", "–", "·"}


@functools.lru_cache(maxsize=1)
def _lemma_table() -> Any:
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


@Language.factory("pml_lemmas")
def _make_lemmas(nlp: Language, name: str) -> Any:
    table = _lemma_table()

    def set_lemmas(doc: Doc) -> Doc:
        for token in doc:
            lower = token.lower_
            token.lemma_ = _LEMMA_OVERRIDES.get(lower) or table.get(lower, lower)
        return doc

    return set_lemmas


@Language.component("pml_line_sentences")
def _line_sentences(doc: Doc) -> Doc:
    """Start a sentence where a line starts a new unit: after a blank line, at a list bullet,
    after a line ending in punctuation, or at a capitalised line start."""
    for token in doc:
        previous = doc[token.i - 1] if token.i else None
        at_line_start = previous is None or (previous.is_space and "\n" in previous.text)
        if token.is_space or not at_line_start:
            continue
        before = doc[token.i - 2] if token.i >= 2 else None
        blank_line = previous is not None and previous.text.count("\n") >= 2
        bullet = token.text in _BULLETS or (
            token.like_num and token.i + 1 < len(doc) and doc[token.i + 1].text in {".", ")"}
        )
        after_punct = before is not None and before.text[-1:] in {".", "!", "?", ":", ",", ";"}
        if blank_line or bullet or after_punct or token.text[:1].isupper():
            token.is_sent_start = True
            if bullet and token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
    return doc


_CONTINUATION = re.compile(r"(?<=[^\s.!?:;,])[ \t]*(\r?\n)(?=[ \t]*[a-z])")


def unwrap(text: str) -> str:
    """Join hard-wrapped lines ("We will\nclean our list") so patterns match across them.

    A line break becomes a space when the line before does not end a sentence or a clause and
    the next line starts in lower case. The result has the same length as the input, so every
    character offset still points into the original text."""
    return _CONTINUATION.sub(lambda m: m.group(0).replace("\r", " ").replace("\n", " "), text)


@functools.lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("en")
    # spaCy's limit guards the memory of a parser and NER, which this pipeline has neither of;
    # the input size limit (--max-file-size) is what bounds a draft here.
    nlp.max_length = 2**31
    nlp.add_pipe("pml_lemmas")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("pml_line_sentences")
    return nlp


@functools.lru_cache(maxsize=65536)
def lemma_of(word: str) -> str:
    """The lemma the pipeline gives one word (word classes hold thousands: a plain word is
    looked up directly, not tokenized)."""
    lower = word.lower()
    if lower.isalpha():
        return _LEMMA_OVERRIDES.get(lower) or str(_lemma_table().get(lower, lower))
    doc = pattern_doc(word)
    return doc[0].lemma_ if len(doc) == 1 else lower


def pattern_doc(text: str) -> Doc:
    """A document for a PhraseMatcher pattern: tokens and lemmas, no sentence work."""
    nlp = pipeline()
    doc = nlp.make_doc(text)
    lemmatize = nlp.get_pipe("pml_lemmas")
    result: Doc = lemmatize(doc)
    return result
