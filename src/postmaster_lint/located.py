"""A mapping that remembers where in its YAML file it was written (no PyYAML needed to use one)."""

from __future__ import annotations

from typing import Any


class LocatedDict(dict[str, Any]):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)
