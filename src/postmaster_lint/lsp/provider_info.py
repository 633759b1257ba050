"""What the editor shows about the draft's provider: the meaning of each code in the pasted
bounce and where to write (hover), and the fields the provider asks for (a quick fix inserts
the ones PM402 reports missing, as labeled lines)."""

from __future__ import annotations

from dataclasses import dataclass

from ..bounces import Code, Reply
from ..checks.provider import what_to_do
from ..diagnostics import Diagnostic
from ..draft_provider import draft_providers
from ..providers import PARTY_NAMES, Field, Provider, load_providers
from ..readers import read_document

FIELD_RULE = "PM402"


@dataclass(frozen=True)
class CodeNote:
    """A code in a pasted reply, where it is in the source (1-based), and what it means."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    text: str  # Markdown for a hover


@dataclass(frozen=True)
class ProviderInfo:
    provider: Provider | None  # the one provider the draft is for, if known
    codes: tuple[CodeNote, ...] = ()


def provider_info(path: str, source: str, given: str | None) -> ProviderInfo:
    document = read_document(source, path)
    drafted = draft_providers(document, load_providers(), given)
    notes = []
    for reply in drafted.replies:
        if reply.provider is None:
            continue
        for code in reply.codes:
            if code.kind == "reply":
                continue  # "550" says little; the enhanced and provider codes say what it is
            start, end = document.source_span(code.start, code.end)
            first, last = document.position(start), document.position(end)
            notes.append(
                CodeNote(
                    first.line,
                    first.column,
                    last.line,
                    last.column,
                    start,
                    end,
                    code_text(code, reply),
                )
            )
    return ProviderInfo(drafted.provider(), tuple(notes))


def code_text(code: Code, reply: Reply) -> str:
    """The hover for a code: what it means, whose block it is, who writes and where."""
    assert reply.provider is not None
    owner = reply.owner or reply.provider
    party = reply.party or owner.who_writes.party
    parts = [f"**{code.value}** ({reply.provider.name}): {reply.meaning()}"]
    if owner.id != reply.provider.id:
        parts.append(f"The block belongs to **{owner.name}**, not {reply.provider.name}.")
    parts.append(f"Who writes: {PARTY_NAMES[party]}. Where: {what_to_do(owner, party)}.")
    if owner.contact.note:
        parts.append(owner.contact.note)
    return "\n\n".join(parts)


def missing_fields(info: ProviderInfo, found: list[Diagnostic]) -> list[Field]:
    """The provider's fields that the PM402 findings name, in the provider's order."""
    if info.provider is None:
        return []
    messages = [d.message for d in found if d.rule == FIELD_RULE]
    return [f for f in info.provider.must_include if any(f": {f.label} (" in m for m in messages)]


def field_lines(fields: list[Field]) -> str:
    """The labeled lines a quick fix inserts, one per field, for the sender to fill in."""
    return "".join(f"{field.label}: <{field.hint}>\n" for field in fields)
