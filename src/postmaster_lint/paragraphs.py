"""Parse a draft paragraph by paragraph, reusing the paragraphs that did not change.

An editor sends the whole draft after every keystroke, but only one paragraph changed. Each
paragraph's spaCy document and pattern matches are kept by its text; a new version of the draft
parses only its new paragraphs and joins the pieces (`Doc.from_docs`) into the document the
checks read. The joined document is the one a whole-text parse gives (same tokens, lemmas and
sentences; tests/test_paragraphs.py holds this over every corpus draft): a paragraph break
always ends a sentence, and no pattern reaches across one.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from .patterns import Matches, PatternBank

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


class ParagraphCache:
    """Per paragraph text: its document and its matches, the most recent `size` kept."""

    def __init__(self, nlp: Language, bank: PatternBank, size: int = 512) -> None:
        self._nlp = nlp
        self._bank = bank
        self._size = size
        self._entries: OrderedDict[str, tuple[Doc, dict[int, list[tuple[int, int]]]]] = (
            OrderedDict()
        )

    def parse(self, text: str, deadline: float | None = None) -> Matches:
        docs = []
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        offset = 0
        for piece in split_paragraphs(text):
            doc, piece_found = self._piece(piece)
            docs.append(doc)
            for handle, spans in piece_found.items():
                found[handle].extend((start + offset, end + offset) for start, end in spans)
            offset += len(doc)
        joined = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
        return self._bank.matches(joined, found, deadline, text=text)

    def _piece(self, piece: str) -> tuple[Doc, dict[int, list[tuple[int, int]]]]:
        entry = self._entries.get(piece)
        if entry is None:
            doc = self._nlp(piece)
            entry = (doc, self._bank.scan(doc))
            self._entries[piece] = entry
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(piece)
        return entry
