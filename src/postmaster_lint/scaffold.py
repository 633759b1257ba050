"""Draft scaffolds (`postmaster-lint new --bounce FILE`): a request to whoever owns the block the
bounce names, with the bounce quoted, the IP, code and date filled in, a line for each required
element and for each field the provider's channel asks for, and a fill-in marker,
`[[FILL IN: name — what to write]]`, for everything only the sender knows.

The words before the dash name the marker: a marker named for a required element ("steps
taken", "results") supplies it (placeholders.py), and PM303 unfilled-placeholder reports every
marker left in a draft. The scaffold itself commits no pitfall (tested).
"""

from __future__ import annotations

import datetime
import email.utils
import re
from dataclasses import dataclass

from .bounces import Reply
from .errors import UserError
from .providers import Provider

FORMATS = ("txt", "md", "j2")
MARKER = "[[FILL IN: {name}{hint}]]"
MARKER_PATTERN = re.compile(r"\[\[[ \t]*FILL[ \t]+IN:[ \t]*([^\]\n—]*?)[ \t]*(?:—[^\]\n]*)?\]\]")


def marker(name: str, hint: str = "") -> str:
    return MARKER.format(name=name, hint=f" — {hint}" if hint else "")


@dataclass(frozen=True)
class Line:
    kind: str  # "subject", "text", "quote", "field", "blank", "note"
    text: str
    label: str = ""


def build(replies: list[Reply]) -> list[Line]:
    """The scaffold's lines for the first reply that names a provider (else the first one)."""
    reply = next((r for r in replies if r.owner is not None), replies[0])
    owner = reply.owner
    if owner is not None and owner.contact.channel == "none":
        raise UserError(f"{owner.name}: do not write. {owner.contact.note}")
    ip = reply.ips[0] if reply.ips else None
    codes = " ".join(c.value for c in reply.codes)
    when = _day(reply.date)
    subject = f"Mail from {ip} rejected with {codes}" if ip else f"Mail rejected with {codes}"
    lines = [Line("subject", subject)]
    if owner is not None:
        lines.append(Line("note", _channel_note(reply, owner)))
    lines += [Line("blank", ""), Line("text", _greeting(reply)), Line("blank", "")]
    since = when or marker("date", "when the first rejection came")
    source = f"our mail from {ip}" if ip else "our mail"
    if reply.provider is not None and owner is not None and owner is not reply.provider:
        lines.append(
            Line(
                "text",
                f"Since {since}, {source} to {reply.provider.name} recipients is rejected with "
                f"this reply, which cites {owner.name}:",
            )
        )
    else:
        lines.append(Line("text", f"Since {since}, {source} is rejected with:"))
    lines.append(Line("blank", ""))
    lines += [Line("quote", r.text) for r in _distinct(replies)]
    lines.append(Line("blank", ""))
    lines.append(
        Line("field", ip or marker("sending IP", "every IP that gets the error"), "Sending IP")
    )
    lines.append(
        Line("field", marker("sending domain", "the domain in your From address"), "Sending domain")
    )
    for field in owner.must_include if owner else ():
        if field.element is None:
            lines.append(Line("field", marker(field.label, field.hint), field.label))
    lines += [
        Line("blank", ""),
        Line(
            "field",
            marker("steps taken", "what caused it, what you changed, and the date of each step"),
            "What we found and fixed",
        ),
        Line("blank", ""),
        Line(
            "field",
            marker("results", "numbers before and after the fix, such as the complaint rate"),
            "Results since the fix",
        ),
        Line("blank", ""),
        Line(
            "field",
            marker(
                "reputation data", "what SNDS, Postmaster Tools, Talos or Sender Score show now"
            ),
            "Reputation data",
        ),
        Line("blank", ""),
        Line(
            "field",
            marker("prevention", "what keeps it from happening again"),
            "Going forward",
        ),
        Line("blank", ""),
        Line(
            "text", f"Could you review the block on {ip or 'our mail'} now that the cause is fixed?"
        ),
        Line("blank", ""),
        Line("text", "Thank you,"),
        Line("text", marker("your name and organisation")),
    ]
    return lines


def _greeting(reply: Reply) -> str:
    owner = reply.owner
    if owner is None or owner.contact.channel == "recipient":
        return f"Hello {marker('name of the person you write to')},"
    return f"Hello {owner.name} team,"


def _channel_note(reply: Reply, owner: Provider) -> str:
    where = owner.contact.channel + (f" {owner.contact.address}" if owner.contact.address else "")
    party = reply.party or owner.who_writes.party
    return f"postmaster-lint: send to {owner.name} ({where}); who writes: {party}."


def _distinct(replies: list[Reply]) -> list[Reply]:
    seen: dict[str, Reply] = {}
    for reply in replies:
        seen.setdefault(" ".join(reply.text.split()), reply)
    return list(seen.values())


def _day(raw: str | None) -> str | None:
    """A bounce date as "14 May 2024" (a log date without a year: "3 Jun")."""
    if not raw:
        return None
    parsed: datetime.datetime | None = None
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.datetime.fromisoformat(raw.strip().replace(" ", "T"))
        except ValueError:
            syslog = re.match(r"([A-Z][a-z]{2})\s+(\d{1,2})\b", raw)
            return f"{int(syslog.group(2))} {syslog.group(1)}" if syslog else raw.strip()
    return f"{parsed.day} {parsed:%B %Y}"


def render(lines: list[Line], output_format: str) -> str:
    if output_format not in FORMATS:
        raise UserError(f"unknown format {output_format!r}")
    out: list[str] = []
    for line in lines:
        out.append(_render_line(line, output_format))
    text = "\n".join(part for part in out if part is not None)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _render_line(line: Line, output_format: str) -> str:
    if line.kind == "subject":
        return (
            f"---\nsubject: {line.text}\n---" if output_format == "md" else f"Subject: {line.text}"
        )
    if line.kind == "note":
        if output_format == "md":
            return f"<!-- {line.text} -->"
        if output_format == "j2":
            return f"{{# {line.text} #}}"
        return ""  # plain text has no comments: the CLI prints the note on stderr
    if line.kind == "quote":
        return "\n".join("> " + part for part in line.text.splitlines())
    if line.kind == "field":
        label = f"**{line.label}:**" if output_format == "md" else f"{line.label}:"
        return f"{label} {line.text}"
    return line.text
