"""Building a Document: readers append prose with the source position of every character."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..boilerplate import find_form_regions
from ..document import Document
from ..quoting import find_quoted_regions
from .templates import TemplateTag, find_template_tags


class TextBuilder:
    """Readers call `keep` for source text that is prose (template tags inside it are replaced
    by their variable name, or dropped), `put` for text they produce themselves (a decoded
    entity, a line break standing for a block tag), and `quote_*` around quoted material."""

    def __init__(
        self, source: str, templates: bool = True, drops: Iterable[tuple[int, int]] = ()
    ) -> None:
        """`drops`: further source ranges that are never prose (e.g. HTML comments)."""
        self.source = source
        self._parts: list[str] = []
        # (text offset, delta) wherever the text-to-source delta changes: Document.anchors,
        # kept as prose is added (working them out per character at the end costs more).
        self._anchors: list[tuple[int, int]] = []
        self._wide: dict[int, int] = {}
        self._length = 0
        self._quoted: list[tuple[int, int]] = []
        self._quote_start: int | None = None
        self._quote_depth = 0
        tags = find_template_tags(source) if templates else []
        self.placeholder_spans = tuple((t.start, t.end, t.name) for t in tags if t.name)
        dropped = [TemplateTag(start, end, "") for start, end in drops]
        self.tags: Sequence[TemplateTag] = _outermost(sorted([*tags, *dropped], key=_order))
        self._tag_index = 0

    @property
    def length(self) -> int:
        return self._length

    def keep(self, start: int, end: int) -> None:
        """Source[start:end] is prose."""
        cursor = start
        while cursor < end:
            tag = self._next_tag(cursor)
            if tag is None or tag.start >= end:
                self._copy(cursor, end)
                return
            self._copy(cursor, max(cursor, tag.start))
            if tag.start >= cursor and tag.replacement:
                # The variable's name stands in for the placeholder, mapped onto the tag.
                self.put(tag.replacement, tag.start, tag.end)
                cursor = tag.end
            else:
                cursor = self._after_drop(max(cursor, tag.end), end)

    def drop(self, start: int, end: int, limit: int | None = None) -> int:
        """Source[start:end] is not prose; returns where prose may resume."""
        return self._after_drop(end, len(self.source) if limit is None else limit)

    def _after_drop(self, end: int, limit: int) -> int:
        # "Run `dig` now" must not become "Run  now": two spaces would split the sentence's
        # tokens for the matcher. Swallow the space after a dropped piece when one came before.
        if (
            end < limit
            and self.source[end : end + 1] in (" ", "\t")
            and self._parts
            and self._parts[-1][-1:] in (" ", "\t", "\n")
        ):
            return end + 1
        return end

    def put(self, text: str, source_start: int, source_end: int | None = None) -> None:
        """Text that stands for source[source_start:source_end] (default: one character each)."""
        if not text:
            return
        end = source_start + len(text) if source_end is None else source_end
        for index in range(len(text)):
            self._anchor(self._length + index, min(source_start + index, end - 1))
        if source_end is not None and source_end - source_start != len(text):
            self._wide[self._length + len(text) - 1] = end
        self._parts.append(text)
        self._length += len(text)

    def put_mapped(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        """Text whose every character has its own source range (decoded transfer encodings)."""
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            self._anchor(self._length + index, start)
            if end != start + 1:
                self._wide[self._length + index] = end
        self._parts.append(text)
        self._length += len(text)

    def add_quoted(self, regions: Iterable[tuple[int, int]]) -> None:
        """Quoted ranges, in text offsets, that a nested reader found."""
        self._quoted.extend(regions)

    def quote_start(self) -> None:
        self._quote_depth += 1
        if self._quote_start is None:
            self._quote_start = self._length

    def quote_end(self) -> None:
        self._quote_depth = max(0, self._quote_depth - 1)
        if self._quote_depth == 0 and self._quote_start is not None:
            self._quoted.append((self._quote_start, self._length))
            self._quote_start = None

    def build(self, path: str, extra_quoted: Iterable[tuple[int, int]] = ()) -> Document:
        self._quote_depth = min(self._quote_depth, 1)
        self.quote_end()
        text = "".join(self._parts)
        known = [*self._quoted, *extra_quoted]
        found = find_quoted_regions(text, known)
        quoted = sorted({*known, *found, *find_form_regions(text)})
        return Document(
            path=path,
            text=text,
            source=self.source,
            quoted=tuple(_merge(quoted)),
            anchors=tuple(self._anchors),
            wide=self._wide,
            placeholder_spans=self.placeholder_spans,
        )

    def _copy(self, start: int, end: int) -> None:
        """Copy prose; line endings become "\n" (CRLF maps onto both characters)."""
        while start < end:
            cr = self.source.find("\r", start, end)
            stop = end if cr == -1 else cr
            if stop > start:
                self._parts.append(self.source[start:stop])
                self._anchor(self._length, start)  # one delta for the whole run
                self._length += stop - start
            if cr == -1:
                return
            width = 2 if self.source.startswith("\r\n", cr) and cr + 1 < end else 1
            self.put("\n", cr, cr + width)
            start = cr + width

    def _anchor(self, offset: int, source_offset: int) -> None:
        """Text offset `offset` comes from `source_offset`."""
        delta = source_offset - offset
        if not self._anchors or self._anchors[-1][1] != delta:
            self._anchors.append((offset, delta))

    def _next_tag(self, cursor: int) -> TemplateTag | None:
        while self._tag_index < len(self.tags) and self.tags[self._tag_index].end <= cursor:
            self._tag_index += 1
        return self.tags[self._tag_index] if self._tag_index < len(self.tags) else None


def _order(tag: TemplateTag) -> tuple[int, int]:
    return tag.start, -tag.end


def _outermost(tags: list[TemplateTag]) -> list[TemplateTag]:
    """Drop tags nested in an earlier one (a template tag inside an HTML comment)."""
    kept: list[TemplateTag] = []
    for tag in tags:
        if kept and tag.start < kept[-1].end:
            continue
        kept.append(tag)
    return kept


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged
