"""Rendering results. `text` is for people; `json` is a stable, documented document for tools
(see docs/output.md). Both are deterministic: files in the order given, findings sorted."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from . import __version__
from .diagnostics import Severity
from .results import FileResult

JSON_SCHEMA_VERSION = 1


def render_text(results: Sequence[FileResult], show_checklist: bool = True) -> str:
    lines: list[str] = []
    for result in results:
        for d in result.diagnostics:
            where = f"{d.path}:{d.line}:{d.column}"
            lines.append(f"{where}: {d.rule} [{d.severity.label}] {d.message} ({d.name})")
    counts = Counter(d.severity for r in results for d in r.diagnostics)
    linted = [r for r in results if r.error is None]
    if show_checklist:
        for result in linted:
            if result.checklist:
                lines.append("")
                lines.append(f"{result.path}: required elements")
                for element, rule, found in result.checklist:
                    mark = "found  " if found else "MISSING"
                    lines.append(f"  {mark} {element} ({rule})")
    lines.append("")
    lines.append(_summary(counts, len(linted), sum(1 for r in results if r.error)))
    return "\n".join(lines).lstrip("\n") + "\n"


def _summary(counts: Counter[Severity], files: int, unreadable: int) -> str:
    total = sum(counts.values())
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in sorted(counts, reverse=True)
    ]
    found = f"Found {total} problem{'s' if total != 1 else ''}"
    if parts:
        found += f" ({', '.join(parts)})"
    text = f"{found} in {files} file{'s' if files != 1 else ''}."
    if unreadable:
        text += f" {unreadable} file{'s' if unreadable != 1 else ''} could not be linted."
    return text


def render_json(results: Sequence[FileResult]) -> str:
    counts = Counter(d.severity for r in results for d in r.diagnostics)
    document: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "postmaster-lint", "version": __version__},
        "files": [
            {
                "path": r.path,
                "error": r.error.message if r.error else None,
                "checklist": [
                    {"element": element, "rule": rule, "found": found}
                    for element, rule, found in r.checklist
                ],
            }
            for r in results
        ],
        "diagnostics": [d.to_dict() for r in results for d in r.diagnostics],
        "summary": {
            "files": sum(1 for r in results if r.error is None),
            "unreadable_files": sum(1 for r in results if r.error),
            "problems": sum(counts.values()),
            **{s.label: counts[s] for s in sorted(Severity, reverse=True)},
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
