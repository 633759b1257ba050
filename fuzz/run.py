"""A longer fuzz run than the test suite's: the same invariants (tests/properties.py) with a
large example budget, over random Unicode, markup/template soup and random bytes.

    python fuzz/run.py [--examples 2000]

Kept out of the default test run; writes its last result to fuzz/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.properties import FORMATS, check_decode, check_lint_invariants, text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=2000)
    args = parser.parse_args()
    budget = settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    @budget
    @given(source=text, fmt=st.sampled_from(FORMATS))
    def lint_property(source: str, fmt: str) -> None:
        check_lint_invariants(source, fmt)

    @budget
    @given(data=st.binary(max_size=2000))
    def decode_property(data: bytes) -> None:
        check_decode(data)

    rows = []
    failed = False
    for name, prop in (
        ("lint invariants, 4 formats", lint_property),
        ("decoding random bytes", decode_property),
    ):
        started = time.monotonic()
        try:
            prop()
            outcome = "passed"
        except Exception:  # report any failure with its minimal example
            outcome = "FAILED: " + traceback.format_exc(limit=3).strip().splitlines()[-1]
            failed = True
        elapsed = time.monotonic() - started
        rows.append(f"| {name} | {args.examples} | {elapsed:.0f} s | {outcome} |")
    report = "\n".join(
        [
            "# Fuzz results",
            "",
            f"`python fuzz/run.py --examples {args.examples}`, "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
            "",
            "| property | examples | time | result |",
            "|---|---:|---:|---|",
            *rows,
            "",
        ]
    )
    print(report)
    (REPO / "fuzz" / "RESULTS.md").write_text(report, encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
