"""`weighted`: each match adds its weight; past the `threshold` option every match is flagged.

One plain "sorry for the trouble" is courtesy; three apologies, or one "deeply sorry", is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..guards import PITFALL_GUARDS
from ..located import LocatedDict
from .base import Alternative, CheckContext, Finding, SpecReader, kept_spans


@dataclass(frozen=True)
class WeightedCheck:
    weights: tuple[tuple[float, Alternative], ...]
    guards: frozenset[str]

    @classmethod
    def from_spec(cls, reader: SpecReader) -> WeightedCheck:
        reader.only_keys(("kind", "weights", "context", "guards"))
        if "threshold" not in reader.rule.options:
            raise reader.error("a weighted rule needs options.threshold")
        items = reader.detect.get("weights")
        if not isinstance(items, list) or not items:
            raise reader.error("'weights' must be a non-empty list", reader.detect, "weights")
        weights = []
        for item in items:
            if not isinstance(item, LocatedDict):
                raise reader.error("each weight is a mapping with 'weight' and 'match'")
            reader.only_keys(("weight", "match"), item)
            weight = item.get("weight")
            if not isinstance(weight, (int, float)) or weight <= 0:
                raise reader.error("'weight' must be a positive number", item, "weight")
            sentence = reader.context(reader.detect)
            weights.append((float(weight), Alternative(reader.match(item, "match"), sentence)))
        return cls(tuple(weights), reader.guards(PITFALL_GUARDS))

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        weighted: dict[tuple[int, int], float] = {}
        for weight, alternative in self.weights:
            for span in kept_spans([alternative], context, self.guards):
                key = context.matches.trim(span)
                # Overlapping matches ("deeply sorry" also contains "sorry") count once, heaviest.
                overlapping = [k for k in weighted if k[0] < key[1] and key[0] < k[1]]
                if any(weighted[k] >= weight for k in overlapping):
                    continue
                for k in overlapping:
                    del weighted[k]
                weighted[key] = weight
        total = sum(weighted.values())
        threshold = options["threshold"]
        if total <= float(threshold):
            return []
        count = len(weighted)
        return [
            Finding(start, end, {"total": f"{total:g}", "count": count, "threshold": threshold})
            for start, end in sorted(weighted)
        ]


def weighted_kind(reader: SpecReader) -> WeightedCheck:
    return WeightedCheck.from_spec(reader)
