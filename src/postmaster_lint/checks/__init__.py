"""The closed set of detection kinds. A rule's `detect.kind` picks one; the error for an
unknown kind is built from this dict, so the list of choices cannot drift."""

from __future__ import annotations

from collections.abc import Callable

from .base import Check, CheckContext, Finding, SpecReader
from .metric import metric_kind
from .pattern import pattern_kind, request_kind
from .require import RequireCheck, require_kind
from .weighted import weighted_kind

KINDS: dict[str, Callable[[SpecReader], Check]] = {
    "pattern": pattern_kind,
    "request": request_kind,
    "weighted": weighted_kind,
    "require": require_kind,
    "metric": metric_kind,
}

__all__ = ["KINDS", "Check", "CheckContext", "Finding", "RequireCheck", "SpecReader"]
