"""Word counts and reading ease through textstat, without any dictionary download.

textstat's English syllable counter asks NLTK for the CMU dictionary and downloads it on first
use, which fails offline. textstat falls back to its pyphen hyphenation counter for languages
it has no dictionary for, and uses its English formula constants for any language without a
configuration of its own; the language tag "en-US" (hyphen, not underscore) takes exactly that
path. tests/readability_test.py pins this behaviour, and CI runs the suite with no network.
"""

from __future__ import annotations

import functools
from typing import Any

_LANGUAGE = "en-US"


@functools.lru_cache(maxsize=1)
def _textstat() -> Any:
    # Imported on first use: textstat pulls in NLTK, a quarter of a second of start-up.
    import textstat

    textstat.set_lang(_LANGUAGE)
    return textstat


def word_count(text: str) -> int:
    return int(_textstat().lexicon_count(text, removepunct=True))


def reading_ease(text: str) -> float:
    """Flesch reading ease: 100 is very easy, 30 and below is hard for most readers."""
    return float(_textstat().flesch_reading_ease(text))
