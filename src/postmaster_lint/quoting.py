"""Find text that is not the sender's own prose: reply quotes, the quoted or forwarded message
under a mail client's reply header (the headers are data, see replyheaders.py), pasted bounces
and logs, and the signature.

Pitfall rules must not fire on what the ISP said, a pasted bounce is evidence, not prose, and a
signature is neither pitfall nor length; evidence found in any of them still counts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from .replyheaders import find_reply_headers

Region = tuple[int, int]
_CONTENT = re.compile(r"\S")

# A line that starts with an SMTP reply (basic code followed by an enhanced code or by the
# hyphen/space of RFC 5321 reply syntax and an upper-case word), optionally after a bullet.
_BOUNCE_LINE = re.compile(
    r"""^[ \t]*(?:[-*•][ \t]+)?(?:
        [245][0-5]\d[ -](?:[245]\.\d{1,3}\.\d{1,3}|[A-Z(\[<#])   # 550 5.7.1 / 554-No / 550 SC-001
      | [245]\.\d{1,3}\.\d{1,3}[ \t]                               # 5.7.1 Service unavailable
      | (?:Diagnostic-Code|Status|Action|Final-Recipient|Original-Recipient|Remote-MTA
          |Reporting-MTA|Arrival-Date|Last-Attempt-Date|X-Postfix-Sender|Received-From-MTA)
        :[ \t]
      | Remote[ ]Server[ ]returned
      | \d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d                          # 2024-03-01 12:00:01 log line
      | [A-Z][a-z]{2}[ ]+\d{1,2}[ ]\d\d:\d\d:\d\d[ ]               # syslog: Mar  1 12:00:01 host
    )""",
    re.VERBOSE | re.MULTILINE,
)
_REPLY_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_QUOTE_BLOCK = re.compile(r"(?:[ \t]*>.*(?:\n|$)|[ \t]*\n)*[ \t]*>.*")
# A signature starts at the "-- " separator, or at a sign-off line near the end.
_SIGNATURE_SEPARATOR = re.compile(r"^-- ?$", re.MULTILINE)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:thanks|thank you|many thanks|thanks again|thanks in advance|best|best regards|"
    r"kind regards|kindest regards|warm regards|regards|sincerely|yours sincerely|yours truly|"
    r"yours faithfully|cheers|all the best|respectfully|with thanks|with kind regards|"
    r"with best regards|br|kr|mit freundlichen grüßen|cordialement)[ \t]*[,.!]?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_SIGNATURE_MAX_LINES = 8
# Inline quotations of three words or more ("...", “...”): someone else's words.
_INLINE_QUOTE = re.compile(r"\"[^\"\n]*?\S+\s+\S+\s+\S[^\"\n]*?\"|“[^”\n]*?\S+\s+\S+\s+\S[^”\n]*?”")


def find_quoted_regions(text: str, known: Sequence[Region] = ()) -> Iterator[Region]:
    """Yield [start, end) ranges of quoted material in plain text, in document order.

    `known`: ranges a reader already knows are quoted (a <blockquote>, a Markdown quote): a
    reply header right above one of them introduces it."""
    regions, limit = thread_regions(text, known)
    for pattern in (_REPLY_QUOTE_LINE, _INLINE_QUOTE):
        regions.extend(m.span() for m in pattern.finditer(text, 0, limit))
    for match in _BOUNCE_LINE.finditer(text, 0, limit):
        line_end = text.find("\n", match.start())
        regions.append((match.start(), limit if line_end == -1 else min(line_end, limit)))
    signature = _signature_start(text, limit)
    if signature is not None:
        regions.append((signature, limit))
    yield from _merge(regions)


def thread_regions(text: str, known: Sequence[Region] = ()) -> tuple[list[Region], int]:
    """The quoted threads under reply and forward headers, and where the last one (which runs
    to the end of the draft) starts, else the end of the text.

    A header followed by quoted material (">" lines, a quote the reader found) quotes just
    itself and that material: the sender may answer below it. A header followed by unquoted
    text opens the rest of the draft as the quoted message, unless it is weak (an attribution
    with no time or address, "as your colleague wrote:"), which then is the sender's prose."""
    containers = list(_merge(list(known)))
    regions: list[Region] = []
    covered = 0
    for header in find_reply_headers(text):
        if header.start < covered:
            continue
        follows = _next_content(text, header.end)
        if follows is None:
            if not header.weak:
                regions.append((header.start, len(text)))
            covered = len(text)
            continue
        quoted_end = _quoted_block_end(text, follows, containers)
        if quoted_end is not None:
            regions.append((header.start, quoted_end))
            covered = quoted_end
        elif not header.weak:
            regions.append((header.start, len(text)))
            return regions, header.start
    return regions, len(text)


def _next_content(text: str, offset: int) -> int | None:
    """The offset of the first character after `offset` that is not whitespace."""
    match = _CONTENT.search(text, offset)
    return match.start() if match else None


def _quoted_block_end(text: str, offset: int, known: list[Region]) -> int | None:
    """Where the quoted material that starts at `offset` ends; None when it is not quoted."""
    line_start = text.rfind("\n", 0, offset) + 1
    block = _QUOTE_BLOCK.match(text, line_start)
    if block and text[line_start:offset].strip() == "":
        return block.end()
    index = bisect.bisect_right(known, (offset, len(text) + 1)) - 1
    if index >= 0 and known[index][0] <= offset < known[index][1]:
        return known[index][1]
    return None


def _signature_start(text: str, limit: int) -> int | None:
    separators = list(_SIGNATURE_SEPARATOR.finditer(text, 0, limit))
    if separators:
        return separators[-1].start()  # the last separator before the thread
    for sign_off in _SIGN_OFF.finditer(text, 0, limit):
        rest = text[sign_off.end() : limit]
        if sum(1 for line in rest.splitlines() if line.strip()) <= _SIGNATURE_MAX_LINES:
            return sign_off.start()
    return None


def _merge(regions: list[Region]) -> Iterator[Region]:
    current: Region | None = None
    for start, end in sorted(regions):
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            yield current
        current = (start, end)
    if current:
        yield current
