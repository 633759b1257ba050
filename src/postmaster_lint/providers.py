"""What postmaster-lint knows about mailbox providers and blocklists: one YAML file per provider
under `providers/`, loaded and validated strictly like the rules (file and line on error).

A provider file says how to recognise its replies (code shapes, host names, lookup URLs, zone
names), what each known code means and whose block it really is (`belongs_to`: a Comcast
BL000001 is a Spamhaus listing), where to write and who should, the fields that channel
requires (each with a way to find it in a draft), what the channel says not to do, and the
source of every one of those facts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OptionError, ProviderError, did_you_mean
from .located import LocatedDict
from .schema import check_keys, mapping_field, string_field, string_list

KINDS = ("mailbox-provider", "blocklist")
# Who should send the request: the sender itself, the ISP or host that owns the IP, the
# recipient organisation (its own block list), or the ESP whose shared IP it is.
PARTY_NAMES = {
    "sender": "the sender",
    "ip-owner": "the ISP or host that owns the IP",
    "recipient-organisation": "the recipient organisation",
    "esp": "the email service provider",
}
PARTIES = tuple(PARTY_NAMES)
# How to reach it: a web form, an email address, a portal, the link in the bounce itself,
# through the recipient, or not at all (the listing expires; the list is gone).
CHANNELS = ("form", "email", "portal", "bounce-link", "recipient", "none")
# The required elements of rules/required (tested equal), which a provider field may restate.
ELEMENTS = (
    "smtp-code",
    "remediation-steps",
    "results",
    "reputation-data",
    "prevention-plan",
    "sending-identity",
)
# What a reply can be recognised by, most specific first (the order ranks competing providers).
RECOGNISE_KEYS = ("codes", "hosts", "urls", "zones", "text")
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_KEYS = ("id", "name", "kind", "recognise", "contact", "who_writes", "sources")
_OPTIONAL = ("codes", "must_include", "avoid", "obsolete", "names", "lists", "expires")


@dataclass(frozen=True)
class Source:
    key: str
    url: str
    note: str | None


@dataclass(frozen=True)
class Recogniser:
    """One pattern that identifies the provider; for `codes`, group 1 (else the whole match)
    is the code itself."""

    by: str  # one of RECOGNISE_KEYS
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class KnownCode:
    code: str
    meaning: str
    belongs_to: str | None  # the id of the provider or list whose block this really is
    sources: tuple[str, ...]
    party: str | None = None  # who should write about this code, when not the provider's party
    line: int = 0  # where it is written, for errors found across files


@dataclass(frozen=True)
class Contact:
    channel: str  # one of CHANNELS
    address: str | None  # a URL or an email address
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class WhoWrites:
    party: str  # one of PARTIES
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A field the provider's channel requires, and how to tell a draft carries it."""

    id: str
    label: str
    hint: str  # what to write, for a scaffold's fill-in marker
    element: str | None  # the required element it restates, if any (sending-identity, ...)
    patterns: tuple[re.Pattern[str], ...]
    words: tuple[str, ...]
    sources: tuple[str, ...]

    def find(self, text: str) -> tuple[int, int] | None:
        """The offsets of the first evidence of this field in `text`, or None."""
        hits = [m.span() for p in self.patterns for m in [p.search(text)] if m]
        lowered = text.lower()
        for word in self.words:
            m = re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", lowered)
            if m:
                hits.append(m.span())
        return min(hits) if hits else None


