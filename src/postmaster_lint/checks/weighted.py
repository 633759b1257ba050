"""`weighted`: each match adds its weight; past the `threshold` option every match is flagged.

One plain "sorry for the trouble" is courtesy; three apologies, or one "deeply sorry", is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..detect import WeightedDetect
from .base import Alternative, CheckContext, Compiler, Finding, kept_spans


@dataclass(frozen=True)
class WeightedCheck:
    weights: tuple[tuple[float, Alternative], ...]
    guards: frozenset[str]
    rule: str  # its id: a match where a directive switches the rule off does not count

    @classmethod
    def compile(cls, spec: WeightedDetect, compiler: Compiler) -> WeightedCheck:
        sentence = compiler.context(spec.context)
        weights = tuple(
            (item.weight, Alternative(compiler.match(item.match), sentence))
            for item in spec.weights
        )
        return cls(weights, spec.guards, compiler.rule.id)

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        candidates = sorted(
            (context.matches.trim(span), weight)
            for weight, alternative in self.weights
            for span in kept_spans([alternative], context, self.guards)
            if not context.suppressed(self.rule, span.start_char)
        )
        # Overlapping matches ("deeply sorry" also contains "sorry") count once, the heaviest;
        # one sweep in order of position keeps this linear in the number of matches.
        weighted: dict[tuple[int, int], float] = {}
        group: list[tuple[tuple[int, int], float]] = []
        group_end = -1
        for key, weight in [*candidates, ((1 << 62, 1 << 62), 0.0)]:
            if group and key[0] >= group_end:
                best = max(group, key=lambda item: (item[1], item[0][1] - item[0][0]))
                weighted[best[0]] = best[1]
                group = []
            group.append((key, weight))
            group_end = max(group_end, key[1]) if len(group) > 1 else key[1]
        weighted.pop((1 << 62, 1 << 62), None)
        total = sum(weighted.values())
        threshold = options["threshold"]
        if total <= float(threshold):
            return []
        count = len(weighted)
        return [
            Finding(start, end, {"total": f"{total:g}", "count": count, "threshold": threshold})
            for start, end in sorted(weighted)
        ]
