"""Project configuration files: `.postmaster-lint.yaml`, or `[tool.postmaster-lint]` in
`pyproject.toml`, found from the linted file's directory upwards (the nearest one wins).

Every key is checked: unknown keys, wrong types and unknown rule ids are errors that name the
file, the line (YAML) and the key, with the closest valid choice.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from .config import check_option
from .diagnostics import Severity
from .errors import UserError, did_you_mean
from .located import LocatedDict
from .rules import RuleSet, builtin_rules_dir, load_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

YAML_NAME = ".postmaster-lint.yaml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "postmaster-lint"

KEYS: dict[str, str] = {
    "select": "list of rule ids or names",
    "ignore": "list of rule ids or names",
    "severity": "mapping of rule -> error|warning|info",
    "options": "mapping of rule -> {option: value}",
    "per-file-ignores": "mapping of glob -> list of rules",
    "include": "list of globs",
    "exclude": "list of globs",
    "extra-rules": "list of directories",
    "placeholders": "mapping of template variable -> required element",
    "fail-on": "error|warning|info",
    "provider": "provider id, or mapping of glob -> provider id",
}


class ConfigError(UserError):
    """A configuration file is malformed or names something that does not exist."""


@dataclass(frozen=True)
class ProjectConfig:
    """One configuration file's settings, checked, with where each came from."""

    path: Path | None = None  # None: no configuration file
    values: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int | None] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def source(self, key: str) -> str:
        if key not in self.values or self.path is None:
            return "default"
        line = self.lines.get(key)
        return f"{self.path}:{line}" if line else str(self.path)

    def extra_rule_dirs(self) -> list[Path]:
        return [self.root / d for d in self.get("extra-rules", [])]

    def relative(self, path: str) -> str | None:
        """`path` relative to the configuration's directory, POSIX style, or None outside it."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def excluded(self, path: str) -> bool:
        # Each test below resolves the path only when there are globs to match it against:
        # resolving costs a system call per path component, for every file of a run.
        patterns = self.get("exclude", [])
        if not patterns:
            return False
        relative = self.relative(path)
        return relative is not None and matches_any(relative, patterns)

    def included(self, path: str) -> bool | None:
        """For directory walks: True/False when `include` is set, None to use the defaults."""
        patterns = self.get("include")
        if not patterns:
            return None
        relative = self.relative(path)
        return relative is not None and matches_any(relative, patterns)

    def provider_for(self, path: str) -> str | None:
        """The provider `provider:` gives for `path`: the one id, or the first glob matching
        it (relative to this file's directory)."""
        value = self.get("provider")
        if value is None or isinstance(value, str):
            return value
        relative = self.relative(path)
        if relative is None:
            return None
        return next((p for glob, p in value.items() if matches_any(relative, [glob])), None)

    def ignored_rules(self, path: str) -> set[str]:
        per_file = self.get("per-file-ignores", {})
        relative = self.relative(path) if per_file else None
        if relative is None:
            return set()
        ignored: set[str] = set()
        for pattern, rules in per_file.items():
            if matches_any(relative, [pattern]):
                ignored.update(rules)
        return ignored


def matches_any(relative: str, patterns: Iterable[str]) -> bool:
    """fnmatch globs against the path relative to the configuration's directory: `*` matches
    across directories, `**/` any depth including none, and a pattern without a slash also
    matches the bare file name."""
    pure = PurePosixPath(relative)
    for pattern in patterns:
        if "/" not in pattern and fnmatch.fnmatch(pure.name, pattern):
            return True
        if _glob(relative, pattern):
            return True
    return False


def _glob(relative: str, pattern: str) -> bool:
    if fnmatch.fnmatch(relative, pattern):
        return True
    if "**/" in pattern:
        return fnmatch.fnmatch(relative, pattern.replace("**/", "")) or fnmatch.fnmatch(
            relative, pattern.replace("**/", "*/")
        )
    return False


def discover(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a file's directory)."""
    directory = start if start.is_dir() else start.parent
    for candidate in (directory.resolve(), *directory.resolve().parents):
        yaml_file = candidate / YAML_NAME
        if yaml_file.is_file():
            return yaml_file
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    """Does this pyproject.toml configure postmaster-lint? Parsed once per version of the file:
    the language server asks on every keystroke."""
    try:
        info = pyproject.stat()
    except OSError:
        return False
    return _parse_has_tool_table(pyproject, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _parse_has_tool_table(pyproject: Path, mtime_ns: int, size: int) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not ours to judge: only a file with our table is our config
    return isinstance(data.get("tool"), dict) and TOOL_TABLE in data["tool"]


def load(path: Path) -> ProjectConfig:
    """Read and check one configuration file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", name) from None
    if path.name == PYPROJECT:
        try:
            data = tomllib.loads(text).get("tool", {}).get(TOOL_TABLE, {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", name) from None
        lines: dict[str, int | None] = {}
    else:
        from .yamlsafe import load_yaml  # PyYAML only when there is a YAML file to read

        data = load_yaml(text, name, ConfigError) or {}
        lines = dict(data.key_lines) if isinstance(data, LocatedDict) else {}
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of settings", name, 1)
    checker = _Checker(path, data, lines)
    return ProjectConfig(path, checker.check(), lines)


class _Checker:
    """Type and name checks; rule ids are checked against the rules the config itself loads."""

    def __init__(self, path: Path, data: Mapping[str, Any], lines: Mapping[str, int | None]):
        self.path = path
        self.data = data
        self.lines = lines

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", str(self.path), self.line_of(key))

    def line_of(self, key: str) -> int | None:
        """The line of the innermost part of a dotted key ("options.PM102.threshhold") that
        YAML located, so a typo inside a flow mapping is reported at its own line."""
        parts = key.split(".")
        line = self.lines.get(parts[0])
        node: Any = self.data
        for part in parts:
            if not (isinstance(node, LocatedDict) and part in node):
                break
            line, node = node.line_of(part), node[part]
        return line

    def check(self) -> dict[str, Any]:
        for key in self.data:
            if key not in KEYS:
                raise self.fail(key, f"unknown setting{did_you_mean(key, KEYS)}")
        values: dict[str, Any] = {}
        for key in ("extra-rules", "include", "exclude"):
            if key in self.data:
                values[key] = self.string_list(key)
        for directory in values.get("extra-rules", []):
            if not (self.path.parent / directory).is_dir():
                raise self.fail("extra-rules", f"no such directory: {directory}")
        rules = load_rules(
            [builtin_rules_dir(), *(self.path.parent / d for d in values.get("extra-rules", []))]
        )
        for key in ("select", "ignore"):
            if key in self.data:
                values[key] = [self.rule_id(rules, key, r) for r in self.string_list(key)]
        if "severity" in self.data:
            values["severity"] = {
                self.rule_id(rules, "severity", rule): self.severity(f"severity.{rule}", level)
                for rule, level in self.mapping("severity").items()
            }
        if "options" in self.data:
            values["options"] = self.options(rules)
        if "per-file-ignores" in self.data:
            values["per-file-ignores"] = {
                str(glob): [
                    self.rule_id(rules, f"per-file-ignores.{glob}", r)
                    for r in self.list_of_strings(f"per-file-ignores.{glob}", ids)
                ]
                for glob, ids in self.mapping("per-file-ignores").items()
            }
        if "placeholders" in self.data:
            values["placeholders"] = self.placeholders(rules)
        if "fail-on" in self.data:
            values["fail-on"] = self.severity("fail-on", self.data["fail-on"])
        if "provider" in self.data:
            values["provider"] = self.provider()
        return values

    def provider(self) -> str | dict[str, str]:
        """One provider id for every file, or a mapping of glob -> provider id."""
        from .providers import load_providers

        providers = load_providers()
        value = self.data["provider"]

        def checked(key: str, given: Any) -> str:
            if not isinstance(given, str) or not given:
                raise self.fail(key, "expected a provider id")
            if providers.get(given.lower()) is None:
                ids = [p.id for p in providers]
                raise self.fail(key, f"unknown provider {given!r}{did_you_mean(given, ids)}")
            return given.lower()

        if isinstance(value, dict):
            return {str(glob): checked(f"provider.{glob}", p) for glob, p in value.items()}
        return checked("provider", value)

    def string_list(self, key: str) -> list[str]:
        return self.list_of_strings(key, self.data[key])

    def list_of_strings(self, key: str, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "expected a list of strings")
        return list(value)

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.data[key]
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a {KEYS[key]}")
        return value

    def rule_id(self, rules: RuleSet, key: str, name: str) -> str:
        rule = rules.get(name) or rules.get(name.upper())
        if rule is None:
            choices = [r.id for r in rules] + [r.name for r in rules]
            raise self.fail(key, f"unknown rule {name!r}{did_you_mean(name, choices)}")
        return rule.id

    def severity(self, key: str, value: Any) -> str:
        try:
            return Severity.parse(str(value)).label
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def options(self, rules: RuleSet) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for name, values in self.mapping("options").items():
            rule_id = self.rule_id(rules, "options", name)
            rule = rules.get(rule_id)
            assert rule is not None
            if not isinstance(values, dict):
                raise self.fail(f"options.{name}", "expected a mapping of option -> value")
            for option, value in values.items():
                try:
                    result.setdefault(rule_id, {})[option] = check_option(rule, option, value)
                except UserError as exc:
                    raise self.fail(f"options.{name}.{option}", exc.message) from None
        return result

    def placeholders(self, rules: RuleSet) -> dict[str, str]:
        elements = sorted(r.element for r in rules if r.element)
        result = {}
        for variable, element in self.mapping("placeholders").items():
            if element not in elements:
                hint = did_you_mean(str(element), elements)
                raise self.fail(
                    f"placeholders.{variable}",
                    f"unknown element {element!r}{hint}; elements: {', '.join(elements)}",
                )
            result[str(variable)] = str(element)
        return result
