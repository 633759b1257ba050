"""`postmaster-lint rules` and `postmaster-lint explain`: the catalogue, from the rule YAML."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from ..rules import Rule, RuleSet, builtin_rules_dir, load_rules


def catalogue(rule_dirs: tuple[Path, ...] = ()) -> RuleSet:
    """The built-in rules and those of `rule_dirs`: read from YAML, no NLP pipeline built."""
    return load_rules([builtin_rules_dir(), *rule_dirs])


def list_rules(output_format: str, rule_dirs: tuple[Path, ...] = ()) -> str:
    rules = catalogue(rule_dirs)
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


def explain_rule(id_or_name: str, output_format: str, rule_dirs: tuple[Path, ...] = ()) -> str:
    rule = catalogue(rule_dirs).resolve(id_or_name)
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
        textwrap.fill(_with_options(rule), 88),
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


class _Unknown(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "…"  # a per-finding detail, such as the total weight of the apologies found


def _with_options(rule: Rule) -> str:
    """The message as a finding would print it: options filled in ("limit 1"), and what each
    finding fills in shown as "…"."""
    return rule.message.format_map(_Unknown(rule.options)).strip()


# "(e.g. '550 5.7.1 ...')": an example in parentheses is no part of a one-line summary.
_EXAMPLE = re.compile(r"\s*\((?:e\.g\.|i\.e\.|for example)[^)]*\)")
_DETAIL = re.compile(r"\s*\([^)]*\{[^}]*\}[^)]*\)|:?\s*\{[^}]*\}")  # per-finding details
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    text = _EXAMPLE.sub("", _DETAIL.sub("", text))
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip().rstrip(".")


def _example(text: str) -> str:
    flat = " ".join(text.split())
    return "  - " + (flat if len(flat) <= 100 else flat[:97] + "...")
