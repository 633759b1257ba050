"""Find the headers mail clients write above a quoted or forwarded message.

The shapes are data: `reply_headers.yaml`, shipped in the package, each shape with examples that
the tests run. This module compiles them once and finds, in a draft's prose, every line that
starts quoted material: an attribution ("On …, X wrote:" and its translations, wrapped over up
to three lines), a separator ("-----Original Message-----") or an Outlook header block
("From: / Sent: / To: / Subject:", localized). What follows a header is decided by quoting.py.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = "reply_headers.yaml"
_MAX_WRAPPED_LINES = 3
_MAX_ATTRIBUTION = 400  # characters: longer is a paragraph, not a header
_MIN_ATTRIBUTION = 8  # "X wrote:"
_MIN_WRAP_WIDTH = 40  # a client wraps a line only when it is long
_BLOCK_FIELDS_NEEDED = 2  # fields besides From
_BLOCK_LOOKAHEAD = 8  # lines below From where the other fields must be
# A time ("10:15", "10.15") or an address: what a client's attribution names and prose rarely does.
_EVIDENCE = re.compile(r"\d{1,2}[:.h]\d\d|@")
_RULE_LINE = re.compile(r"[ \t]*(?:_{10,}|-{10,}|—{5,})[ \t]*")
# Lines that may be a header: ending in a colon (attributions, "Begin forwarded message:") or
# starting with dashes (separators).
_COLON_LINE = re.compile(
    rf"^(?=[^\n]{{{_MIN_ATTRIBUTION}}})[^\n]*[:：][ \t\u00a0\u202f]*$", re.MULTILINE
)
_DASH_LINE = re.compile(r"^[ \t]*[-—–]{2,}[^\n]*$", re.MULTILINE)
_TRAILING = r"[ \t\u00a0\u202f]*"


@dataclass(frozen=True)
class ReplyHeader:
    """A header in the text: [start, end) covers its lines (without the final newline)."""

    start: int
    end: int
    shape: str  # the shape's id in reply_headers.yaml (header blocks: "header-block")
    kind: str  # "attribution", "separator" or "header-block"
    weak: bool  # counts only when quoted material follows it


@dataclass(frozen=True)
class Shapes:
    """Every shape of a kind compiled into one pattern, one named group per shape."""

    attribution: re.Pattern[str]  # whole line; shapes that need no quote after come first
    attribution_shapes: Mapping[str, tuple[str, bool]]  # group -> (id, needs_quote_after)
    separator: re.Pattern[str]  # whole line
    separator_shapes: Mapping[str, str]  # group -> id
    field_line: re.Pattern[str]  # at a line start; group "label": a header block's field name
    fields: Mapping[str, str]  # case-folded field name -> meaning ("from", "sent", ...)
    bounce_notice: re.Pattern[str]  # in a block: a pasted delivery-failure notice


def load_data() -> Any:
    """The parsed data file (for the tests and the benchmark)."""
    # Beside this module, in the package (importlib.resources would cost 40 ms at start-up).
    text = Path(__file__).with_name(DATA_FILE).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def shapes() -> Shapes:
    return compile_shapes(load_data())


def compile_shapes(data: Any) -> Shapes:
    flags = re.IGNORECASE
    attributions = sorted(data["attributions"], key=lambda s: bool(s.get("needs_quote_after")))
    attribution_shapes = {
        f"a{i}": (str(s["id"]), bool(s.get("needs_quote_after")))
        for i, s in enumerate(attributions)
    }
    attribution = _union((s["pattern"] for s in attributions), "a", flags)
    separator_shapes = {f"s{i}": str(s["id"]) for i, s in enumerate(data["separators"])}
    separator = _union(
        (_expand(s["pattern"], s.get("phrases", ())) for s in data["separators"]), "s", flags
    )
    fields = {
        str(name).casefold(): meaning
        for meaning, names in data["header_blocks"]["fields"].items()
        for name in names
    }
    labels = _alternation(sorted(fields))
    field_line = re.compile(
        rf"^[ \t]*\*{{0,2}}(?P<label>{labels})\*{{0,2}}[ \t\u00a0\u202f]?"
        r"(?::\*{0,2}(?:[ \t]|$)|：)",  # a full-width colon needs no space after it
        flags | re.MULTILINE,
    )
    notices = "|".join(re.escape(str(n)) for n in data["header_blocks"]["bounce_notices"])
    return Shapes(
        attribution,
        attribution_shapes,
        separator,
        separator_shapes,
        field_line,
        fields,
        re.compile(notices, flags),
    )


def _union(patterns: Iterable[str], prefix: str, flags: re.RegexFlag) -> re.Pattern[str]:
    groups = "|".join(f"(?P<{prefix}{i}>{p})" for i, p in enumerate(patterns))
    return re.compile(rf"[ \t]*(?:{groups}){_TRAILING}", flags)


def _alternation(words: list[str]) -> str:
    """A regex for any of `words`, grouped by first letter (one branch per letter is tried,
    not one per word: this runs at every line start)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0].casefold(), []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        tails = "|".join(re.escape(rest) for rest in sorted(rests, key=len, reverse=True))
        branches.append(f"{re.escape(first)}(?:{tails})")
    return "|".join(branches)


def _expand(pattern: str, phrases: Any) -> str:
    alternatives = "|".join(re.escape(str(p)) for p in phrases)
    return pattern.replace("{phrases}", alternatives)


