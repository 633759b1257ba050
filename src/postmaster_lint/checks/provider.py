"""`provider`: checks driven by the provider data (providers/*.yaml).

- `wrong-recipient`: a pasted reply's block belongs to someone the draft is not addressed to
  (a Comcast BL000001 is Spamhaus's; an Exchange Online 5.7.513 is the recipient
  organisation's), reported at the code that shows it;
- `missing-field`: one finding per field the provider's channel requires that the draft lacks,
  at the top (a field that restates a required element the draft lacks altogether is left to
  that element's rule);
- `vague-list`: the operator is named without the list the bounce or the text shows;
- `obsolete-list`: a list that no longer operates is named;
- `self-expiring`: the draft is about a listing that lapses by itself.

The last three judge the sender's own words, so quoted, negated and hypothetical mentions do
not fire; the pasted bounce is quoted material, but it is where the codes and lists are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..detect import ProviderDetect
from ..draft_provider import (
    DraftProviders,
    addressed_providers,
    code_of,
    draft_providers,
    short_name,
)
from ..guards import suppressed
from ..literals import folded, may_match
from ..providers import PARTY_NAMES, Provider, load_providers, word_pattern
from ..replyheaders import find_reply_headers
from ..requests import is_request
from .base import CheckContext, Compiler, Finding

# A sentence that says the list has closed cites it as closed, not as a current listing.
_CLOSED = re.compile(
    r"\b(?:closed|shut\s*down|defunct|decommissioned|discontinued|no\s+longer|dead)\b", re.I
)
# A sentence that says the owner's listing is gone: the sender has been to the owner, and a
# block the provider still applies is the provider's to lift.
_RESOLVED = re.compile(
    r"\b(?:delisted|removed|cleared|expired|reset|no\s+longer\s+listed|not\s+listed\s+any\s*more)\b",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class ProviderCheck:
    check: str
    guards: frozenset[str]

    @classmethod
    def compile(cls, spec: ProviderDetect, compiler: Compiler) -> ProviderCheck:
        return cls(spec.check, spec.guards)

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        return list(_CHECKS[self.check](self, context, known(context)))

    def mentions(
        self, context: CheckContext, provider: Provider, guarded: bool = True
    ) -> Iterator[tuple[int, int]]:
        """The sender's own mentions of a provider by name, past the guards (or, unguarded,
        outside quoted material); not the greeting or `To:` line, which addresses it rather
        than names a listing."""
        drafted = known(context)
        skip = drafted.addressee if drafted.addressee and drafted.addressee.by != "given" else None
        text = context.document.text
        for name in provider.names:
            for start, end in _finditer(name, text):
                if skip is not None and _same_line(text, start, skip.start):
                    continue
                if (
                    self.kept(context, start, end)
                    if guarded
                    else not context.document.is_quoted(start, end)
                ):
                    yield start, end

    def kept(self, context: CheckContext, start: int, end: int) -> bool:
        span = context.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        sentence = context.matches.sentence(span)

        def asks() -> bool:
            return is_request(sentence, context.matches, context.request_frame)

        return not suppressed(self.guards, span, sentence, context.document, frozenset(), asks)


def known(context: CheckContext) -> DraftProviders:
    """The draft's provider and pasted replies, worked out once per document."""
    memo = context.matches.memo
    key = f"providers:{context.provider}"
    if key not in memo:
        memo[key] = draft_providers(context.document, load_providers(), context.provider)
    found: DraftProviders = memo[key]
    return found


def what_to_do(provider: Provider, party: str) -> str:
    """Who should write, and where, from the provider data."""
    contact = provider.contact
    if contact.channel == "recipient":
        return "ask the person you wrote to to have their mail administrators remove it"
    if contact.channel == "none":
        return "nobody should write: " + contact.note.split(". ")[0].rstrip(".").lower()
    if contact.channel == "bounce-link":
        where = "through the link in the bounce"
    else:
        where = f"({contact.channel} {contact.address})"
    return f"{PARTY_NAMES[party]} should write to {short_name(provider)} {where}"


def _wrong_recipient(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders
) -> Iterator[Finding]:
    addressee = drafted.addressee
    identified = [r for r in drafted.replies if r.owner is not None]
    if addressee is None or not identified:
        return
    if any(addressee.includes(r.owner) for r in identified):
        return  # the draft is about the addressee's own block
    reply = identified[0]
    assert reply.owner is not None
    for start, end in check.mentions(context, reply.owner, guarded=False):
        if _RESOLVED.search(_sentence_text(context, start, end)):
            return  # the owner's listing is gone; the provider still applying it is the topic
    code = code_of(reply)
    start, end = (code.start, code.end) if code else (reply.start, reply.end)
    party = reply.party or reply.owner.who_writes.party
    yield Finding(
        start,
        end,
        {
            "code": code.value if code else "this reply",
            "owner": _owner_label(reply.owner),
            "addressee": addressee.name,
            "action": what_to_do(reply.owner, party),
        },
    )


