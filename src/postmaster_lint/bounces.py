"""Find SMTP replies in text and say whose they are.

`recognise(text)` finds every rejection or deferral in a pasted bounce, a log or a draft: its
basic reply code (550), enhanced status code (5.7.1), the provider's own codes (S3150, TSS04,
BL000001), the IPs and host names it names, and, from the provider data, which provider or
blocklist sent it, what the known code means and whose block it really is (a Comcast BL000001
belongs to Spamhaus). Every span is a character offset into `text`, so lint rules and the
language server can point at it.

A reply starts at a 4xx/5xx code where a reply begins (line start, after `said:`, `; ` or a
label), at an enhanced status code, or at a provider code. It runs to the end of its line, over
`550-` continuation lines, and over wrapped lines until a blank line, a log line, a header field
or the next reply.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .literals import folded, may_match
from .providers import RECOGNISE_KEYS, KnownCode, Provider, ProviderSet, load_providers

_BASIC = re.compile(
    r"(?:^|(?<=[:;(\[\"'])|(?<=said:)|(?<=\s-))[ \t>]*(?P<code>[45][0-5]\d)(?P<sep>-|[ \t]|$)",
    re.M,
)
_ENHANCED = re.compile(r"(?<![\w.])([45])\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?![\w]|\.\d)")
# The same two without their leading look-behinds, for the pre-filter (_code_starts): they
# match wherever the originals do, and Python's re scans for them ten times faster.
_BASIC_LOOSE = re.compile(r"[45][0-5]\d(?:-|[ \t]|$)", re.M)
_ENHANCED_LOOSE = re.compile(r"[45]\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})")
_IPV4 = re.compile(
    r"(?<![\w.])(?<!\s-\s)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w]|\.\d)"
)
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}(?::|[0-9a-fA-F]{1,4})(?![\w:])")
_HOST = re.compile(
    r"(?<![\w@/.:-])(?![45]\d\d-)(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![\w@/-]|\.\w)"
)
_LOG_LINE = re.compile(
    r"^(?:[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d)"
)
_FIELD = re.compile(r"^[A-Za-z][\w-]{0,40}:[ \t]")
_IN_REPLY_TO = re.compile(r"\s*\(in (?:reply|response) to\b[^)]*\)\)?\s*$", re.I)
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)*")
# RFC 3463 subjects, for replies from no known provider.
_SUBJECTS = {
    "0": "other or undefined status",
    "1": "addressing status",
    "2": "mailbox status",
    "3": "mail system status",
    "4": "network and routing status",
    "5": "mail delivery protocol status",
    "6": "message content or media status",
    "7": "security or policy status",
}
_SPECIFIC = {
    "7.1": "delivery not authorised, message refused",
    "7.23": "SPF validation failed",
    "7.25": "reverse DNS validation failed",
    "7.26": "multiple authentication checks failed",
    "7.28": "mail flood detected",
}


@dataclass(frozen=True)
class Code:
    kind: str  # "reply" (550), "enhanced" (5.7.1) or "provider" (S3150, zen.spamhaus.org)
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """What identified the provider: which kind of pattern, and the text it matched."""

    by: str  # one of RECOGNISE_KEYS
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reply:
    text: str
    start: int
    end: int
    reply_code: Code | None
    enhanced_code: Code | None
    provider_codes: tuple[Code, ...]
    ips: tuple[str, ...]
    hosts: tuple[str, ...]
    provider: Provider | None = None
    known: KnownCode | None = None  # the provider's entry for a code in this reply
    owner: Provider | None = None  # whose block it is: `known.belongs_to`, else the provider
    evidence: tuple[Evidence, ...] = ()
    # From a log line or a DSN, when they say:
    date: str | None = None
    recipient: str | None = None
    remote_mta: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def codes(self) -> tuple[Code, ...]:
        return tuple(c for c in (self.reply_code, self.enhanced_code) if c) + self.provider_codes

    @property
    def party(self) -> str | None:
        """Who should write: the known code's party, else the owner's."""
        if self.known is not None and self.known.party:
            return self.known.party
        return self.owner.who_writes.party if self.owner else None

    def meaning(self) -> str:
        if self.known is not None:
            return self.known.meaning
        return generic_meaning(self.enhanced_code.value if self.enhanced_code else None, self)


def generic_meaning(enhanced: str | None, reply: Reply | None = None) -> str:
    basic = reply.reply_code.value if reply and reply.reply_code else None
    first = enhanced[0] if enhanced else (basic[0] if basic else None)
    severity = {"4": "temporary failure (retry later)", "5": "permanent failure"}.get(
        first or "", "failure"
    )
    if not enhanced:
        return f"A {severity}; the text of the reply is all there is to go on."
    _, subject, detail = enhanced.split(".")
    what = _SPECIFIC.get(f"{subject}.{detail}") or _SUBJECTS.get(subject, "unregistered status")
    return f"A {severity}: {what} ({enhanced}, RFC 3463)."


def recognise(text: str, providers: ProviderSet | None = None) -> list[Reply]:
    """Every SMTP reply in `text`, identified against the provider data (default: built in)."""
    data = providers if providers is not None else load_providers()
    return [identify(reply, data) for reply in find_replies(text, data)]


def find_replies(text: str, providers: ProviderSet) -> list[Reply]:
    code_patterns = [r.pattern for p in providers for r in p.recognisers if r.by == "codes"]
    replies = []
    for start, end in _reply_spans(text, code_patterns):
        replies.append(_parse(text, start, end))
    return replies


def _lines(text: str) -> Iterator[tuple[int, int]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)


def _start_in(line: str, code_patterns: list[re.Pattern[str]]) -> int | None:
    """Where a reply starts in this line, if one does."""
    # A basic code wins: on a log line "dsn=5.0.0" comes before "said: 550 5.7.1 ...".
    found = [m.start("code") for m in [_BASIC.search(line)] if m]
    if not found:
        found = [m.start() for m in [_ENHANCED.search(line)] if m]
        found += [m.start() for p in code_patterns for m in [p.search(line)] if m]
    if not found:
        return None
    first = min(found)
    body = _QUOTE.match(line)
    quote_end = body.end() if body else 0
    # A reply that is the whole line starts at its beginning (after any quote marks): its
    # label ("Diagnostic-Code: smtp;") is not part of it, but "[TSS04] Messages from" is.
    label = re.match(r"[ \t>]*[A-Za-z][\w -]{0,40}:[ \t]*(?:smtp;[ \t]*)?", line)
    if label and label.end() <= first:
        return max(first, label.end()) if _BASIC.match(line, label.end()) else first
    return quote_end if _LOG_LINE.match(line) is None and first >= quote_end else first


# Every line break `str.splitlines` knows, each one character ("\r\n" is two of them).
_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\n"))


def _code_starts(text: str, code_patterns: list[re.Pattern[str]]) -> list[int]:
    """Offsets near which a reply can start in `text`, sorted. A line holds a reply only if
    one of these falls inside it. Each pattern here matches wherever the line search's does:
    at a line break (made "\\n" here, keeping offsets) a pattern sees what it sees at the
    start or end of a string, and the leading look-behinds and word boundaries are dropped,
    which only widens a pattern; none of them reaches across a line break. One pass over the
    draft is much cheaper than every pattern on every line."""
    flat = text.translate(_LINE_BREAKS)
    starts: set[int] = set()
    for pattern in (_BASIC_LOOSE, _ENHANCED_LOOSE, *map(_loose, code_patterns)):
        found = pattern.search(flat)
        while found is not None:
            starts.add(found.start())
            found = pattern.search(flat, found.start() + 1)
    return sorted(starts)


@functools.lru_cache(maxsize=256)
def _loose(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` without a leading word boundary (re scans far faster for a literal)."""
    if pattern.pattern.startswith(r"\b"):
        return re.compile(pattern.pattern[2:], pattern.flags)
    return pattern


