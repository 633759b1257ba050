"""Rendering results. Every format is deterministic: files in the order given, findings sorted.

- text: one header line per finding, the source line and a caret under the span (coloured
  on a terminal), each file's required-element checklist, a summary;
- concise: `path:line:col: RULE message`, what Vim's and Emacs' compile modes parse;
- json: a documented, stable document (docs/output.md);
- sarif: SARIF 2.1.0 with rule metadata, for code-scanning tools;
- github: workflow commands that annotate a pull request.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import click

from . import __version__
from .diagnostics import Diagnostic, Severity
from .evidence import FOUND, IGNORED, MISSING, ChecklistItem
from .results import FileResult
from .rules import Rule

FORMATS = ("text", "concise", "json", "sarif", "github")
JSON_SCHEMA_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(
    results: Sequence[FileResult],
    output_format: str,
    rules: Sequence[Rule] = (),
    show_checklist: bool = True,
) -> str:
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: render_text(results, show_checklist),
        "concise": lambda: render_concise(results),
        "json": lambda: render_json(results),
        "sarif": lambda: render_sarif(results, rules),
        "github": lambda: render_github(results),
    }
    return renderers[output_format]()


def render_text(results: Sequence[FileResult], show_checklist: bool = True) -> str:
    """Findings at their spans; a missing element has no span, so it is reported once, as a
    file-level line: in the file's checklist when it is shown, else on its own."""
    lines: list[str] = []
    for result in results:
        source_lines = result.source.splitlines()
        missing = _missing(result)
        for d in result.diagnostics:
            if d.rule in missing:
                if not (show_checklist and result.checklist):
                    lines.append(_header(d, file_level=True))
                continue
            lines.append(_header(d))
            lines.extend(_excerpt(d, source_lines))
    if show_checklist:
        for result in results:
            if result.error is None and result.checklist:
                findings = {d.rule: d for d in result.diagnostics}
                lines += ["", click.style(f"{result.path}: required elements", bold=True)]
                lines.extend(_checklist_line(i, findings.get(i.rule)) for i in result.checklist)
    lines += ["", summary(results)]
    return "\n".join(lines).lstrip("\n") + "\n"


def _missing(result: FileResult) -> set[str]:
    """The rules of the elements this file lacks (their findings point at no text)."""
    return {item.rule for item in result.checklist if item.status == MISSING}


_MARKS = {
    FOUND: ("found  ", "green", None),
    MISSING: ("MISSING", "red", True),
    IGNORED: ("ignored", "yellow", None),
}


def _checklist_line(item: ChecklistItem, finding: Diagnostic | None = None) -> str:
    """`found   smtp-code (PM201) at 4:1 "550 5.7.1" (quoted)`, and for a missing element its
    finding: `MISSING results (PM203) [warning] No measured result: ...`."""
    text, colour, bold = _MARKS[item.status]
    line = f"  {click.style(text, fg=colour, bold=bold)} {item.element} ({item.rule})"
    if item.evidence is not None:
        line += " " + item.evidence.describe()
    elif item.status == IGNORED:
        line += " (missing; its finding is disabled for this file)"
    elif finding is not None:
        line += f" {_level(finding)} {finding.message}"
    return line


def _header(d: Diagnostic, file_level: bool = False) -> str:
    where = click.style(f"{d.path}:" if file_level else f"{d.path}:{d.line}:{d.column}:", bold=True)
    return f"{where} {click.style(d.rule, bold=True)} {_level(d)} {d.message} ({d.name})"


def _level(d: Diagnostic) -> str:
    return click.style(f"[{d.severity.label}]", fg=_COLOURS[d.severity])


_MAX_EXCERPT_LINES = 6


def _excerpt(d: Diagnostic, source_lines: list[str]) -> list[str]:
    """Each line the finding covers, with carets under the part of it that is covered."""
    if not 0 < d.line <= len(source_lines):
        return []
    last = min(d.end_line, len(source_lines))
    if d.end_line > d.line and d.end_column == 1:
        last -= 1  # a span that ends at the start of a line covers nothing of it
    lines: list[str] = []
    for number in range(d.line, max(last, d.line) + 1):
        if len(lines) == 2 * _MAX_EXCERPT_LINES:
            lines.append("      | ...")
            break
        text = source_lines[number - 1].replace("\t", " ")
        start = d.column if number == d.line else 1
        end = d.end_column if number == d.end_line else len(text) + 1
        gutter = f"{number:>5} | "
        caret = " " * (len(gutter) - 2) + "| " + " " * (start - 1) + "^" * max(1, end - start)
        lines += [gutter + text, click.style(caret, fg=_COLOURS[d.severity])]
    return lines


