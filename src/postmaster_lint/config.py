"""What a run is asked to do: which rules, at which severity, with which options.

The CLI, the API and (later) configuration files all produce one immutable `LintConfig`;
`resolve()` checks it against the loaded rules, so a typo in a rule id is an error that names
the closest valid choice instead of a silently ignored setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Severity
from .errors import OptionError, did_you_mean
from .rules import Rule, RuleSet


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] = ()  # rule ids or names; empty means every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (rule, severity)
    options: tuple[tuple[str, str, Any], ...] = ()  # (rule, option, value)
    rule_dirs: tuple[Path, ...] = ()  # extra rule packs beside the built-in ones
    placeholders: tuple[tuple[str, str], ...] = ()  # (template variable, required element)
    # The provider the draft is for (--provider, or `provider:` for its path in the
    # configuration); None: recognised from the draft. Part of the result cache's key.
    provider: str | None = None

    @classmethod
    def create(
        cls,
        select: tuple[str, ...] | list[str] = (),
        ignore: tuple[str, ...] | list[str] = (),
        severity: Mapping[str, str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        rule_dirs: tuple[Path, ...] | list[Path] = (),
        placeholders: Mapping[str, str] | None = None,
        provider: str | None = None,
    ) -> LintConfig:
        return cls(
            select=tuple(select),
            ignore=tuple(ignore),
            severity=tuple(sorted((severity or {}).items())),
            options=tuple(
                (rule, key, value)
                for rule, values in sorted((options or {}).items())
                for key, value in sorted(values.items())
            ),
            rule_dirs=tuple(Path(d) for d in rule_dirs),
            placeholders=tuple(sorted((placeholders or {}).items())),
            provider=provider,
        )


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


def resolve(config: LintConfig, rules: RuleSet) -> list[ActiveRule]:
    """The rules this run applies, with severities and options settled."""
    if config.provider is not None:
        from .providers import load_providers

        load_providers().resolve(config.provider)  # an unknown id: an error with a did-you-mean
    selected = (
        {rules.resolve(r, "rule in --select").id for r in config.select}
        if config.select
        else {r.id for r in rules}
    )
    ignored = {rules.resolve(r, "rule in --ignore").id for r in config.ignore}
    severities: dict[str, Severity] = {}
    for name, level in config.severity:
        rule = rules.resolve(name, "rule in severity")
        try:
            severities[rule.id] = Severity.parse(level)
        except ValueError as exc:
            raise OptionError(f"{rule.id}: {exc}") from None
    options: dict[str, dict[str, Any]] = {r.id: dict(r.options) for r in rules}
    for name, key, value in config.options:
        rule = rules.resolve(name, "rule in option")
        options[rule.id][key] = check_option(rule, key, value)
    return [
        ActiveRule(rule, severities.get(rule.id, rule.severity), options[rule.id])
        for rule in rules
        if rule.id in selected and rule.id not in ignored
    ]


def check_option(rule: Rule, key: str, value: Any) -> Any:
    """`value` if `rule` has an option `key` of that type, else an OptionError."""
    if key not in rule.options:
        known = ", ".join(sorted(rule.options)) or "none"
        hint = did_you_mean(key, rule.options)
        raise OptionError(f"{rule.id} has no option {key!r}{hint}; its options: {known}")
    default = rule.options[key]
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        expected: type = type(default)
        ok = isinstance(value, expected)
    else:
        expected = float if isinstance(default, float) else int
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and expected is int and isinstance(value, float) and not value.is_integer():
            ok = False
    if not ok:
        raise OptionError(f"{rule.id} option {key!r} must be {expected.__name__}, not {value!r}")
    return value


def parse_option_assignment(text: str) -> tuple[str, str, Any]:
    """'PM102.threshold=2' -> ('PM102', 'threshold', 2), the CLI's --set syntax."""
    target, sep, raw = text.partition("=")
    rule, dot, key = target.partition(".")
    if not sep or not dot or not rule or not key:
        raise OptionError(f"--set expects RULE.OPTION=VALUE, not {text!r}")
    value: Any = raw
    for convert in (int, float):
        try:
            value = convert(raw)
            break
        except ValueError:
            continue
    if raw.lower() in ("true", "false"):
        value = raw.lower() == "true"
    return rule, key, value
