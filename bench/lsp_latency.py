"""How long an editor waits for diagnostics: the time from a `didChange` to the
`publishDiagnostics` for that version, for a ~600-word draft, over many edits.

    python bench/lsp_latency.py [--edits 80] [--out bench/results-lsp.md]

The server runs as the editor would start it (`python -m postmaster_lint lsp`, stdio). Each edit
appends a word and waits for its diagnostics before the next, as a typist at a steady pace would
see. In the same run, the in-process lint time of the same edits is measured as the baseline,
both the whole-text way the CLI lints and the way the server does (unchanged paragraphs reused):
the difference between the server row and the second is the protocol and the process boundary.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[1]
DRAFT = REPO / "corpora" / "drafts" / "held-long-good.txt"


def draft_text(words: int = 600) -> str:
    base = DRAFT.read_text(encoding="utf-8")
    text = base
    while len(text.split()) < words:
        text += "\n" + base
    return " ".join(text.split(" ")[: words + 40])  # about `words` words, whole lines kept


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(edits: int, text: str) -> list[float]:
    client = LanguageClient("bench", "1")
    published: dict[int, float] = {}
    waiting: dict[int, asyncio.Event] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            published[params.version] = time.perf_counter()
            if params.version in waiting:
                waiting[params.version].set()

    await client.start_io(sys.executable, "-m", "postmaster_lint", "lsp")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    uri = (REPO / "bench" / "draft.txt").as_uri()
    waiting[1] = asyncio.Event()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="plaintext", version=1, text=text
            )
        )
    )
    await asyncio.wait_for(waiting[1].wait(), 60)
    latencies = []
    for version in range(2, edits + 2):
        text += " ok"
        waiting[version] = asyncio.Event()
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await asyncio.wait_for(waiting[version].wait(), 30)
        latencies.append((published[version] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def in_process(text: str, runs: int, reuse_paragraphs: bool) -> list[float]:
    from postmaster_lint.inputs import Draft
    from postmaster_lint.runner import lint_draft
    from postmaster_lint.settings import SettingsResolver

    settings = SettingsResolver().for_path(str(REPO / "bench" / "draft.txt"))
    times = []
    for index in range(runs):
        started = time.perf_counter()
        lint_draft(Draft("draft.txt", text + " ok" * index), settings, None, reuse_paragraphs)
        times.append((time.perf_counter() - started) * 1000)
    return times[1:]  # the first run builds the pipeline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=80)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results-lsp.md")
    args = parser.parse_args()
    text = draft_text()
    words = len(text.split())
    latencies = asyncio.run(measure(args.edits, text))
    baseline = in_process(text, args.edits + 1, reuse_paragraphs=False)
    reusing = in_process(text, args.edits + 1, reuse_paragraphs=True)
    rows = [
        ("didChange -> publishDiagnostics", latencies),
        ("in-process lint, whole text (baseline)", baseline),
        ("in-process lint, unchanged paragraphs reused", reusing),
    ]
    table = [
        "| measurement | median ms | p95 ms | min ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in rows:
        table.append(
            f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
            f"| {min(values):.1f} | {max(values):.1f} |"
        )
    ratio = statistics.median(latencies) / statistics.median(baseline)
    report = "\n".join(
        [
            "# Language server latency",
            "",
            f"`python bench/lsp_latency.py --edits {args.edits}` on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}; a {words}-word draft, "
            f"{args.edits} edits, each waited for.",
            "",
            *table,
            "",
            f"Median latency is {ratio:.2f}x the in-process whole-text lint time of the same text.",
            "",
        ]
    )
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
