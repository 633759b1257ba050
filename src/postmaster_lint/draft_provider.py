"""Which provider a draft is for, and the replies pasted in it.

The provider is given (`--provider`, or `provider:` in the configuration) or recognised: from
the draft's `To:` header or greeting ("Dear Spamhaus team", To: postmaster@comcast.net), else
from the bounce pasted in it (whose block it is). Given beats recognised. Every offset is into
the document's text, so checks and the language server can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .bounces import Code, Reply, recognise
from .document import Document
from .providers import Provider, ProviderSet
from .replyheaders import find_reply_headers

# A greeting line: "Dear ...", "Hello ...", "Hi ...", "Good morning ...", "To the ... team".
_GREETING = re.compile(
    r"(?:dear|hello|hi|hey|greetings|good\s+(?:morning|afternoon|evening|day)|to\s+the)\b",
    re.IGNORECASE,
)
_TO = re.compile(r"To:[ \t]*(?P<value>\S[^\n]*)", re.IGNORECASE)
_HEADER = re.compile(r"(?:To|Cc|From|Subject|Date|Re|Fwd?):", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+-]+@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
_TOP_LINES = 8  # a greeting or To: header further down is not the draft's


@dataclass(frozen=True)
class Addressee:
    """Who the draft is written to. `providers` holds more than one when a name is shared
    ("Dear Microsoft": Outlook.com and Microsoft 365); `by` is "given", "to" or "greeting"."""

    providers: tuple[Provider, ...]
    by: str
    start: int = 0
    end: int = 0
    said: str = ""  # the name as the greeting wrote it ("Microsoft")

    @property
    def name(self) -> str:
        return self.said or " or ".join(short_name(p) for p in self.providers)

    def includes(self, provider: Provider | None) -> bool:
        return provider is not None and any(p.id == provider.id for p in self.providers)


@dataclass(frozen=True)
class DraftProviders:
    addressee: Addressee | None
    replies: tuple[Reply, ...]

    def provider(self) -> Provider | None:
        """The one provider the draft is for: the addressee (narrowed by the pasted replies
        when its name is shared), else the one owner of every identified pasted reply."""
        owners = [r.owner for r in self.replies if r.owner is not None]
        if self.addressee is not None:
            candidates = self.addressee.providers
            if len(candidates) > 1:
                seen = {p.id for r in self.replies for p in (r.provider, r.owner) if p}
                candidates = tuple(p for p in candidates if p.id in seen)
            return candidates[0] if len(candidates) == 1 else None
        ids = {owner.id for owner in owners}
        return owners[0] if len(ids) == 1 else None


def draft_providers(
    document: Document, providers: ProviderSet, given: str | None
) -> DraftProviders:
    # The bounce pasted in the draft, not the thread quoted under a reply or forward header.
    header = next(find_reply_headers(document.text), None)
    thread = header.start if header is not None else len(document.text)
    replies = tuple(r for r in recognise(document.text, providers) if r.start < thread)
    if given is not None:
        addressee: Addressee | None = Addressee((providers.resolve(given),), "given")
    else:
        addressee = recognise_addressee(document, providers)
    return DraftProviders(addressee, replies)


def recognise_addressee(document: Document, providers: ProviderSet) -> Addressee | None:
    """The provider a `To:` header or the greeting at the top of the draft names."""
    for start, end in _top_lines(document):
        line = document.text[start:end]
        to = _TO.match(line)
        if to is not None:
            found = addressed_providers(to.group("value"), providers)
            if found:
                return Addressee(found, "to", start + to.start("value"), end)
            continue
        if _HEADER.match(line):
            continue
        greeting = _GREETING.match(line)
        if greeting is None:
            return None  # the first line of prose is not a greeting: nobody is addressed
        head = line.split(",", 1)[0]
        found, at = _by_name(head, providers)
        if found:
            said = head[at[0] : at[1]]
            return Addressee(found, "greeting", start + at[0], start + at[1], said)
        return None
    return None


def _top_lines(document: Document) -> Iterator[tuple[int, int]]:
    """The first non-blank lines the sender wrote, as text offsets."""
    offset = 0
    seen = 0
    for line in document.text.split("\n"):
        start, end = offset, offset + len(line.rstrip("\r"))
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        if document.is_quoted(start + lead, end):
            continue
        yield start + lead, end
        seen += 1
        if seen >= _TOP_LINES:
            return


def _by_name(text: str, providers: ProviderSet) -> tuple[tuple[Provider, ...], tuple[int, int]]:
    """The providers whose name comes first (and longest) in `text`, and its span."""
    hits = [(m.start(), -m.end(), p) for p in providers for m in [p.named_in(text)] if m]
    if not hits:
        return (), (0, 0)
    best = min((start, end) for start, end, _ in hits)
    found = tuple(p for start, end, p in hits if (start, end) == best)
    return found, (best[0], -best[1])


def addressed_providers(value: str, providers: ProviderSet) -> tuple[Provider, ...]:
    """The providers an address names: its contact address, or a name in its domain."""
    for match in _ADDRESS.finditer(value):
        address = match.group().lower()
        exact = tuple(
            p for p in providers if p.contact.address and p.contact.address.lower() == address
        )
        if exact:
            return exact
        labels = set(match.group("domain").lower().split("."))
        named = tuple(
            p for p in providers if any(_squash(n) in labels for n in p.names if _squash(n))
        )
        if named:
            return named
    return ()


def _squash(name: str) -> str:
    """A name as it appears in a domain label: "WEB.DE" -> "web", "AT&T" -> "att"."""
    return re.sub(r"[^a-z0-9]", "", name.lower().split(".")[0])


def short_name(provider: Provider) -> str:
    """What a message calls it: its first name ("Comcast"), else its full name."""
    return provider.names[0] if provider.names else provider.name


def code_of(reply: Reply) -> Code | None:
    """The code in a reply that says whose block it is: its known code, else its first."""
    if reply.known is not None:
        key = reply.known.code.lower()
        for code in reply.codes:
            value = code.value.lower()
            if value == key or (value.startswith(key) and code.kind == "provider"):
                return code
    codes = reply.provider_codes or reply.codes
    return codes[0] if codes else None
