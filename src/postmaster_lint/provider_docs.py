"""The provider reference, generated from providers/*.yaml (docs/providers.md)."""

from __future__ import annotations

from .providers import PARTY_NAMES, Provider, ProviderSet

_KIND_TITLES = {
    "mailbox-provider": "Mailbox providers",
    "blocklist": "Blocklists",
}


def render_providers_markdown(providers: ProviderSet) -> str:
    out = [
        "# Provider reference",
        "",
        "<!-- Generated from providers/*.yaml by `postmaster-lint providers --format markdown`. "
        "Do not edit by hand. -->",
        "",
        "What `postmaster-lint bounce` and `postmaster-lint new` know about each mailbox provider",
        "and blocklist: how its replies are recognised, what its codes mean and whose block each",
        "one is, where to write and who should, what the request must carry, and what not to do.",
        "Each fact is followed by its sources.",
        "",
        "`postmaster-lint bounce --format json` prints a list with one object per reply:",
        "`text`, `line`, `start`, `end` (offsets into the input), `provider` and `belongs_to`",
        "(`id`, `name`, `kind`, or null), `codes` (`reply`, `enhanced`, `provider`), `ips`,",
        "`hosts`, `meaning`, `contact` (`channel`, `address`, `note`), `who_writes` (`party`,",
        "`note`), `must_include` (`id`, `label`, `hint`, `element`), `avoid`, `obsolete`, `date`,",
        "`recipient`, `remote_mta` and `sources`. Contact, who writes, fields and advice are those",
        "of whoever owns the block (`belongs_to` when it is set).",
        "",
        "| id | name | kind | channel | who writes |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| [{p.id}](#{p.id}) | {p.name} | {p.kind} | {p.contact.channel} | "
        f"{PARTY_NAMES[p.who_writes.party]} |"
        for p in providers
    ]
    for kind, title in _KIND_TITLES.items():
        members = [p for p in providers if p.kind == kind]
        if members:
            out += ["", f"## {title}"]
            for provider in members:
                out += _section(provider)
    return "\n".join(out) + "\n"


def _cite(keys: tuple[str, ...]) -> str:
    return " ".join(f"[{k}]" for k in keys)


def _section(p: Provider) -> list[str]:
    lines = ["", f'<a id="{p.id}"></a>', "", f"### {p.name} (`{p.id}`)", ""]
    if p.obsolete:
        lines += [
            f"**Obsolete since {p.obsolete.since}.** {p.obsolete.note} {_cite(p.obsolete.sources)}",
            "",
        ]
    address = f" <{p.contact.address}>" if p.contact.address else ""
    lines += [
        f"- **Write to** ({p.contact.channel}){address}: {p.contact.note} "
        f"{_cite(p.contact.sources)}",
        f"- **Who writes**: {PARTY_NAMES[p.who_writes.party]}. {p.who_writes.note} "
        f"{_cite(p.who_writes.sources)}",
        "- **Recognised by**: " + ", ".join(f"{r.by} `{r.pattern.pattern}`" for r in p.recognisers),
    ]
    if p.names:
        lines.append("- **Addressed as** (greeting, `To:`): " + ", ".join(p.names))
    if p.expires:
        lines.append(
            f"- **Expires by itself**: {p.expires.after}. {p.expires.note} "
            f"{_cite(p.expires.sources)}"
        )
    if p.lists:
        lines.append(
            "- **Lists** (name the one that matters): "
            + ", ".join(f"{item.name} {_cite(item.sources)}" for item in p.lists)
        )
    if p.codes:
        lines += ["", "| code | meaning | belongs to |", "|---|---|---|"]
        for code in p.codes.values():
            owner = code.belongs_to or ""
            lines.append(f"| `{code.code}` | {code.meaning} {_cite(code.sources)} | {owner} |")
    if p.must_include:
        lines += ["", "The request must carry:", ""]
        lines += [
            f"- {f.label} (`{f.id}`{', ' + f.element if f.element else ''}): {f.hint} "
            f"{_cite(f.sources)}"
            for f in p.must_include
        ]
    if p.avoid:
        lines += ["", "Avoid:", ""]
        lines += [f"- {a.text} {_cite(a.sources)}" for a in p.avoid]
    lines += ["", "Sources:", ""]
    lines += [
        f"- [{s.key}] <{s.url}>" + (f" ({s.note})" if s.note else "") for s in p.sources.values()
    ]
    return lines