def _missing_field(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders
) -> Iterator[Finding]:
    addressee = drafted.addressee
    provider = drafted.provider()
    if addressee is None or addressee.by == "greeting" or provider is None:
        return  # only a request bound for the channel (given, or its To:) owes it the fields
    if next(find_reply_headers(context.document.text), None) is not None:
        return  # a follow-up under the provider's answer: the first request gave them
    start, end = context.document.first_line_span()
    text = without_own_addresses(context.document.text, provider)
    for field in provider.must_include:
        if field.find(text) is not None:
            continue
        if field.element is not None and not context.has_element(field.element):
            continue  # that element's own rule reports it
        details = {"provider": provider.name, "field": field.label, "hint": field.hint}
        yield Finding(start, end, {**details, "id": field.id})


def without_own_addresses(text: str, provider: Provider) -> str:
    """`text` with the provider's own addresses blanked (the To: line, "forward this to
    delist@microsoft.com" in its bounce): they are no evidence of the sender's fields."""
    providers = load_providers()

    def blank(match: re.Match[str]) -> str:
        owners = addressed_providers(match.group(), providers)
        mine = any(p.id == provider.id for p in owners)
        return " " * len(match.group()) if mine else match.group()

    return _EMAIL.sub(blank, text)


def _vague_list(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders
) -> Iterator[Finding]:
    text = context.document.text
    lowered = folded(text)
    for provider in load_providers():
        found = [
            (item, m)
            for item in provider.lists
            for p in item.patterns
            if may_match(p, text, lowered)
            for m in p.finditer(text)
        ]
        if not found:
            continue
        if any(not context.document.is_quoted(m.start(), m.end()) for _, m in found):
            continue  # the sender names the list
        found.sort(key=lambda hit: hit[1].start())
        lists = " or ".join(dict.fromkeys(item.name for item, _ in found))
        evidence = found[0][1].group()
        for start, end in check.mentions(context, provider):
            details = {"operator": provider.names[0], "lists": lists, "evidence": evidence}
            yield Finding(start, end, details)


def _obsolete_list(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders
) -> Iterator[Finding]:
    for provider in load_providers():
        if provider.obsolete is None:
            continue
        for start, end in check.mentions(context, provider):
            if _CLOSED.search(_sentence_text(context, start, end)):
                continue
            details = {
                "list": provider.names[0] if provider.names else provider.name,
                "since": provider.obsolete.since,
                "note": provider.obsolete.note,
            }
            yield Finding(start, end, details)


def _self_expiring(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders
) -> Iterator[Finding]:
    for provider in load_providers():
        if provider.expires is None:
            continue
        at = _first_evidence(check, context, drafted, provider)
        if at is not None:
            details = {"list": provider.names[0], "after": provider.expires.after}
            yield Finding(at[0], at[1], details)


def _first_evidence(
    check: ProviderCheck, context: CheckContext, drafted: DraftProviders, provider: Provider
) -> tuple[int, int] | None:
    """Where the draft shows it is about this provider's listing: a pasted reply it owns, or
    the addressee. (A mention alone may cite its lookup as reputation data.)"""
    for reply in drafted.replies:
        if reply.owner is not None and reply.owner.id == provider.id:
            code = code_of(reply)
            return (code.start, code.end) if code else (reply.start, reply.end)
    addressee = drafted.addressee
    if addressee is not None and addressee.includes(provider):
        if addressee.by == "given":
            return context.document.first_line_span()
        return addressee.start, addressee.end
    return None


def _finditer(name: str, text: str) -> Iterator[tuple[int, int]]:
    for match in word_pattern(name).finditer(text):
        yield match.span()


def _owner_label(provider: Provider) -> str:
    """A provider as a message names it: "Spamhaus"; one without names by its description."""
    if provider.names:
        return provider.names[0]
    return "the " + provider.name[:1].lower() + provider.name[1:]


def _sentence_text(context: CheckContext, start: int, end: int) -> str:
    span = context.doc.char_span(start, end, alignment_mode="expand")
    return "" if span is None else context.matches.span_text(context.matches.sentence(span))


def _same_line(text: str, a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return "\n" not in text[low:high]


_CHECKS: dict[str, Callable[[ProviderCheck, CheckContext, DraftProviders], Iterator[Finding]]] = {
    "wrong-recipient": _wrong_recipient,
    "missing-field": _missing_field,
    "vague-list": _vague_list,
    "obsolete-list": _obsolete_list,
    "self-expiring": _self_expiring,
}
