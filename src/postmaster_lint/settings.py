"""What applies to each file: its configuration file (if any) merged with the command line."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import configfile
from .config import LintConfig
from .configfile import ProjectConfig
from .diagnostics import Severity

DEFAULT_FAIL_ON = "info"


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; they win over configuration files."""

    select: tuple[str, ...] = ()  # replaces the file's `select` when given
    ignore: tuple[str, ...] = ()  # added to the file's `ignore`
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    rule_dirs: tuple[Path, ...] = ()
    fail_on: str | None = None
    config: Path | None = None  # --config: use this file for every path
    no_config: bool = False  # --no-config
    provider: str | None = None  # --provider: every draft is for this provider


@dataclass(frozen=True)
class Settings:
    project: ProjectConfig
    lint: LintConfig
    fail_on: Severity
    provider: str | None = None  # --provider, which wins over the configuration's

    def lint_for(self, path: str | None) -> LintConfig:
        """The configuration that lints `path`: `lint` with the provider given for it
        (--provider, else the configuration's `provider:` for the path, else none)."""
        provider = self.provider
        if provider is None and path is not None and path != "<stdin>":
            provider = self.project.provider_for(path)
        return dataclasses.replace(self.lint, provider=provider)


class SettingsResolver:
    """Finds and caches the settings for each file's directory."""

    def __init__(self, overrides: Overrides | None = None) -> None:
        self.overrides = overrides or Overrides()
        self._by_file: dict[Path | None, Settings] = {}
        self._by_directory: dict[Path, Path | None] = {}
        self._resolved: dict[str, Path] = {}  # a directory as written -> resolved

    def for_path(self, path: str | None) -> Settings:
        return self._settings(self.config_file(path))

    def config_file(self, path: str | None) -> Path | None:
        if self.overrides.no_config:
            return None
        if self.overrides.config is not None:
            return self.overrides.config
        if path and os.path.islink(path):
            directory = Path(path).resolve().parent  # a link's settings are its target's
        elif path:
            # One resolve per directory as written, not per file (a run passes many files of
            # few directories; resolving costs a system call per path component).
            written = os.path.dirname(path)
            if written not in self._resolved:
                self._resolved[written] = Path(written or ".").resolve()
            directory = self._resolved[written]
        else:
            directory = Path.cwd()
        if directory not in self._by_directory:
            self._by_directory[directory] = configfile.discover(directory)
        return self._by_directory[directory]

    def _settings(self, config_path: Path | None) -> Settings:
        if config_path not in self._by_file:
            project = configfile.load(config_path) if config_path else ProjectConfig()
            self._by_file[config_path] = merge(project, self.overrides)
        return self._by_file[config_path]


def merge(project: ProjectConfig, overrides: Overrides) -> Settings:
    options: dict[str, dict[str, Any]] = {
        rule: dict(values) for rule, values in project.get("options", {}).items()
    }
    for rule, values in overrides.options.items():
        options.setdefault(rule, {}).update(values)
    lint = LintConfig.create(
        select=list(overrides.select) or project.get("select", []),
        ignore=[*project.get("ignore", []), *overrides.ignore],
        severity=project.get("severity", {}),
        options=options,
        rule_dirs=[*project.extra_rule_dirs(), *overrides.rule_dirs],
        placeholders=project.get("placeholders", {}),
    )
    fail_on = overrides.fail_on or project.get("fail-on") or DEFAULT_FAIL_ON
    return Settings(project, lint, Severity.parse(fail_on), overrides.provider)
