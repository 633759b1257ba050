"""Where the time of one lint goes, stage by stage, next to proselint measured in the same run.

    pip install '.[bench]' && python bench/stages.py [--drafts 300]

It lints the first N of bench/run.py's 400-word drafts in one process, after a warm-up, with a
timer around each stage (exclusive time: a stage nested in another counts only once), and
prints milliseconds per draft for each. proselint's time per draft is measured in the same
run, from two runs of its command line (one draft and N drafts, so its start-up cancels out),
timed before and after ours (the machine drifts), which gives the budget a stage table has to
fit: 5x proselint. The table is printed and written to bench/results-stages.md.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, make_drafts, publish

_spent: dict[str, float] = defaultdict(float)
_stack: list[list[Any]] = []  # [stage, started, time spent in stages nested inside]


def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding its exclusive time to `stage`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        frame = [stage, time.perf_counter(), 0.0]
        _stack.append(frame)
        try:
            return function(*args, **kwargs)
        finally:
            _stack.pop()
            elapsed = time.perf_counter() - frame[1]
            _spent[stage] += elapsed - frame[2]
            if _stack:
                _stack[-1][2] += elapsed

    return wrapper


def instrument() -> Any:
    """Wrap each stage of the linter in a timer; returns the linter to run."""
    from postmaster_lint import bounces, draft_provider, guards, readability, requests
    from postmaster_lint.api import get_linter
    from postmaster_lint.checks import base, metric, pattern, provider, require, weighted
    from postmaster_lint.patterns import Matches, PatternBank, _Present

    PatternBank.scan = timed("spaCy Matcher: token patterns and phrases", PatternBank.scan)
    _Present.__init__ = timed("pre-filter: requirement words per sentence", _Present.__init__)
    PatternBank.matches = timed("sentence index, match bookkeeping", PatternBank.matches)
    Matches._search = timed("regexes (codes, IPs, domains, numbers)", Matches._search)
    for module, cls in [
        (pattern, "PatternCheck"),
        (weighted, "WeightedCheck"),
        (require, "RequireCheck"),
        (metric, "MetricCheck"),
        (provider, "ProviderCheck"),
    ]:
        kind = getattr(module, cls)
        for method in ("run", "found", "evidence"):
            if hasattr(kind, method):
                setattr(kind, method, timed(f"checks: {cls}", getattr(kind, method)))
    guards.suppressed = timed("guards (negation, hypothetical, quoted)", guards.suppressed)
    base.suppressed = guards.suppressed
    provider.suppressed = guards.suppressed
    requests.is_request = timed("request detection", requests.is_request)
    base.is_request = provider.is_request = requests.is_request
    draft_provider.recognise = timed("bounce recognition", bounces.recognise)
    readability.reading_ease = timed("textstat: reading ease", readability.reading_ease)
    readability.word_count = timed("textstat: word counts", readability.word_count)
    linter = get_linter()
    nlp = linter._nlp
    tokenizer = timed("spaCy tokenizer", nlp.make_doc)
    pipes = [timed(f"spaCy component {name}", pipe) for name, pipe in nlp.pipeline]

    def parse(text: str) -> Any:
        doc = tokenizer(text)
        for pipe in pipes:
            doc = pipe(doc)
        return doc

    linter._nlp = parse
    return linter


def proselint_ms(drafts: list[Path]) -> float | None:
    """proselint's time per draft: N drafts less one draft, over N - 1 (medians of 3)."""
    command = shutil.which("proselint", path=str(Path(sys.executable).parent))
    if command is None:
        return None

    def run(paths: list[Path]) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([command, "check", *map(str, paths)], capture_output=True, check=False)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return (run(drafts) - run(drafts[:1])) / (len(drafts) - 1) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results-stages.md")
    args = parser.parse_args()
    drafts = make_drafts(2000)[: args.drafts]
    from postmaster_lint.api import check_with
    from postmaster_lint.readers import read_document

    texts = [(str(p), p.read_text(encoding="utf-8")) for p in drafts]
    read = timed("reading the draft (reader, offsets)", read_document)
    linter = instrument()
    lint = timed("lint (all stages)", lambda document: check_with(linter, document))
    for path, text in texts[:20]:  # warm-up: lazy imports, caches of word lists
        lint(read(text, path))
    # proselint is timed before and after, and the two averaged: the machine drifts.
    before = proselint_ms(drafts)
    _spent.clear()
    started = time.perf_counter()
    for path, text in texts:
        lint(read(text, path))
    total = (time.perf_counter() - started) / len(texts) * 1000
    after = proselint_ms(drafts)
    prose = None if before is None or after is None else (before + after) / 2

    rows = ["| stage | ms per draft | share |", "|---|---:|---:|"]
    for stage, seconds in sorted(_spent.items(), key=lambda item: -item[1]):
        ms = seconds / len(texts) * 1000
        other = "everything else (check logic, findings, directives)"
        name = other if "all stages" in stage else stage
        rows.append(f"| {name} | {ms:.2f} | {ms / total:.0%} |")
    rows.append(f"| **total, with the timers' own cost** | **{total:.2f}** | 100% |")
    summary = [
        f"{len(texts)} of bench/run.py's 400-word drafts, one process, after a warm-up of 20.",
    ]
    if prose is not None:
        summary.append(
            f"proselint in the same run (timed before and after, averaged): {prose:.2f} ms per "
            f"draft, so 5x proselint is a budget of {prose / 5:.2f} ms per draft. This compares "
            f"our in-process lint ({prose / total:.2f}x proselint's speed here) with proselint's "
            "command line; bench/run.py gives the ratio of the two command lines."
        )
    publish(
        "Where the time goes",
        f"python bench/stages.py --drafts {args.drafts}",
        " ".join(summary),
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
