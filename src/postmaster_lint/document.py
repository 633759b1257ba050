"""A draft as the checks see it: the prose to lint (`text`), the file as the user sees it
(`source`), and an exact map from every character of `text` back into `source`.

Readers (readers/) build documents: they drop what is not prose (markup, code, template tags,
encodings) and record, for each character they keep, where it came from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

Region = tuple[int, int]
# A line ends at \n, \r\n or a lone \r, as in LSP and in editors.
LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in Unicode code points


@dataclass
class Document:
    """`anchors` is a sorted tuple of (text offset, delta): from that text offset on (until the
    next anchor), text offset + delta is the source offset of the character. `wide` lists the
    characters that stand for more than one source character (an entity, an encoded byte
    sequence), by text offset, with the source offset just past them.

    `quoted` lists [start, end) ranges of `text` the sender did not write or that are not their
    prose (reply quotes, pasted bounces and logs, signatures): pitfalls never fire there and
    metrics ignore them, but evidence of a required element found there still counts.
    `placeholder_spans` holds each template output tag's source range and variable name."""

    path: str
    text: str
    source: str
    quoted: tuple[Region, ...] = ()
    anchors: tuple[tuple[int, int], ...] = ()
    wide: Mapping[int, int] = field(default_factory=dict)
    placeholder_spans: tuple[tuple[int, int, str], ...] = ()
    _line_starts: list[int] = field(init=False, repr=False)
    _anchor_keys: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0, *(m.end() for m in LINE_BREAK.finditer(self.source))]
        self._anchor_keys = [offset for offset, _ in self.anchors]

    @classmethod
    def from_plain_text(cls, source: str, path: str = "<text>") -> Document:
        from .readers import read_document

        return read_document(source, path, "plain")

    def source_offset(self, offset: int) -> int:
        """Where text character `offset` starts in the source."""
        index = bisect.bisect_right(self._anchor_keys, offset) - 1
        return offset + (self.anchors[index][1] if index >= 0 else 0)

    def source_span(self, start: int, end: int) -> Region:
        """The source range that text [start, end) came from."""
        if end <= start:
            at = self.source_offset(start) if start < len(self.text) else len(self.source)
            return at, at
        last = end - 1
        return self.source_offset(start), self.wide.get(last, self.source_offset(last) + 1)

    def position(self, source_offset: int) -> Position:
        """1-based line and column in `source` of a source offset."""
        line_index = bisect.bisect_right(self._line_starts, source_offset) - 1
        return Position(line_index + 1, source_offset - self._line_starts[line_index] + 1)

    @property
    def placeholders(self) -> frozenset[str]:
        """The names of the template variables the source prints."""
        return frozenset(name for _, _, name in self.placeholder_spans)

    def is_quoted(self, start: int, end: int) -> bool:
        """True when [start, end) of `text` overlaps quoted material."""
        return any(q_start < end and start < q_end for q_start, q_end in self.quoted)

    def first_line_span(self) -> Region:
        """The first line of prose: where document-level findings are reported."""
        cursor = 0
        for line in self.text.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                return cursor + lead, cursor + len(line.rstrip())
            cursor += len(line) + 1
        return 0, 0