def _reply_spans(
    text: str, code_patterns: list[re.Pattern[str]], prefilter: bool = True
) -> Iterator[tuple[int, int]]:
    """Where each reply is. `prefilter=False` tries every line (the reference the
    pre-filtered path is tested against)."""
    current: tuple[int, int] | None = None
    multiline: str | None = None  # "550" while inside a 550- continuation
    starts = _code_starts(text, code_patterns) if prefilter else None

    def start_in(line_start: int, line_end: int) -> int | None:
        if starts is not None:
            at = bisect.bisect_left(starts, line_start)
            if at == len(starts) or starts[at] > line_end:
                return None
        return _start_in(text[line_start:line_end], code_patterns)

    for line_start, line_end in _lines(text):
        line = text[line_start:line_end]
        stripped = _QUOTE.sub("", line, count=1)
        if current is not None:
            continued = multiline is not None and re.match(rf"{multiline}[ -]", stripped)
            wrapped = (
                stripped.strip()
                and not _LOG_LINE.match(stripped)
                and not _FIELD.match(stripped)
                and start_in(line_start, line_end) is None
                and not re.search(r"[.)\]>]\s*$", text[current[0] : current[1]])
            )
            if continued or wrapped:
                current = (current[0], line_end)
                multiline = multiline if continued and stripped[3:4] == "-" else None
                continue
            yield current
            current = None
            multiline = None
        start = start_in(line_start, line_end)
        if start is None:
            continue
        current = (line_start + start, line_end)
        basic = _BASIC.match(line, start)
        multiline = basic.group("code") if basic and basic.group("sep") == "-" else None
    if current is not None:
        yield current