def find_reply_headers(text: str, compiled: Shapes | None = None) -> Iterator[ReplyHeader]:
    """Every reply or forward header in `text` ("\\n" line endings), in document order, found
    as they are asked for."""
    compiled = compiled or shapes()
    return heapq.merge(
        _attributions(text, compiled),
        _separators(text, compiled),
        _header_blocks(text, compiled),
        key=lambda h: (h.start, -h.end),
    )


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def _content_start(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t":
        start += 1
    return start


def _attributions(text: str, compiled: Shapes) -> Iterator[ReplyHeader]:
    for line in _COLON_LINE.finditer(text):
        header = _attribution_at(text, line.start(), line.end(), compiled)
        if header is not None:
            yield header


def _attribution_at(text: str, start: int, end: int, compiled: Shapes) -> ReplyHeader | None:
    """The attribution that ends on the line [start, end): that line alone, or wrapped from up
    to two lines above. A shape that needs no quote after wins; then the fewest lines."""
    weak: ReplyHeader | None = None
    first = start
    for wrapped in range(_MAX_WRAPPED_LINES):
        if wrapped:
            if first == 0:
                break
            first = _line_start(text, first - 1)
            if not _wrappable(text, first, _line_end(text, first)):
                break
        line = text[first:end]
        joined = _join(line) if wrapped else line
        if len(joined) > _MAX_ATTRIBUTION or (wrapped and not _EVIDENCE.search(joined)):
            break  # a client wraps only a long header, and a long one names a time or address
        match = compiled.attribution.fullmatch(joined)
        if match is None:
            continue
        shape, needs_quote = compiled.attribution_shapes[_group(match, compiled.attribution_shapes)]
        header = ReplyHeader(
            _content_start(text, first, end),
            end,
            shape,
            "attribution",
            needs_quote or not _EVIDENCE.search(joined),
        )
        if not header.weak:
            return header
        weak = weak or header
    return weak


def _group(match: re.Match[str], names: Mapping[str, object]) -> str:
    """The name of the shape's group that matched (one per shape; shapes name no groups)."""
    last = match.lastgroup
    if last is not None and last in names:
        return last  # the shape's group closes last
    return next(name for name, value in match.groupdict().items() if value is not None)


def _wrappable(text: str, start: int, end: int) -> bool:
    """A line that a client may have wrapped: long, and not a quote."""
    content = text[start:end].strip()
    return len(content) >= _MIN_WRAP_WIDTH and not content.startswith(">")


def _join(lines: str) -> str:
    """Wrapped lines as one: a space between them, none after "<" or "(" (an address)."""
    parts = [part.strip() for part in lines.split("\n")]
    joined = parts[0]
    for part in parts[1:]:
        joined += part if joined.endswith(("<", "(")) else " " + part
    return joined


def _separators(text: str, compiled: Shapes) -> Iterator[ReplyHeader]:
    lines = heapq.merge(
        (m.span() for m in _COLON_LINE.finditer(text)),
        (m.span() for m in _DASH_LINE.finditer(text)),
    )
    previous = -1
    for start, end in lines:
        if start == previous:
            continue  # a line of dashes that ends in a colon
        previous = start
        match = compiled.separator.fullmatch(text, start, end)
        if match is not None:
            shape = compiled.separator_shapes[_group(match, compiled.separator_shapes)]
            yield ReplyHeader(_content_start(text, start, end), end, shape, "separator", False)


def _header_blocks(text: str, compiled: Shapes) -> Iterator[ReplyHeader]:
    fields = {
        m.start(): compiled.fields.get(m.group("label").casefold())
        for m in compiled.field_line.finditer(text)
    }
    top = _line_start(text, len(text) - len(text.lstrip()))
    for start, field in fields.items():
        if field != "from" or start <= top:
            continue  # not a From line, or the draft's own header at its top
        count, block_end = _block_fields(text, _line_end(text, start), fields)
        if count < _BLOCK_FIELDS_NEEDED or compiled.bounce_notice.search(text, start, block_end):
            continue
        begin = start
        if start > 0:
            above = _line_start(text, start - 1)
            if _RULE_LINE.fullmatch(text, above, start - 1):
                begin = above  # Outlook's separator line belongs to the block
        yield ReplyHeader(
            _content_start(text, begin, block_end), block_end, "header-block", "header-block", False
        )


def _block_fields(text: str, end: int, fields: Mapping[int, str | None]) -> tuple[int, int]:
    """How many other fields follow the From line ending at `end`, and where the last of them
    ends. Blank lines between fields are skipped (HTML often leaves them); a line that is no
    field continues the value above it, unless a blank line came first: then the block ended."""
    seen: set[str] = set()
    block_end = end
    after_blank = False
    read = 0
    cursor = end
    for _ in range(3 * _BLOCK_LOOKAHEAD):
        if cursor >= len(text):
            break
        start = cursor + 1
        cursor = _line_end(text, start)
        if not text[start:cursor].strip():
            after_blank = True
            continue
        read += 1
        field = fields.get(start)
        if read > _BLOCK_LOOKAHEAD or field == "from" or (field is None and after_blank):
            break
        if field is not None:
            seen.add(field)
        block_end = cursor
        after_blank = False
    return len(seen), block_end
