"""The one result type every check, output format and integration shares."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_on` answers "does this fail the run?"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (choose from {choices})") from None


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based and count Unicode code points; the end
    position is exclusive (it points just past the last flagged character), as in SARIF.
    `start`/`end` are the same span as 0-based code-point offsets into the decoded file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    name: str
    severity: Severity
    message: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.label
        return data
