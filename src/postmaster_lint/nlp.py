"""The one place that builds the spaCy pipeline.

The default pipeline needs nothing but what `pip install` brings: a blank English tokenizer,
lemmas from the lookup table in `spacy-lookups-data`, and sentences that end where spaCy's
rule-based sentencizer ends them and also at line structure (greetings, list items,
paragraphs), which drafts use as often as full stops. It is built once per process and shared
by every call.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, cast

import numpy
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from thinc.types import Ints2d

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
def _lemma_table() -> dict[str, str]:
    """spacy-lookups-data's English lemma lookup table as a plain dict (spaCy's own Lookups
    table hashes each of its 41,000 keys on load: a tenth of a second of every start-up)."""
    import spacy_lookups_data  # type: ignore[import-untyped]
    from spacy.util import load_language_data

    table = load_language_data(spacy_lookups_data.en["lemma_lookup"])
    assert isinstance(table, dict)
    return table


@Language.factory("pml_lemmas")
def _make_lemmas(nlp: Language, name: str) -> Any:
    table = _lemma_table()
    strings = nlp.vocab.strings
    lemma_ids: dict[int, int] = {}  # lower-case form -> its lemma, as string-store ids

    def lemma_id(lower_id: int) -> int:
        lower = strings[lower_id]
        lemma = _LEMMA_OVERRIDES.get(lower) or table.get(lower, lower)
        lemma_ids[lower_id] = found = strings.add(lemma)
        return found

    def set_lemmas(doc: Doc) -> Doc:
        # From arrays: a lemma depends on the lower-case form alone, and making a Token object
        # per token costs more than the lookup.
        if len(doc):
            lowers = doc.to_array(LOWER)
            lemmas = [lemma_ids.get(lower) or lemma_id(lower) for lower in lowers.tolist()]
            column = numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1)
            doc.from_array([LEMMA], cast("Ints2d", column))
        return doc

    return set_lemmas


@Language.factory("pml_sentences")
def _make_sentences(nlp: Language, name: str) -> Any:
    from spacy.pipeline.sentencizer import Sentencizer

    strings = nlp.vocab.strings
    enders = frozenset(strings.add(char) for char in Sentencizer.default_punct_chars)

    def set_sentences(doc: Doc) -> Doc:
        """spaCy's rule-based sentencizer (a sentence starts at the first word after sentence-
        ending punctuation), then a sentence also starts where a line starts a new unit: after
        a blank line, at a list bullet, after a line ending in punctuation, or at a capitalised
        line start. From arrays and the string store, written in one go: a Token object per
        token, or setting Token.is_sent_start (which rescans the document), costs more than
        all the tests."""
        if not len(doc):
            return doc
        columns = doc.to_array([ORTH, IS_SPACE, LIKE_NUM, IS_PUNCT])
        orths, spaces, numbers, puncts = columns.T.tolist()
        starts = [False] * len(orths)
        starts[0] = True
        seen_end = False
        for i, orth in enumerate(orths):
            if orth in enders:
                seen_end = True
            elif seen_end and not puncts[i]:
                starts[i] = True
                seen_end = False
        line_starts = {0: 0}  # token index -> line breaks in the white space before it
        for i, space in enumerate(spaces):
            if space and i + 1 < len(orths):
                breaks = strings[orths[i]].count("\n")
                if breaks:
                    line_starts[i + 1] = breaks
        for i, breaks in line_starts.items():
            if spaces[i]:
                continue
            word = strings[orths[i]]
            before = strings[orths[i - 2]] if i >= 2 else ""
            bullet = word in _BULLETS or (
                bool(numbers[i]) and i + 1 < len(orths) and strings[orths[i + 1]] in {".", ")"}
            )
            after_punct = before[-1:] in {".", "!", "?", ":", ",", ";"}
            if breaks >= 2 or bullet or after_punct or word[:1].isupper():
                starts[i] = True
                if bullet and i + 1 < len(orths):
                    starts[i + 1] = True
        signed = numpy.array([1 if start else -1 for start in starts], dtype=numpy.int64)
        column = signed.view(numpy.uint64).reshape(-1, 1)  # spaCy's arrays are unsigned
        doc.from_array([SENT_START], cast("Ints2d", column))
        return doc

    return set_sentences


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
    nlp.add_pipe("pml_sentences")
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
