"""The literal text every match of a regular expression must contain.

A pattern whose literal is not in a text cannot match it, and `in` finds that far faster than
Python's re scans for a pattern that opens with a word boundary or a look-behind. The bounce
recognisers and the provider checks screen their patterns this way. Case-blind literals may
only be looked for in lower-cased text that is ASCII: re folds the long s and the Kelvin sign
to "s" and "k", which str.lower() does not (`may_match`).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

# The parser behind re.compile, for the literal a pattern needs: re._parser
# from Python 3.11, sre_parse before.
try:
    _regex_parser: Any = importlib.import_module("re._parser")
except ImportError:
    _regex_parser = importlib.import_module("sre_parse")


def _flat(items: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """Parsed pattern items, with plain groups (no flags of their own) opened in place."""
    for op, value in items:
        if op == _regex_parser.SUBPATTERN and not value[1] and not value[2]:
            yield from _flat(value[3])
        else:
            yield op, value


@functools.lru_cache(maxsize=1024)
def required_literal(pattern: re.Pattern[str]) -> tuple[str, bool]:
    """The longest run of literal characters every match of `pattern` contains ("sorbs.net"
    in a zone pattern), and whether to look for it in lower case; ("", False) when there is
    none worth looking for."""
    try:
        items = list(_regex_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # an internal module: should it change, every pattern simply runs
        return "", False
    best = run = ""
    for op, value in _flat(items):
        if op == _regex_parser.LITERAL:
            run += chr(value)
            best = max(best, run, key=len)
        else:
            run = ""
    folded = bool(pattern.flags & re.IGNORECASE)
    if len(best) < 3 or (folded and not best.isascii()):
        return "", False
    return (best.lower() if folded else best), folded


def may_match(pattern: re.Pattern[str], text: str, folded: str | None) -> bool:
    """False only when `pattern` cannot match `text`; `folded` is `text.lower()` when the
    text is ASCII, else None."""
    needle, case_blind = required_literal(pattern)
    if not needle:
        return True
    if case_blind:
        return folded is None or needle in folded
    return needle in text


def folded(text: str) -> str | None:
    """`text` in lower case for `may_match`, or None when that would not be safe."""
    return text.lower() if text.isascii() else None
