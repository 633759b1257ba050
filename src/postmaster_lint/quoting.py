"""Find text that is not the sender's own prose: reply quotes, quoted threads, pasted bounces
and logs, and the signature.

Pitfall rules must not fire on what the ISP said, a pasted bounce is evidence, not prose, and a
signature is neither pitfall nor length; evidence found in any of them still counts.
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
    signature = _signature_start(text, limit)
    if signature is not None:
        regions.append((signature, limit))
    yield from _merge(regions)


def _signature_start(text: str, limit: int) -> int | None:
    separators = list(_SIGNATURE_SEPARATOR.finditer(text, 0, limit))
    if separators:
        return separators[-1].start()  # the last separator before the thread
    for sign_off in _SIGN_OFF.finditer(text, 0, limit):
        rest = text[sign_off.end() : limit]
        if sum(1 for line in rest.splitlines() if line.strip()) <= _SIGNATURE_MAX_LINES:
            return sign_off.start()
    return None


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
