"""Word counts and reading ease through textstat, without any dictionary download.

textstat's English syllable counter asks NLTK for the CMU dictionary and downloads it on first
use, which fails offline. textstat falls back to its pyphen hyphenation counter for languages
it has no dictionary for, and uses its English formula constants for any language without a
configuration of its own; the language tag "en-US" (hyphen, not underscore) takes exactly that
path. tests/readability_test.py pins this behaviour, and CI runs the suite with no network.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

_LANGUAGE = "en-US"


@functools.lru_cache(maxsize=1)
def _textstat() -> Any:
    """textstat, imported on first use, without NLTK.

    textstat imports NLTK at module level only to reach the CMU dictionary, which the en-US path
    never asks for, and NLTK costs a quarter of a second of start-up. While textstat is being
    imported, a stand-in answers for `nltk` (and raises if anything tries to use it); it is
    removed again at once, so a later `import nltk` anywhere in the process gets the real one.
    """
    stub = None
    if "nltk" not in sys.modules:
        stub = types.ModuleType("nltk", "stand-in: postmaster-lint uses no NLTK data")
        stub.__getattr__ = _no_nltk  # type: ignore[method-assign]
        sys.modules["nltk"] = stub
    try:
        import textstat
    finally:
        if stub is not None and sys.modules.get("nltk") is stub:
            del sys.modules["nltk"]
    textstat.set_lang(_LANGUAGE)
    return textstat


def _no_nltk(name: str) -> Any:
    raise RuntimeError(f"postmaster-lint reads no NLTK data (nltk.{name} was asked for)")


def word_count(text: str) -> int:
    return int(_textstat().lexicon_count(text, removepunct=True))


def reading_ease(text: str) -> float:
    """Flesch reading ease: 100 is very easy, 30 and below is hard for most readers."""
    return float(_textstat().flesch_reading_ease(text))
