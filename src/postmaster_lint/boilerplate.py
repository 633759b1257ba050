"""A form's own words: the questions, labels and instructions of an issue template or a web
form that the sender filled in. They are not the sender's prose, so no pitfall fires there
("### Why do you believe this is a false positive?" is the form asking, not the sender), while
the sender's answers under them are linted as usual.

Recognised in any format's text:
- a line that is a form question or label followed by the answer on the same line
  ("Why you believe this to be a false positive: it is my bakery's site"): the label part;
- a whole line that is a bracketed tag or a question addressed to the sender about their own
  site ("How did you discover your web site or domain was listed here?");
- a sentence in the form's voice: it speaks to the sender about *their* domain or site, or of
  "our maintainers" (a sender writing to a provider says "your list", never "your domain").
Markdown headings that ask a question are marked by the Markdown reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# "Why you believe this to be a false positive: ...", "List it is on: ...", "Domain(s): ..."
_LABEL = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?(?:\*\*)?(?=[^\n:]{3,80}:)"
    r"(?:(?:why|what|which|where|when|how|who|have|has|did|do|is|are|was|list)\b[^\n:?]*\??"
    r"|[^\n:]*\?)(?:\*\*)?[ \t]*:(?=[ \t]*[^\s])",  # with the answer on the same line
    re.IGNORECASE | re.MULTILINE,
)
# A Markdown-style heading that asks, in a plain-text copy of a form.
_QUESTION_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+[^\n]*\?[ \t]*$", re.MULTILINE)
# A line that is only a bracketed tag ("[FALSE-POSITIVE]", "Subject: [Remove]").
_TAG_LINE = re.compile(r"^[ \t]*(?:subject:[ \t]*)?\[[^\]\n]{2,40}\][ \t]*$", re.I | re.M)
# Words of the form's voice: it speaks to the sender about the sender's own things, or as the
# list's operator. The region is the sentence around them (found by hand: a regex that scans
# to a sentence's start from every position is quadratic on a long line).
_FORM_VOICE = re.compile(
    r"\b(?:your[ \t]+(?:web[ \t]?site|site|domains?|url|ip[ \t]+address|issue|request|report)"
    r"|you[ \t]+believe|one[ \t]+of[ \t]+our[ \t]+maintainers|our[ \t]+maintainers"
    r"|make[ \t]+sure[ \t]+you[ \t]+have[ \t]+provided)\b",
    re.IGNORECASE,
)
_SENTENCE_ENDS = ".!?:\n"
_SENTENCE_WINDOW = 400  # a form's sentence is not longer; bounds the work per match


def find_form_regions(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) ranges of `text` that are a form's words, not the sender's."""
    for match in _LABEL.finditer(text):
        yield match.span()
    for match in _QUESTION_HEADING.finditer(text):
        yield match.span()
    for match in _TAG_LINE.finditer(text):
        yield match.span()
    for match in _FORM_VOICE.finditer(text):
        yield _sentence_around(text, match.start(), match.end())


def is_form_question(line: str) -> bool:
    """A heading that asks something ("Why should the domain be unblocked?") or labels a field
    ("Domains or links:") is the form's."""
    stripped = line.strip().strip("*_ ").rstrip()
    return stripped.endswith(("?", ":"))


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    low = max(0, start - _SENTENCE_WINDOW)
    before = max(text.rfind(c, low, start) for c in _SENTENCE_ENDS)
    high = min(len(text), end + _SENTENCE_WINDOW)
    after = [i for i in (text.find(c, end, high) for c in _SENTENCE_ENDS) if i != -1]
    return (before + 1 if before != -1 else low), (min(after) + 1 if after else high)
