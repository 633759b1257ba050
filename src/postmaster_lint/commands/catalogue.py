"""`postmaster-lint rules` and `postmaster-lint explain`: the catalogue, from the rule YAML."""

from __future__ import annotations

import json
import re
import textwrap

from ..api import get_linter
from ..rules import Rule


def list_rules(output_format: str) -> str:
    rules = get_linter().rules
    if output_format == "markdown":
        from ..docs import render_rules_markdown

        return render_rules_markdown(rules)
    if output_format == "json":
        return json.dumps([_summary(rule) for rule in rules], indent=2) + "\n"
    lines = [f"{'id':<6} {'name':<27} {'category':<9} {'severity':<8} summary"]
    for rule in rules:
        lines.append(
            f"{rule.id:<6} {rule.name:<27} {rule.category:<9} {rule.severity.label:<8} "
            f"{_first_sentence(rule.message)}"
        )
    return "\n".join(lines) + "\n"


def explain_rule(id_or_name: str, output_format: str) -> str:
    rule = get_linter().rules.resolve(id_or_name)
    if output_format == "json":
        data = _summary(rule) | {
            "rationale": rule.rationale,
            "options": dict(rule.options),
            "examples": {
                "bad": [e.text for e in rule.bad_examples],
                "good": [e.text for e in rule.good_examples],
            },
        }
        return json.dumps(data, indent=2) + "\n"
    out = [
        f"{rule.id} {rule.name} ({rule.category}, {rule.severity.label})",
        "",
        textwrap.fill(rule.message, 88),
        "",
        "Why it matters:",
        textwrap.indent(textwrap.fill(rule.rationale, 84), "  "),
    ]
    if rule.options:
        out += ["", "Options:"] + [f"  {key} = {value}" for key, value in rule.options.items()]
    out += ["", "Fires on:"] + [_example(e.text) for e in rule.bad_examples]
    out += ["", "Does not fire on:"] + [_example(e.text) for e in rule.good_examples]
    if rule.link:
        out += ["", f"See: {rule.link}"]
    return "\n".join(out) + "\n"


def _summary(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity.label,
        "message": rule.message,
        "link": rule.link,
    }


def _first_sentence(text: str) -> str:
    text = re.sub(
        r"\s*\([^)]*\{[^}]*\}[^)]*\)|:?\s*\{[^}]*\}", "", text
    )  # drop per-finding details
    head, _, _ = text.partition(". ")
    return head.rstrip(".") if len(head) < len(text) else text.rstrip(".")


def _example(text: str) -> str:
    flat = " ".join(text.split())
    return "  - " + (flat if len(flat) <= 100 else flat[:97] + "...")