def _parse(text: str, start: int, end: int) -> Reply:
    chunk = text[start:end]
    # A log line wraps the reply: "... said: 550 ... (in reply to RCPT TO command))".
    trailer = _IN_REPLY_TO.search(chunk)
    if trailer and trailer.start() > 0:
        chunk = chunk[: trailer.start()]
    while chunk.endswith(")") and chunk.count(")") > chunk.count("("):
        chunk = chunk[:-1].rstrip()
    end = start + len(chunk)
    basic = _BASIC.search(chunk)
    enhanced = _ENHANCED.search(chunk)
    ips = tuple(
        dict.fromkeys(m.group() for m in _IPV4.finditer(chunk) if not m.group().startswith("127."))
    )
    ips += tuple(dict.fromkeys(m.group() for m in _IPV6.finditer(chunk)))
    hosts = tuple(
        dict.fromkeys(
            m.group().lower() for m in _HOST.finditer(chunk) if not _IPV4.fullmatch(m.group())
        )
    )
    return Reply(
        text=chunk,
        start=start,
        end=end,
        reply_code=Code(
            "reply", basic.group("code"), start + basic.start("code"), start + basic.end("code")
        )
        if basic
        else None,
        enhanced_code=Code(
            "enhanced", enhanced.group(), start + enhanced.start(), start + enhanced.end()
        )
        if enhanced
        else None,
        provider_codes=(),
        ips=ips,
        hosts=hosts,
    )


def identify(reply: Reply, providers: ProviderSet, context: str = "") -> Reply:
    """The reply with its provider, known code and owner filled in. `context` (a DSN's
    Remote-MTA, a log line's relay host) is searched by host patterns too."""
    best: tuple[tuple[int, int, int], Provider, list[Evidence], list[Code]] | None = None
    text = reply.text
    lowered = folded(text)
    for provider in providers:
        evidence: list[Evidence] = []
        codes: list[Code] = []
        for recogniser in provider.recognisers:
            pattern = recogniser.pattern
            found = pattern.finditer(text) if may_match(pattern, text, lowered) else iter(())
            for m in found:
                at = reply.start
                evidence.append(Evidence(recogniser.by, m.group(), at + m.start(), at + m.end()))
                if recogniser.by in ("codes", "zones"):
                    group = 1 if recogniser.pattern.groups else 0
                    value = m.group(group) if recogniser.by == "codes" else m.group().lower()
                    codes.append(Code("provider", value, at + m.start(group), at + m.end(group)))
            if recogniser.by == "hosts" and context and recogniser.pattern.search(context):
                evidence.append(Evidence("hosts", context, -1, -1))
        if not evidence:
            continue
        rank = min(RECOGNISE_KEYS.index(e.by) for e in evidence)
        score = (rank, -len(evidence), min(e.start for e in evidence))
        if best is None or score < best[0]:
            best = (score, provider, evidence, codes)
    if best is None:
        return reply
    _, provider, evidence, codes = best
    enhanced = reply.enhanced_code.value if reply.enhanced_code else None
    unique = [
        c
        for c in dict((c.value, c) for c in sorted(codes, key=lambda c: c.start)).values()
        if c.value != enhanced
    ]
    known = _known(
        provider,
        [c.value for c in codes]
        + [v for v in (enhanced, reply.reply_code and reply.reply_code.value) if v],
    )
    owner = providers.get(known.belongs_to) if known and known.belongs_to else provider
    return replace(
        reply,
        provider_codes=tuple(unique),
        provider=provider,
        known=known,
        owner=owner or provider,
        evidence=tuple(evidence),
    )


def _known(provider: Provider, values: list[str]) -> KnownCode | None:
    for value in values:
        for key in (value, value.lower(), re.sub(r"\d+$", "", value)):
            if key in provider.codes:
                return provider.codes[key]
    return None
