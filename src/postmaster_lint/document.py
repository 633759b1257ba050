"""A draft as the checks see it: its text, where each line starts, and which parts are quoted."""

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
    """`text` is what the checks read. `quoted` lists [start, end) character ranges of material
    the sender did not write (reply quotes, pasted bounces and logs): pitfalls never fire there,
    but evidence of a required element found there still counts."""

    path: str
    text: str
    quoted: tuple[Region, ...] = ()
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        self._line_starts = starts

    @classmethod
    def from_plain_text(cls, text: str, path: str = "<text>") -> Document:
        return cls(path=path, text=text, quoted=tuple(find_quoted_regions(text)))

    def position(self, offset: int) -> Position:
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line_index + 1, offset - self._line_starts[line_index] + 1)

    def is_quoted(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps quoted material."""
        return any(q_start < end and start < q_end for q_start, q_end in self.quoted)

    def first_line_span(self) -> Region:
        """The first line with visible text: where document-level findings are reported."""
        for index, line_start in enumerate(self._line_starts):
            line_end = (
                self._line_starts[index + 1] - 1
                if index + 1 < len(self._line_starts)
                else len(self.text)
            )
            line = self.text[line_start:line_end]
            if line.strip():
                lead = len(line) - len(line.lstrip())
                return line_start + lead, line_start + len(line.rstrip())
        return 0, 0
