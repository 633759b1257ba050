"""Property-based tests: random Unicode, random bytes and markup/template soup through every
reader and the whole lint path (see tests/properties.py for the invariants)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .properties import FORMATS, check_decode, check_lint_invariants, text

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(source=text, fmt=st.sampled_from(FORMATS))
def test_lint_invariants(source: str, fmt: str) -> None:
    check_lint_invariants(source, fmt)


@FAST
@given(data=st.binary(max_size=300))
def test_decoding_random_bytes(data: bytes) -> None:
    check_decode(data)
