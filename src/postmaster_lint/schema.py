"""Strict checks for YAML data files (rules, providers): unknown keys and wrong types are
errors that name the file and line, raised as the caller's error class."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .errors import RuleError, UserError, did_you_mean
from .located import LocatedDict


def check_keys(
    data: LocatedDict,
    path: str,
    required: Iterable[str],
    optional: Iterable[str] = (),
    error: type[UserError] = RuleError,
) -> None:
    required = tuple(required)
    allowed = required + tuple(optional)
    for key in data:
        if key not in allowed:
            raise error(f"unknown key {key!r}{did_you_mean(key, allowed)}", path, data.line_of(key))
    for key in required:
        if key not in data:
            raise error(f"missing required key {key!r}", path, data.line)


def string_field(data: LocatedDict, key: str, path: str, error: type[UserError] = RuleError) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error(f"{key!r} must be a non-empty string", path, data.line_of(key))
    return value


def mapping_field(
    data: LocatedDict, key: str, path: str, error: type[UserError] = RuleError
) -> LocatedDict:
    value = data.get(key)
    if not isinstance(value, LocatedDict):
        raise error(f"{key!r} must be a mapping", path, data.line_of(key))
    return value


def string_list(
    data: LocatedDict, key: str, path: str, error: type[UserError] = RuleError
) -> tuple[str, ...]:
    """A list of non-empty strings (absent: empty)."""
    value: Any = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error(f"{key!r} must be a list of non-empty strings", path, data.line_of(key))
    return tuple(value)
