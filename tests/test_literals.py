"""The literal every match of a pattern contains: a screen that must never hide a match."""

from __future__ import annotations

import re

import pytest

from postmaster_lint.literals import folded, may_match, required_literal
from postmaster_lint.providers import load_providers

from .conftest import CORPUS_FOLDERS, draft_paths


@pytest.mark.parametrize(
    ("source", "flags", "literal"),
    [
        (r"\b(?:[\w-]+\.)*sorbs\.net\b", re.IGNORECASE, ("sorbs.net", True)),
        (r"\b(5\.7\.513)\b", 0, ("5.7.513", False)),  # inside a plain group
        (r"\bBarracuda Reputation\b", re.IGNORECASE, ("barracuda reputation", True)),
        (r"\b(?:zen|sbl)\.spamhaus\.org\b", 0, (".spamhaus.org", False)),
        (r"\[(HME\d|CS0\d)\]", 0, ("", False)),  # nothing three characters long
        (r"(?i:abc)def", 0, ("def", False)),  # a group with flags of its own is not opened
        (r"abc|defgh", 0, ("", False)),  # either side may match
    ],
)
def test_required_literal(source: str, flags: int, literal: tuple[str, bool]) -> None:
    assert required_literal(re.compile(source, flags)) == literal


def test_case_blind_literals_are_only_trusted_on_ascii_text() -> None:
    zone = re.compile(r"\bsorbs\.net\b", re.IGNORECASE)
    kelvin = re.compile(r"blocklist\.kz", re.IGNORECASE)
    for pattern, text in [(zone, "dnsbl.\u017forbs.net"), (kelvin, "BLOCKLIST.\u212az")]:
        assert pattern.search(text)  # re folds the long s and the Kelvin sign
        assert may_match(pattern, text, folded(text))
    assert not may_match(zone, "nothing here", folded("nothing here"))


def test_a_screened_out_pattern_never_matches() -> None:
    """Every provider pattern against every corpus draft: when the screen says it cannot
    match, it does not."""
    patterns = [r.pattern for p in load_providers() for r in p.recognisers]
    patterns += [q for p in load_providers() for item in p.lists for q in item.patterns]
    texts = [path.read_text(encoding="utf-8") for path in draft_paths(*CORPUS_FOLDERS)]
    screened = 0
    for text in texts:
        lowered = folded(text)
        for pattern in patterns:
            if not may_match(pattern, text, lowered):
                screened += 1
                assert pattern.search(text) is None, (pattern.pattern, text[:60])
    assert screened > len(texts) * len(patterns) / 2
