"""`postmaster-lint bounce FILE`: what a rejection says, whose it is, and where to write."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..bounces import Reply
from ..errors import InputError
from ..inputs import DEFAULT_MAX_BYTES, read_draft
from ..ndr import read_bounce
from ..providers import Provider


def read_replies(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, list[Reply]]:
    """(display name, text, replies) of a bounce file or stdin; InputError when it holds no
    SMTP reply."""
    draft = read_draft(path, max_bytes)
    replies = read_bounce(draft.text, draft.path)
    if not replies:
        raise InputError(
            "no SMTP reply found (paste the rejection line, a log line or the NDR)", draft.path
        )
    return draft.path, draft.text, replies


def describe(reply: Reply, text: str) -> dict[str, Any]:
    """One reply as a JSON-ready mapping (docs/providers.md documents the keys)."""
    owner = reply.owner
    line = text.count("\n", 0, reply.start) + 1
    return {
        "text": reply.text,
        "line": line,
        "start": reply.start,
        "end": reply.end,
        "provider": _summary(reply.provider),
        "belongs_to": _summary(owner)
        if owner is not None and owner is not reply.provider
        else None,
        "codes": {
            "reply": reply.reply_code.value if reply.reply_code else None,
            "enhanced": reply.enhanced_code.value if reply.enhanced_code else None,
            "provider": [c.value for c in reply.provider_codes],
        },
        "ips": list(reply.ips),
        "hosts": list(reply.hosts),
        "meaning": reply.meaning(),
        "contact": (
            {
                "channel": owner.contact.channel,
                "address": owner.contact.address,
                "note": owner.contact.note,
            }
            if owner
            else None
        ),
        "who_writes": ({"party": reply.party, "note": owner.who_writes.note} if owner else None),
        "must_include": [
            {"id": f.id, "label": f.label, "hint": f.hint, "element": f.element}
            for f in (owner.must_include if owner else ())
        ],
        "avoid": [a.text for a in (owner.avoid if owner else ())],
        "obsolete": (
            {"since": owner.obsolete.since, "note": owner.obsolete.note}
            if owner and owner.obsolete
            else None
        ),
        "date": reply.date,
        "recipient": reply.recipient,
        "remote_mta": reply.remote_mta,
        "sources": _sources(reply),
    }


def _summary(provider: Provider | None) -> dict[str, str] | None:
    if provider is None:
        return None
    return {"id": provider.id, "name": provider.name, "kind": provider.kind}


def _sources(reply: Reply) -> list[str]:
    """The addresses of the sources behind what is printed about this reply."""
    keys: list[tuple[Provider, str]] = []
    owner = reply.owner
    if reply.known is not None and reply.provider is not None:
        keys += [(reply.provider, k) for k in reply.known.sources]
    if owner is not None:
        keys += [(owner, k) for k in (*owner.contact.sources, *owner.who_writes.sources)]
        keys += [(owner, k) for f in owner.must_include for k in f.sources]
        keys += [(owner, k) for a in owner.avoid for k in a.sources]
    return list(dict.fromkeys(provider.sources[k].url for provider, k in keys))


def render_json(text: str, replies: list[Reply]) -> str:
    return json.dumps([describe(r, text) for r in replies], indent=2, ensure_ascii=False) + "\n"


def render_text(name: str, text: str, replies: list[Reply]) -> str:
    out: list[str] = []
    for index, reply in enumerate(replies, 1):
        data = describe(reply, text)
        if out:
            out.append("")
        out.append(f"{name}:{data['line']}: reply {index} of {len(replies)}")
        out.append("  " + _shorten(reply.text, 100))
        codes = data["codes"]
        shown = [c for c in (codes["reply"], codes["enhanced"], *codes["provider"]) if c]
        out += _row("codes", " ".join(shown) or "-")
        if reply.ips:
            out += _row("IP", ", ".join(reply.ips))
        if reply.hosts:
            out += _row("host", ", ".join(reply.hosts))
        if reply.remote_mta:
            out += _row("answered by", reply.remote_mta)
        if reply.date:
            out += _row("date", reply.date)
        provider = reply.provider
        out += _row(
            "provider",
            f"{provider.name} ({provider.id}, {provider.kind})" if provider else "not recognised",
        )
        out += _row("meaning", data["meaning"])
        owner = reply.owner
        if owner is None:
            continue
        if owner is not provider:
            out += _row("belongs to", f"{owner.name} ({owner.id}, {owner.kind})")
        if owner.obsolete:
            out += _row("obsolete", f"since {owner.obsolete.since}: {owner.obsolete.note}")
        where = owner.contact.channel + (
            f" {owner.contact.address}" if owner.contact.address else ""
        )
        out += _row("write to", f"{where}. {owner.contact.note}")
        out += _row("who writes", f"{reply.party}. {owner.who_writes.note}")
        for field in owner.must_include:
            out += _row("include", f"{field.label} ({field.hint})")
        for advice in owner.avoid:
            out += _row("avoid", advice.text)
    return "\n".join(out) + "\n"


def _row(label: str, value: str) -> list[str]:
    lines = textwrap.wrap(value, 84) or [""]
    first = f"  {label + ':':<13}{lines[0]}"
    return [first] + [" " * 15 + line for line in lines[1:]]


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."
