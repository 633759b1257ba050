"""Parse a draft paragraph by paragraph, reusing the paragraphs that did not change.

An editor sends the whole draft after every keystroke, but only one paragraph changed. Each
paragraph's spaCy document and pattern matches are kept by its text; a new version of the draft
parses only its new paragraphs and joins the pieces into the document the checks read. The
joined document is the one a whole-text parse gives (same tokens, lemmas and sentences;
tests/test_paragraphs.py holds this over every corpus draft): a paragraph break always ends a
sentence, and no pattern reaches across one.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.attrs import LEMMA, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .patterns import Matches, PatternBank

if TYPE_CHECKING:
    from thinc.types import Ints2d

# A blank line (maybe holding spaces) and the white space after it; a paragraph starts at the
# next visible character, so the tokenizer cuts the text exactly where the pieces meet.
_BREAK = re.compile(r"\n[ \t]*\n\s*(?=\S)")


def split_paragraphs(text: str) -> list[str]:
    """The text in pieces that join back to it, each ending with the blank lines after it."""
    pieces = []
    start = 0
    for found in _BREAK.finditer(text):
        pieces.append(text[start : found.end()])
        start = found.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece] or [text]


@dataclass(frozen=True)
class _Piece:
    """One paragraph's parse: its document, its tokens as the columns a joined document is
    rebuilt from, and its pattern matches."""

    doc: Doc
    words: list[str]
    spaces: list[bool]
    columns: numpy.ndarray[Any, Any]  # LEMMA and SENT_START, one row per token
    found: dict[int, list[tuple[int, int]]]


class ParagraphCache:
    """Per paragraph text: its parse and its matches, the most recent `size` kept."""

    def __init__(self, nlp: Language, bank: PatternBank, size: int = 512) -> None:
        self._nlp = nlp
        self._bank = bank
        self._size = size
        self._entries: OrderedDict[str, _Piece] = OrderedDict()

    def parse(self, text: str, deadline: float | None = None) -> Matches:
        pieces = [self._piece(piece) for piece in split_paragraphs(text)]
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        offset = 0
        for piece in pieces:
            for handle, spans in piece.found.items():
                found[handle].extend((start + offset, end + offset) for start, end in spans)
            offset += len(piece.doc)
        return self._bank.matches(self._join(pieces), found, deadline, text=text)

    def _join(self, pieces: list[_Piece]) -> Doc:
        """The pieces as one document: built from their words and columns (Doc.from_docs
        makes a Token object for every token of every piece, on every keystroke)."""
        if len(pieces) == 1:
            return pieces[0].doc
        words = [word for piece in pieces for word in piece.words]
        spaces = [space for piece in pieces for space in piece.spaces]
        joined = Doc(pieces[0].doc.vocab, words=words, spaces=spaces)
        columns = numpy.concatenate([piece.columns for piece in pieces])
        joined.from_array([LEMMA, SENT_START], cast("Ints2d", columns))
        return joined

    def _piece(self, text: str) -> _Piece:
        entry = self._entries.get(text)
        if entry is None:
            doc = self._nlp(text)
            entry = _Piece(
                doc,
                [token.text for token in doc],
                [bool(token.whitespace_) for token in doc],
                doc.to_array([LEMMA, SENT_START]),
                self._bank.scan(doc),
            )
            self._entries[text] = entry
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(text)
        return entry
