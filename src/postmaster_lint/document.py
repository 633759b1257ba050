"""A draft as the checks see it: normalised text, which parts are quoted, and an exact map from
every character the checks read back to the file the user opened."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .quoting import find_quoted_regions

Region = tuple[int, int]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in Unicode code points


@dataclass
class Document:
    """`text` is what the checks read; `source` is the file as the user sees it. `shifts` maps
    between them: a sorted list of (text offset, how many source characters were dropped
    before it). `quoted` lists [start, end) ranges of `text` the sender did not write (reply
    quotes, pasted bounces and logs): pitfalls never fire there, but evidence of a required
    element found there still counts."""

    path: str
    text: str
    source: str
    quoted: tuple[Region, ...] = ()
    shifts: tuple[tuple[int, int], ...] = ()
    _line_starts: list[int] = field(init=False, repr=False)
    _shift_keys: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.source) if ch == "\n")
        self._line_starts = starts
        self._shift_keys = [offset for offset, _ in self.shifts]

    @classmethod
    def from_plain_text(cls, source: str, path: str = "<text>") -> Document:
        """Plain text: line endings become "\\n" for the checks; positions stay in `source`."""
        pieces: list[str] = []
        shifts: list[tuple[int, int]] = []
        dropped = 0
        cursor = 0
        while (crlf := source.find("\r\n", cursor)) != -1:
            pieces.append(source[cursor:crlf])
            pieces.append("\n")
            dropped += 1
            shifts.append((crlf - dropped + 2, dropped))
            cursor = crlf + 2
        pieces.append(source[cursor:])
        text = "".join(pieces).replace("\r", "\n")  # a lone CR (old Mac) ends a line too
        return cls(path, text, source, tuple(find_quoted_regions(text)), tuple(shifts))

    def source_offset(self, offset: int) -> int:
        index = bisect.bisect_right(self._shift_keys, offset) - 1
        return offset + (self.shifts[index][1] if index >= 0 else 0)

    def position(self, offset: int) -> Position:
        """The 1-based line and column in `source` of a `text` offset."""
        source_offset = self.source_offset(offset)
        line_index = bisect.bisect_right(self._line_starts, source_offset) - 1
        return Position(line_index + 1, source_offset - self._line_starts[line_index] + 1)

    def source_slice(self, start: int, end: int) -> str:
        return self.source[self.source_offset(start) : self.source_offset(end)]

    def is_quoted(self, start: int, end: int) -> bool:
        """True when [start, end) of `text` overlaps quoted material."""
        return any(q_start < end and start < q_end for q_start, q_end in self.quoted)

    def first_line_span(self) -> Region:
        """The first line with visible text: where document-level findings are reported."""
        cursor = 0
        for line in self.text.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                return cursor + lead, cursor + len(line.rstrip())
            cursor += len(line) + 1
        return 0, 0
