"""One check per detection kind, compiled from a rule's typed spec (detect.py)."""

from __future__ import annotations

from ..detect import MetricDetect, PatternDetect, ProviderDetect, RequireDetect, WeightedDetect
from ..patterns import PatternBank
from ..rules import Rule
from .base import Check, CheckContext, Compiler, Finding
from .metric import MetricCheck
from .pattern import PatternCheck
from .provider import ProviderCheck
from .require import RequireCheck
from .weighted import WeightedCheck


def compile_check(rule: Rule, bank: PatternBank) -> Check:
    """The check for a rule, its patterns added to `bank`."""
    compiler = Compiler(rule, bank)
    spec = rule.detect
    if isinstance(spec, PatternDetect):
        return PatternCheck.compile(spec, compiler)
    if isinstance(spec, WeightedDetect):
        return WeightedCheck.compile(spec, compiler)
    if isinstance(spec, RequireDetect):
        return RequireCheck.compile(spec, compiler)
    if isinstance(spec, ProviderDetect):
        return ProviderCheck.compile(spec, compiler)
    assert isinstance(spec, MetricDetect)
    return MetricCheck.compile(spec, compiler)


__all__ = ["Check", "CheckContext", "Finding", "RequireCheck", "compile_check"]
