"""The benchmark: start-up, a cached re-run, throughput next to proselint, and peak memory.

    pip install '.[bench]' && python bench/run.py [--quick]

It generates a fixed, deterministic set of drafts of about 400 words (1, 100 and 2,000) from the
corpus, then times whole processes. Every figure is the median of several runs (min and max
beside it), and each comparison is made against a baseline measured in the same run, because
these machines are noisy. The table is printed and written to bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / ".work"
WORDS_PER_DRAFT = 400


@dataclass
class Timing:
    name: str
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def row(self, extra: str = "") -> str:
        return (
            f"| {self.name} | {self.median:.3f} | {min(self.runs):.3f} | {max(self.runs):.3f} "
            f"| {extra} |"
        )


def make_drafts(count: int) -> list[Path]:
    """`count` deterministic drafts of ~400 words, stitched from the corpus's plain drafts."""
    folder = WORK / f"drafts-{count}"
    existing = sorted(folder.glob("*.txt"))
    if len(existing) == count:
        return existing
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = [
        p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora" / "drafts").glob("*.txt"))
    ]
    rng = random.Random(20261126)
    paths = []
    for index in range(count):
        chosen: list[str] = []
        while sum(len(text.split()) for text in chosen) < WORDS_PER_DRAFT:
            chosen.append(rng.choice(sources))
        words = "\n\n".join(chosen).split(" ")[:WORDS_PER_DRAFT]
        path = folder / f"draft-{index:04}.txt"
        path.write_text(" ".join(words) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: Sequence[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
        )
        times.append(time.perf_counter() - started)
    return times


def interleaved(
    commands: Sequence[Sequence[str]], runs: int, env: dict[str, str] | None = None
) -> list[list[float]]:
    """Each command's times, running them in turn (A B C A B C ...): the machine's speed
    drifts within minutes, and a drift then weighs on every command alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            times[index].extend(timed(command, 1, env))
    return times


def peak_rss_mb(command: Sequence[str], env: dict[str, str]) -> float:
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return int(done.stdout.strip()) / 1024  # Linux reports KiB


def publish(title: str, command: str, details: str, rows: list[str], out: Path) -> None:
    """Print a results table under a line saying what ran where, and write it to `out`."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    report = "\n".join(
        [
            f"# {title}",
            "",
            f"`{command}` at commit {commit or 'unknown'}, "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, on {platform.machine()} with "
            f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} available), Python "
            f"{platform.python_version()}. {details}",
            "",
            *rows,
            "",
        ]
    )
    print(report)
    out.write_text(report, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    args = parser.parse_args()
    light, heavy = (3, 1) if args.quick else (7, 3)
    lint = [str(Path(sys.executable).with_name("postmaster-lint")), "lint", "--no-checklist"]
    proselint = shutil.which("proselint", path=str(Path(sys.executable).parent)) or shutil.which(
        "proselint"
    )
    one, hundred, many = make_drafts(1), make_drafts(100), make_drafts(2000)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in many)
    cache = Path(tempfile.mkdtemp(prefix="pml-bench-cache-"))
    env = {**os.environ, "POSTMASTER_LINT_CACHE_DIR": str(cache)}
    env.pop("CI", None)

    floor_times, cold_times = interleaved(
        [
            [sys.executable, "-c", "import spacy, textstat; spacy.blank('en')"],
            [*lint, "--no-cache", *map(str, one)],
        ],
        light,
        env,
    )
    floor = Timing("floor: `import spacy, textstat; spacy.blank('en')`", floor_times)
    cold = Timing("cold start, 1 draft (`--no-cache`)", cold_times)
    subprocess.run([*lint, *map(str, hundred)], stdout=subprocess.DEVNULL, env=env, check=False)
    cached = Timing(
        "second run, 100 unchanged drafts (cache hits)",
        timed([*lint, *map(str, hundred)], light, env),
    )
    heavy_commands = [
        [*lint, "--no-cache", "--jobs", "1", *map(str, many)],
        [*lint, "--no-cache", "--jobs", "2", *map(str, many)],
    ]
    if proselint:
        heavy_commands.append([proselint, "check", *map(str, many)])
    heavy_times = interleaved(heavy_commands, heavy, env)
    serial = Timing("2,000 drafts, one process (`--no-cache --jobs 1`)", heavy_times[0])
    parallel = Timing("2,000 drafts, `--jobs 2`", heavy_times[1])
    rows = [
        "| measurement | median s | min s | max s | note |",
        "|---|---:|---:|---:|---|",
        floor.row("baseline for start-up"),
        cold.row(f"{cold.median / floor.median:.2f}x the floor (target <= 1.2x)"),
        cached.row("target <= 0.15 s"),
        serial.row(f"{2000 / serial.median:.0f} drafts/s, {words / serial.median:,.0f} words/s"),
        parallel.row(
            f"{2000 / parallel.median:.0f} drafts/s, "
            f"{serial.median / parallel.median:.2f}x one process"
        ),
    ]
    if proselint:
        prose = Timing("proselint 0.16, the same 2,000 drafts", heavy_times[2])
        rows.append(
            prose.row(
                f"{2000 / prose.median:.0f} drafts/s; postmaster-lint one process is "
                f"{prose.median / serial.median:.2f}x its speed (target >= 5x)"
            )
        )
    else:
        rows.append("| proselint | n/a | | | not installed (`pip install '.[bench]'`) |")
    memory = peak_rss_mb([*lint, "--no-cache", "--jobs", "1", *map(str, many)], env)
    rows.append(
        f"| peak memory, 2,000 drafts one process | {memory:.0f} MB | | | target <= 250 MB |"
    )
    shutil.rmtree(cache, ignore_errors=True)
    publish(
        "Benchmark results",
        f"python bench/run.py{' --quick' if args.quick else ''}",
        f"Drafts: ~{WORDS_PER_DRAFT} words each, {words:,} words in the 2,000. Medians of "
        f"{light} runs (start-up, cache) or {heavy} runs (2,000 drafts). Commands compared take "
        "turns (floor and cold start; the three 2,000-draft runs).",
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
