"""Find text the sender did not write: reply quotes, quoted replies, pasted bounces and logs.

Pitfall rules must not fire on what the ISP said, and a pasted bounce is evidence, not prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
# Everything after a reply header or a forwarded/original-message separator is the thread.
_THREAD_START = re.compile(
    r"^[ \t]*(?:On\b[^\n]{4,200}\bwrote:[ \t]*$"
    r"|-{2,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{2,}"
    r"|Begin forwarded message:)",
    re.MULTILINE | re.IGNORECASE,
)
# Inline quotations of three words or more ("...", “...”): someone else's words.
_INLINE_QUOTE = re.compile(r"\"[^\"\n]*?\S+\s+\S+\s+\S[^\"\n]*?\"|“[^”\n]*?\S+\s+\S+\s+\S[^”\n]*?”")


def find_quoted_regions(text: str) -> Iterator[tuple[int, int]]:
    """Yield [start, end) ranges of quoted material in plain text, in document order."""
    regions: list[tuple[int, int]] = []
    thread = _THREAD_START.search(text)
    limit = thread.start() if thread else len(text)
    if thread:
        regions.append((thread.start(), len(text)))
    for pattern in (_REPLY_QUOTE_LINE, _INLINE_QUOTE):
        regions.extend(m.span() for m in pattern.finditer(text, 0, limit))
    for match in _BOUNCE_LINE.finditer(text, 0, limit):
        line_end = text.find("\n", match.start())
        regions.append((match.start(), limit if line_end == -1 else min(line_end, limit)))
    yield from _merge(regions)


def _merge(regions: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    current: tuple[int, int] | None = None
    for start, end in sorted(regions):
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            yield current
        current = (start, end)
    if current:
        yield current
