"""Running a rule's own examples: each `bad` one must fire (covering `flags` exactly when given)
and no `good` one may.

`check-rules` and the test suite run them the same way, here: with every rule of the pack and
the built-in ones loaded (a rule may depend on another's element, `without_applies_if`), and
only the example's own rule's findings counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document
from .linter import Linter
from .rules import Example, Rule


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    kind: str  # "bad" or "good"
    index: int
    example: Example
    flagged: tuple[str, ...]  # the text of each finding of the rule

    @property
    def passed(self) -> bool:
        if self.kind == "good":
            return not self.flagged
        return bool(self.flagged) and (
            self.example.flags is None or self.example.flags in self.flagged
        )

    def describe(self) -> str:
        """`bad[0] expected to fire, got []: 'text'`, for a failed one."""
        where = f"{self.kind}[{self.index}]"
        if self.kind == "good":
            return f"{where} fired on {list(self.flagged)}: {_short(self.example.text)}"
        flags = self.example.flags
        expected = f"to flag {flags!r}" if flags else "to fire"
        return f"{where} expected {expected}, got {list(self.flagged)}: {_short(self.example.text)}"


def run_example(linter: Linter, rule: Rule, kind: str, index: int) -> ExampleOutcome:
    example = (rule.bad_examples if kind == "bad" else rule.good_examples)[index]
    found = linter.lint(Document.from_plain_text(example.text))
    flagged = tuple(d.text for d in found if d.rule == rule.id)
    return ExampleOutcome(rule.id, kind, index, example, flagged)


def run_examples(linter: Linter, rule: Rule) -> list[ExampleOutcome]:
    return [
        run_example(linter, rule, kind, index)
        for kind, examples in (("bad", rule.bad_examples), ("good", rule.good_examples))
        for index in range(len(examples))
    ]


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 70 else flat[:67] + "...")
