"""The user-facing rule reference, generated from the rule YAML (docs/rules.md)."""

from __future__ import annotations

from .rules import Rule, RuleSet

_CATEGORY_TITLES = {
    "pitfall": "Pitfalls: what gets a request ignored",
    "required": "Required elements: what a request must carry",
    "style": "Style: what makes a request hard to act on",
    "provider": "Provider: what this provider or list asks, and whose block it is",
}


def render_rules_markdown(rules: RuleSet) -> str:
    out = [
        "# Rule reference",
        "",
        "<!-- Generated from rules/*.yaml by `postmaster-lint rules --format markdown`. "
        "Do not edit by hand. -->",
        "",
        "| id | name | category | severity |",
        "|---|---|---|---|",
    ]
    out += [
        f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.category} | {r.severity.label} |"
        for r in rules
    ]
    for category, title in _CATEGORY_TITLES.items():
        members = [r for r in rules if r.category == category]
        if members:
            out += ["", f"## {title}"]
            for rule in members:
                out += _rule_section(rule)
    return "\n".join(out) + "\n"


def _rule_section(rule: Rule) -> list[str]:
    lines = [
        "",
        f"### {rule.id} {rule.name}",
        "",
        f"Severity: **{rule.severity.label}** · detection: `{rule.detect.kind}`",
        "",
        f"> {rule.message}",
        "",
        rule.rationale,
    ]
    if rule.options:
        lines += ["", "Options (set with `--set " + rule.id + ".NAME=VALUE`):", ""]
        lines += [f"- `{key}` = `{value}`" for key, value in rule.options.items()]
    if rule.link:
        lines += ["", f"Source: <{rule.link}>"]
    lines += ["", "Fires on:", ""]
    lines += [_quote(e.text) for e in rule.bad_examples]
    lines += ["", "Does not fire on:", ""]
    lines += [_quote(e.text) for e in rule.good_examples]
    return lines


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > 160:
        flat = flat[:157] + "..."
    return f"- `{flat}`" if "`" not in flat else f"- {flat}"
