"""Placeholders that stand for a required element.

A template's `{{ smtp_code }}` will be filled with the bounce line when the request is sent, so
it satisfies PM201 as surely as a pasted bounce does. Plain-text templates mark the same slots
in other ways, and those count too: `[Your Server IP]`, `[YOUR DOMAIN]`, `<your-domain>`,
`%SENDING_IP%`, `*|SENDING_IP|*`, `${sending_ip}`, `{sending_ip}`, and the fill-in markers of
`postmaster-lint new` (`[[FILL IN: steps taken — ...]]`). A placeholder is a short name
(at most five words, no punctuation but `-`, `_`, `.`, `/`), not an instruction: the editor's
quick fix inserts "<paste the full 5xx line you received here>", which is a to-do and supplies
nothing.

A name supplies the element it names: the built-in names below, the configuration's
`placeholders` map, else the words in it (`server_ip`, "Your Server IP" -> sending-identity;
`bounce_text` -> smtp-code). Names about the other side (`recipient_domain`) supply nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document

BUILTIN: Mapping[str, str] = {
    **dict.fromkeys(
        ("smtp_code", "bounce_code", "bounce", "bounce_message", "bounce_line", "error_code",
         "smtp_error", "ndr", "rejection", "diagnostic_code"), "smtp-code"),
    **dict.fromkeys(
        ("sending_ip", "sending_ips", "ip", "ips", "ip_address", "ip_addresses", "sender_ip",
         "sending_domain", "sender_domain", "from_domain", "domain", "mail_domain"),
        "sending-identity"),
    **dict.fromkeys(
        ("senderscore", "sender_score", "talos", "talos_reputation", "snds", "snds_status",
         "postmaster_tools", "reputation", "ip_reputation", "domain_reputation",
         "blocklist_status"), "reputation-data"),
    **dict.fromkeys(
        ("remediation", "remediation_steps", "steps_taken", "actions_taken", "fixes"),
        "remediation-steps"),
    **dict.fromkeys(("results", "measured_results", "complaint_rate", "bounce_rate", "metrics"),
                    "results"),
    **dict.fromkeys(("prevention", "prevention_plan", "long_term_measures"), "prevention-plan"),
}  # fmt: skip

# Words that only say "fill this in" ("[Insert your IP here]"), dropped before naming.
_FILLER = frozenset(
    ("your", "our", "my", "the", "a", "an", "insert", "paste", "enter", "add", "put", "fill",
     "in", "here", "sender's", "senders")
)  # fmt: skip
# A name about the other side of the conversation is not the sender's element.
_OTHER_SIDE = frozenset(
    ("recipient", "recipients", "receiver", "receiving", "their", "provider", "providers", "isp",
     "destination")
)  # fmt: skip
# (element, words any of which name it, words that must also appear or None), first match wins:
# "bounce rate" is a result before it is a bounce, "IP reputation" reputation before an IP.
_KEYWORDS: tuple[tuple[str, frozenset[str], frozenset[str] | None], ...] = (
    ("reputation-data", frozenset({"reputation", "senderscore", "talos", "snds", "mxtoolbox"}),
     None),
    ("reputation-data", frozenset({"score"}), frozenset({"sender"})),
    ("reputation-data", frozenset({"blocklist", "blacklist", "dnsbl", "rbl"}),
     frozenset({"status", "lookup", "check", "result", "results"})),
    ("results", frozenset({"results", "metrics", "stats", "statistics"}), None),
    ("results", frozenset({"rate", "rates"}),
     frozenset({"complaint", "bounce", "spam", "delivery", "inbox", "error"})),
    ("smtp-code", frozenset({"smtp", "bounce", "bounces", "ndr", "dsn", "rejection", "error",
                             "errors", "sbl", "listing"}), None),
    ("smtp-code", frozenset({"code"}), frozenset({"status", "reply", "response", "diagnostic"})),
    ("remediation-steps", frozenset({"remediation", "fixes"}), None),
    ("remediation-steps", frozenset({"steps", "actions", "changes"}),
     frozenset({"taken", "done", "completed", "made"})),
    ("prevention-plan", frozenset({"prevention", "preventive", "preventative"}), None),
    ("prevention-plan", frozenset({"measures"}), frozenset({"long", "term", "long-term"})),
    ("sending-identity", frozenset({"ip", "ips", "ipv4", "ipv6", "domain", "domains", "cidr",
                                    "subnet", "hostname", "helo"}), None),
)  # fmt: skip

# Lengths are bounded so that scanning a pathological line stays linear.
_WORDS = r"[A-Za-z][A-Za-z0-9_./-]{0,40}(?:[ \t]{1,4}[A-Za-z0-9][A-Za-z0-9_./-]{0,40}){0,4}"
_IDENTIFIER = r"[A-Za-z][A-Za-z0-9_.-]{0,60}"
# Placeholders written in prose; the name is in whichever group matched.
_PLAIN = re.compile(
    # A `postmaster-lint new` marker, [[FILL IN: steps taken — what you fixed]]: named by the
    # words before the dash. It stands for the element (PM303 reports it as unfilled instead).
    r"\[\[[ \t]*FILL[ \t]+IN:[ \t]*(?P<fill>[^\]\n—]{1,60}?)[ \t]*(?:—[^\]\n]{0,200})?\]\]"
    rf"|\[[ \t]*(?P<square>{_WORDS})[ \t]*\](?![(\[])"  # [Your Server IP] (not a Markdown link)
    rf"|<[ \t]*(?P<angle>{_WORDS})[ \t]*>"  # <your-domain>
    rf"|(?<![\w%])%(?P<percent>{_IDENTIFIER})%(?![\w%])"  # %SENDING_IP%
    rf"|\*\|[ \t]*(?P<merge>{_IDENTIFIER})[ \t]*\|\*"  # *|SENDING_IP|* (Mailchimp)
    rf"|\$?(?<!\{{)\{{[ \t]*(?P<brace>{_IDENTIFIER})[ \t]*\}}(?!\}})"  # ${sending_ip}, {ip}
)


@dataclass(frozen=True)
class Placeholder:
    """A placeholder that supplies `element`: its name and where it is in the source."""

    name: str
    element: str
    start: int  # source offsets of the whole placeholder: "{{ smtp_code }}", "[Your IP]"
    end: int


def element_for(name: str, extra: Mapping[str, str] | None = None) -> str | None:
    """The required element a placeholder called `name` supplies, if any."""
    keys, element = _classify(name)
    if extra:
        for key in keys:
            if key in extra:
                return extra[key]
    return element


@functools.lru_cache(maxsize=1024)
def _classify(name: str) -> tuple[tuple[str, ...], str | None]:
    """The keys a configured map may know `name` by, and the element it names built in."""
    words = [w for w in re.split(r"[^a-z0-9'-]+|(?<=[a-z0-9])-(?=[a-z0-9])", name.lower()) if w]
    while words and words[0] in _FILLER:
        words.pop(0)
    while words and words[-1] in ("here",):
        words.pop()
    keys = tuple(dict.fromkeys((name.lower(), "_".join(words))))
    for key in keys:
        if key in BUILTIN:
            return keys, BUILTIN[key]
    present = set(words)
    if present & _OTHER_SIDE:
        return keys, None
    for element, names, needs in _KEYWORDS:
        if present & names and (needs is None or present & needs):
            return keys, element
    return keys, None


def find_plain(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of every placeholder written in prose, in order."""
    for match in _PLAIN.finditer(text):
        name = next(group for group in match.groupdict().values() if group)
        yield match.start(), match.end(), name


def supplied_by(
    document: Document, extra: Iterable[tuple[str, str]] = ()
) -> dict[str, Placeholder]:
    """The first placeholder (in the source) for each required element that the document's
    placeholders supply: template output tags, and names written in prose."""
    mapping = {name.lower(): element for name, element in extra}
    first: dict[str, Placeholder] = {}
    for start, end, name in document.placeholder_spans:  # in source order
        element = element_for(name, mapping)
        if element and element not in first:
            first[element] = Placeholder(name, element, start, end)
    seen: set[str] = set()
    for start, end, name in find_plain(document.text):  # in text order
        element = element_for(name, mapping)
        if not element or element in seen:
            continue
        seen.add(element)
        source_start, source_end = document.source_span(start, end)
        if element not in first or source_start < first[element].start:
            first[element] = Placeholder(name, element, source_start, source_end)
    return first