@dataclass(frozen=True)
class Advice:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Obsolete:
    since: str
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ListName:
    """One list a blocklist operator runs (Spamhaus's SBL, CSS, ...), and the text in a draft
    or its bounce that shows the listing is on it (a record id, a zone)."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Expiry:
    """A listing that lapses by itself, `after` the stated time, so a request is not wanted."""

    after: str
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: str
    recognisers: tuple[Recogniser, ...]
    codes: Mapping[str, KnownCode]
    contact: Contact
    who_writes: WhoWrites
    must_include: tuple[Field, ...]
    avoid: tuple[Advice, ...]
    sources: Mapping[str, Source]
    obsolete: Obsolete | None
    path: str
    # How a draft addresses it ("Dear Comcast", To: postmaster@comcast.net); whole words.
    names: tuple[str, ...] = ()
    lists: tuple[ListName, ...] = ()  # for a blocklist that runs several lists
    expires: Expiry | None = None

    def named_in(self, text: str) -> re.Match[str] | None:
        """The first of this provider's names in `text`, as a whole word (case ignored)."""
        hits = [m for n in self.names for m in [word_pattern(n).search(text)] if m]
        return min(hits, key=lambda m: (m.start(), -m.end())) if hits else None


@dataclass(frozen=True)
class ProviderSet:
    providers: tuple[Provider, ...]

    def __iter__(self) -> Iterator[Provider]:
        return iter(self.providers)

    def __len__(self) -> int:
        return len(self.providers)

    def get(self, provider_id: str) -> Provider | None:
        return next((p for p in self.providers if p.id == provider_id), None)

    def resolve(self, provider_id: str) -> Provider:
        """The provider with this id, or an OptionError with a did-you-mean."""
        provider = self.get(provider_id.lower())
        if provider is None:
            ids = [p.id for p in self.providers]
            raise OptionError(f"unknown provider {provider_id!r}{did_you_mean(provider_id, ids)}")
        return provider


@functools.lru_cache(maxsize=256)
def word_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.@-]){re.escape(name)}(?![\w@-]|\.\w)", re.IGNORECASE)


def builtin_providers_dir() -> Path:
    """The provider data shipped in the wheel, or the repository's `providers/` in a checkout."""
    packaged = Path(__file__).with_name("providers")  # the wheel puts it beside this module
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "providers"


def provider_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ProviderError("provider directory not found", str(directory))
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


@functools.lru_cache(maxsize=4)
def load_providers(directory: Path | None = None) -> ProviderSet:
    """Every provider file in `directory` (default: the built-in ones), validated; ids unique
    and every `belongs_to` naming a provider that exists."""
    from .yamlsafe import read_yaml_file  # PyYAML is only needed when data is parsed

    folder = directory if directory is not None else builtin_providers_dir()
    providers: list[Provider] = []
    seen: dict[str, str] = {}
    for path in provider_files(folder):
        provider = parse_provider(read_yaml_file(path, ProviderError), str(path))
        if provider.id in seen:
            raise ProviderError(
                f"{provider.id!r} is already defined in {seen[provider.id]}", str(path), 1
            )
        seen[provider.id] = str(path)
        providers.append(provider)
    check_owners(providers)
    return ProviderSet(tuple(providers))


def check_owners(providers: list[Provider]) -> None:
    ids = [p.id for p in providers]
    for provider in providers:
        for code in provider.codes.values():
            if code.belongs_to is not None and code.belongs_to not in ids:
                raise ProviderError(
                    f"code {code.code!r} belongs_to unknown provider {code.belongs_to!r}"
                    f"{did_you_mean(code.belongs_to, ids)}",
                    provider.path,
                    code.line,
                )


def parse_provider(data: Any, path: str) -> Provider:
    if not isinstance(data, LocatedDict):
        raise ProviderError("a provider file must be a YAML mapping", path, 1)
    reader = _Reader(path)
    reader.keys(data, _KEYS, _OPTIONAL)
    return reader.provider(data)


