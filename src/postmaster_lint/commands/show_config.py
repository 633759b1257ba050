"""`postmaster-lint config`: the effective configuration and where each value came from."""

from __future__ import annotations

from typing import Any

from ..config import resolve
from ..settings import DEFAULT_FAIL_ON, Overrides, SettingsResolver
from .catalogue import catalogue


def describe(path: str | None, overrides: Overrides) -> str:
    resolver = SettingsResolver(overrides)
    settings = resolver.for_path(path)
    project = settings.project
    rules = catalogue(settings.lint.rule_dirs)  # read from YAML; no NLP pipeline is built
    cli = "command line"

    def source(key: str, overridden: bool = False) -> str:
        return cli if overridden else project.source(key)

    active = {a.rule.id: a for a in resolve(settings.lint, rules)}
    lines = [f"# configuration file: {project.path or 'none (defaults)'}"]
    rows: list[tuple[str, Any, str]] = [
        (
            "select",
            list(settings.lint.select) or "all rules",
            source("select", bool(overrides.select)),
        ),
        ("ignore", list(settings.lint.ignore), source("ignore", bool(overrides.ignore))),
        (
            "fail-on",
            settings.fail_on.label,
            source("fail-on", overrides.fail_on is not None)
            if overrides.fail_on or "fail-on" in project.values
            else f"default ({DEFAULT_FAIL_ON})",
        ),
        (
            "extra-rules",
            [str(d) for d in settings.lint.rule_dirs],
            source("extra-rules", bool(overrides.rule_dirs)),
        ),
        ("include", project.get("include", []), source("include")),
        ("exclude", project.get("exclude", []), source("exclude")),
        ("per-file-ignores", project.get("per-file-ignores", {}), source("per-file-ignores")),
        ("placeholders", dict(settings.lint.placeholders), source("placeholders")),
        (
            "provider",
            settings.lint_for(path).provider or "recognised from the draft",
            source("provider", overrides.provider is not None),
        ),
    ]
    for rule in rules:
        state = active.get(rule.id)
        if state is None:
            rows.append((f"rules.{rule.id}", "off", source("ignore")))
            continue
        severity_set = rule.id in project.get("severity", {})
        rows.append(
            (
                f"rules.{rule.id}.severity",
                state.severity.label,
                source("severity") if severity_set else "default (rule)",
            )
        )
        for option, value in state.options.items():
            if option in overrides.options.get(rule.id, {}):
                origin = cli
            elif option in project.get("options", {}).get(rule.id, {}):
                origin = source("options")
            else:
                origin = "default (rule)"
            rows.append((f"rules.{rule.id}.{option}", value, origin))
    width = max(len(f"{key}: {value}") for key, value, _ in rows)
    lines += [f"{f'{key}: {value}':<{width}}  # {origin}" for key, value, origin in rows]
    return "\n".join(lines) + "\n"
