"""How long the page waits for highlights: the time from sending a keystroke's text to
`POST /api/lint` to having its parsed answer, for a ~600-word draft, over many edits.

    python bench/web_latency.py [--edits 80] [--out bench/results-web.md]

The server runs as a user starts it (`python -m postmaster_lint serve`, on a free local port);
the requests go over real HTTP on one kept-alive connection, as the browser's fetch does, with
the Host and Origin headers the page sends. Each edit appends a word and waits for its answer
before the next. The page's own 150 ms debounce and its drawing of the highlights (a few ms)
are not included: this is the server's share of keystroke -> highlights.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsp_latency import draft_text, percentile

from postmaster_lint.web.browser import served

REPO = Path(__file__).resolve().parents[1]


def measure(edits: int) -> tuple[list[float], int, int]:
    text = draft_text()
    with tempfile.TemporaryDirectory() as scratch, served(Path(scratch)) as url:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {
            "Content-Type": "application/json",
            "Origin": f"http://{parts.netloc}",
        }

        def lint(body: str) -> dict[str, object]:
            connection.request("POST", "/api/lint", json.dumps({"text": body}), headers)
            response = connection.getresponse()
            data = response.read()
            assert response.status == 200, data
            answer: dict[str, object] = json.loads(data)
            return answer

        lint(text)  # the first lint builds the pipeline; not a keystroke
        timings: list[float] = []
        findings = 0
        for index in range(edits):
            text += f" word{index}"
            start = time.perf_counter()
            answer = lint(text)
            timings.append((time.perf_counter() - start) * 1000)
            findings = len(answer["diagnostics"])  # type: ignore[arg-type]
        connection.close()
    return timings, len(text.split()), findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=80)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    timings, words, findings = measure(args.edits)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    lines = [
        "# Browser page latency",
        "",
        f"`python bench/web_latency.py --edits {args.edits}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; a {words}-word draft, "
        f"{args.edits} edits, each waited for (findings on the last: {findings}).",
        "",
        "| measurement | median ms | p95 ms | min ms | max ms |",
        "|---|---:|---:|---:|---:|",
        f"| POST /api/lint -> parsed answer (HTTP, one connection) | {median:.1f} | {p95:.1f} "
        f"| {min(timings):.1f} | {max(timings):.1f} |",
        "",
        f"Target: median <= 60 ms. {'Met' if median <= 60 else 'NOT met'}.",
        "",
    ]
    report = "\n".join(lines)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