class _Reader:
    """Reads one provider file; every problem is a ProviderError at its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.used: set[str] = set()
        self._pending: list[tuple[LocatedDict, tuple[str, ...]]] = []

    def error(self, message: str, node: LocatedDict, key: str | None = None) -> ProviderError:
        return ProviderError(message, self.path, node.line_of(key) if key else node.line)

    def keys(
        self, node: LocatedDict, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> None:
        check_keys(node, self.path, required, optional, ProviderError)

    def string(self, node: LocatedDict, key: str) -> str:
        return string_field(node, key, self.path, ProviderError).strip()

    def mapping(self, node: LocatedDict, key: str) -> LocatedDict:
        return mapping_field(node, key, self.path, ProviderError)

    def choice(self, node: LocatedDict, key: str, choices: tuple[str, ...]) -> str:
        value = self.string(node, key)
        if value not in choices:
            raise self.error(
                f"{key} must be one of {', '.join(choices)}{did_you_mean(value, choices)}",
                node,
                key,
            )
        return value

    def source_refs(self, node: LocatedDict) -> tuple[str, ...]:
        """A fact's `source`: one key of `sources`, or a list of them (checked at the end)."""
        value = node.get("source")
        refs = [value] if isinstance(value, str) else value
        if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
            raise self.error(
                "'source' must name a key of 'sources' (or list several)", node, "source"
            )
        self.used.update(refs)
        self._pending.append((node, tuple(refs)))
        return tuple(refs)

    def regexes(self, node: LocatedDict, key: str, flags: int) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for text in string_list(node, key, self.path, ProviderError):
            try:
                compiled.append(re.compile(text, flags))
            except re.error as exc:
                raise self.error(f"{key}: invalid regex {text!r}: {exc}", node, key) from None
        return tuple(compiled)

    def provider(self, data: LocatedDict) -> Provider:
        provider_id = self.string(data, "id")
        if not _ID.match(provider_id):
            raise self.error(f"id {provider_id!r} must be lower-case-with-hyphens", data, "id")
        if Path(self.path).stem != provider_id:
            raise self.error(f"file name must match the id: {provider_id}.yaml", data, "id")
        provider = Provider(
            id=provider_id,
            name=self.string(data, "name"),
            kind=self.choice(data, "kind", KINDS),
            recognisers=self.recognisers(self.mapping(data, "recognise")),
            codes=self.codes(data),
            contact=self.contact(self.mapping(data, "contact")),
            who_writes=self.who_writes(self.mapping(data, "who_writes")),
            must_include=self.fields(data),
            avoid=self.advice(data),
            sources=self.sources(self.mapping(data, "sources")),
            obsolete=self.obsolete(data),
            path=self.path,
            names=tuple(n.strip() for n in string_list(data, "names", self.path, ProviderError)),
            lists=self.lists(data),
            expires=self.expires(data),
        )
        for node, refs in self._pending:
            for ref in refs:
                if ref not in provider.sources:
                    raise self.error(
                        f"source {ref!r} is not in 'sources'{did_you_mean(ref, provider.sources)}",
                        node,
                        "source",
                    )
        unused = sorted(set(provider.sources) - self.used)
        if unused:
            raise self.error(f"source {unused[0]!r} is never cited", data["sources"], unused[0])
        return provider

    def recognisers(self, node: LocatedDict) -> tuple[Recogniser, ...]:
        self.keys(node, ("source",), RECOGNISE_KEYS)
        self.source_refs(node)
        found = tuple(
            Recogniser(key, pattern)
            for key in RECOGNISE_KEYS
            for pattern in self.regexes(node, key, 0 if key == "codes" else re.IGNORECASE)
        )
        if not found:
            raise self.error("'recognise' needs at least one pattern", node)
        return found

    def codes(self, data: LocatedDict) -> dict[str, KnownCode]:
        if "codes" not in data:
            return {}
        node = self.mapping(data, "codes")
        codes = {}
        for code, entry in node.items():
            if not isinstance(entry, LocatedDict):
                raise self.error(f"code {code!r} must map to meaning and source", node, code)
            self.keys(entry, ("meaning", "source"), ("belongs_to", "party"))
            owner = entry.get("belongs_to")
            if owner is not None and not isinstance(owner, str):
                raise self.error("'belongs_to' must be a provider id", entry, "belongs_to")
            codes[code] = KnownCode(
                code,
                self.string(entry, "meaning"),
                owner,
                self.source_refs(entry),
                self.choice(entry, "party", PARTIES) if "party" in entry else None,
                node.line_of(code),
            )
        return codes

    def contact(self, node: LocatedDict) -> Contact:
        self.keys(node, ("channel", "note", "source"), ("address",))
        channel = self.choice(node, "channel", CHANNELS)
        address = self.string(node, "address") if "address" in node else None
        if channel in ("form", "email", "portal") and address is None:
            raise self.error(f"a {channel} contact needs an 'address'", node)
        return Contact(channel, address, self.string(node, "note"), self.source_refs(node))

    def who_writes(self, node: LocatedDict) -> WhoWrites:
        self.keys(node, ("party", "note", "source"))
        return WhoWrites(
            self.choice(node, "party", PARTIES), self.string(node, "note"), self.source_refs(node)
        )

    def fields(self, data: LocatedDict) -> tuple[Field, ...]:
        items = self.items(data, "must_include")
        fields = []
        for item in items:
            self.keys(item, ("id", "label", "hint", "detect", "source"), ("element",))
            field_id = self.string(item, "id")
            if not _ID.match(field_id):
                raise self.error(
                    f"field id {field_id!r} must be lower-case-with-hyphens", item, "id"
                )
            element = self.choice(item, "element", ELEMENTS) if "element" in item else None
            detect = self.mapping(item, "detect")
            self.keys(detect, (), ("regex", "words"))
            patterns = self.regexes(detect, "regex", re.IGNORECASE)
            words = string_list(detect, "words", self.path, ProviderError)
            if not patterns and not words:
                raise self.error("'detect' needs 'regex' or 'words'", detect)
            fields.append(
                Field(
                    field_id,
                    self.string(item, "label"),
                    self.string(item, "hint"),
                    element,
                    patterns,
                    words,
                    self.source_refs(item),
                )
            )
        ids = [f.id for f in fields]
        for index, field_id in enumerate(ids):
            if field_id in ids[:index]:
                raise self.error(f"field id {field_id!r} is used twice", items[index], "id")
        return tuple(fields)

    def advice(self, data: LocatedDict) -> tuple[Advice, ...]:
        result = []
        for item in self.items(data, "avoid"):
            self.keys(item, ("text", "source"))
            result.append(Advice(self.string(item, "text"), self.source_refs(item)))
        return tuple(result)

    def obsolete(self, data: LocatedDict) -> Obsolete | None:
        if "obsolete" not in data:
            return None
        node = self.mapping(data, "obsolete")
        self.keys(node, ("since", "note", "source"))
        return Obsolete(
            self.string(node, "since"), self.string(node, "note"), self.source_refs(node)
        )

    def lists(self, data: LocatedDict) -> tuple[ListName, ...]:
        result = []
        for item in self.items(data, "lists"):
            self.keys(item, ("name", "regex", "source"))
            patterns = self.regexes(item, "regex", 0)
            if not patterns:
                raise self.error("a list needs at least one 'regex'", item, "regex")
            result.append(ListName(self.string(item, "name"), patterns, self.source_refs(item)))
        return tuple(result)

    def expires(self, data: LocatedDict) -> Expiry | None:
        if "expires" not in data:
            return None
        node = self.mapping(data, "expires")
        self.keys(node, ("after", "note", "source"))
        return Expiry(self.string(node, "after"), self.string(node, "note"), self.source_refs(node))

    def items(self, data: LocatedDict, key: str) -> list[LocatedDict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, LocatedDict) for v in value):
            raise self.error(f"'{key}' must be a list of mappings", data, key)
        return value

    def sources(self, node: LocatedDict) -> dict[str, Source]:
        sources = {}
        for key, entry in node.items():
            if isinstance(entry, str):
                sources[key] = Source(key, entry.strip(), None)
                continue
            if not isinstance(entry, LocatedDict):
                raise self.error(f"source {key!r} must be a URL or a mapping with 'url'", node, key)
            self.keys(entry, ("url",), ("note",))
            note = self.string(entry, "note") if "note" in entry else None
            sources[key] = Source(key, self.string(entry, "url"), note)
        if not sources:
            raise self.error("'sources' must list at least one source", node)
        return sources