def summary(results: Sequence[FileResult]) -> str:
    counts = Counter(d.severity for r in results for d in r.diagnostics)
    files = sum(1 for r in results if r.error is None)
    unreadable = sum(1 for r in results if r.error)
    total = sum(counts.values())
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in sorted(counts, reverse=True)
    ]
    text = f"Found {total} problem{'s' if total != 1 else ''}"
    if parts:
        text += f" ({', '.join(parts)})"
    text += f" in {files} file{'s' if files != 1 else ''}."
    if unreadable:
        text += f" {unreadable} file{'s' if unreadable != 1 else ''} could not be linted."
    return text


def render_concise(results: Sequence[FileResult]) -> str:
    return "".join(
        f"{d.path}:{d.line}:{d.column}: {d.rule} {d.message}\n"
        for r in results
        for d in r.diagnostics
    )


def render_statistics(results: Sequence[FileResult]) -> str:
    counts = Counter((d.rule, d.name, d.severity.label) for r in results for d in r.diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return "".join(f"{n:>5}  {rule:<6} {name:<27} {level}\n" for (rule, name, level), n in rows)


def render_json(results: Sequence[FileResult]) -> str:
    counts = Counter(d.severity for r in results for d in r.diagnostics)
    document: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "postmaster-lint", "version": __version__},
        "files": [
            {
                "path": r.path,
                "error": r.error.message if r.error else None,
                "checklist": [item.to_dict() for item in r.checklist],
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


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(results: Sequence[FileResult], rules: Sequence[Rule]) -> str:
    catalogue = sorted({rule.id: rule for rule in rules}.values(), key=lambda rule: rule.id)
    index = {rule.id: position for position, rule in enumerate(catalogue)}
    sarif_results = []
    for result in results:
        for d in result.diagnostics:
            entry: dict[str, Any] = {
                "ruleId": d.rule,
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [
                    _sarif_location(
                        d.path, d.line, d.column, d.end_line, d.end_column, d.start, d.end, d.text
                    )
                ],
            }
            if d.rule in index:
                entry["ruleIndex"] = index[d.rule]
            sarif_results.append(entry)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{r.path}: {r.error.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}],
        }
        for r in results
        if r.error
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "postmaster-lint",
                        "version": __version__,
                        "rules": [_sarif_rule(rule) for rule in catalogue],
                    }
                },
                # Our columns count Unicode code points, not UTF-16 units: say so.
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": sarif_results,
                # Each file's required elements, and where each found one is.
                "properties": {
                    "checklist": [
                        _sarif_checklist(result) for result in results if result.error is None
                    ]
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_checklist(result: FileResult) -> dict[str, Any]:
    elements = []
    for item in result.checklist:
        entry: dict[str, Any] = {
            "element": item.element,
            "ruleId": item.rule,
            "status": item.status,
        }
        evidence = item.evidence
        if evidence is not None:
            entry["location"] = _sarif_location(
                result.path,
                evidence.line,
                evidence.column,
                evidence.end_line,
                evidence.end_column,
                evidence.start,
                evidence.end,
                evidence.text,
            )
            entry["quoted"] = evidence.quoted
            entry["placeholder"] = evidence.placeholder
        elements.append(entry)
    return {"artifactLocation": {"uri": _uri(result.path)}, "elements": elements}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    bad = "\n".join(f"- {' '.join(e.text.split())}" for e in rule.bad_examples[:3])
    described: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"{rule.rationale}\n\nFires on:\n{bad}",
            "markdown": f"{rule.rationale}\n\n**Fires on:**\n\n{bad}",
        },
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }
    if rule.link:
        described["helpUri"] = rule.link
    return described


def _sarif_location(
    path: str,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    start: int,
    end: int,
    text: str,
) -> dict[str, Any]:
    """A SARIF location: the file and the region, with offsets and the text as its snippet."""
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column,
                "charOffset": start,
                "charLength": end - start,
                "snippet": {"text": text},
            },
        }
    }


def _uri(path: str) -> str:
    return path.replace("\\", "/").replace(" ", "%20")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(results: Sequence[FileResult]) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(
                f"::error file={_gh_property(result.path)}::{_gh_data(result.error.message)}"
            )
        for d in result.diagnostics:
            properties = ",".join(
                [
                    f"file={_gh_property(d.path)}",
                    f"line={d.line}",
                    f"col={d.column}",
                    f"endLine={d.end_line}",
                    f"endColumn={d.end_column}",
                    f"title={_gh_property(f'{d.rule} {d.name}')}",
                ]
            )
            lines.append(f"::{_GITHUB_LEVEL[d.severity]} {properties}::{_gh_data(d.message)}")
    return "".join(line + "\n" for line in lines)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
