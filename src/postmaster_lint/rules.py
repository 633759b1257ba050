"""Rules are data: one YAML file per rule. This module loads and validates them strictly.

Unknown keys, wrong types and missing fields are errors that name the file and line, so a
typo in a rule pack never silently disables a check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .detect import DetectSpec, RequireDetect, context_specs, parse_detect
from .diagnostics import Severity
from .errors import OptionError, RuleError, closest, did_you_mean
from .lexicon import LEXICON_DIR, lexicon_files
from .located import LocatedDict
from .schema import check_keys as _check_keys
from .schema import string_field as _string

CATEGORIES = ("pitfall", "required", "style", "provider")
T = TypeVar("T")
_ID = re.compile(r"^[A-Z]{2,5}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_REQUIRED_KEYS = (
    "id",
    "name",
    "category",
    "severity",
    "message",
    "rationale",
    "detect",
    "examples",
)
_OPTIONAL_KEYS = ("options", "link", "insert")


@dataclass(frozen=True)
class Example:
    text: str
    flags: str | None = None  # for bad examples: the exact text the finding must cover


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    category: str
    severity: Severity
    message: str
    rationale: str
    detect: DetectSpec
    options: Mapping[str, Any]
    bad_examples: tuple[Example, ...]
    good_examples: tuple[Example, ...]
    link: str | None
    path: str
    insert: str | None = None  # for required elements: a labeled line an editor can insert

    @property
    def element(self) -> str | None:
        """The required element a `require` rule checks (e.g. "smtp-code"), else None."""
        return self.detect.element if isinstance(self.detect, RequireDetect) else None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, id_or_name: str) -> Rule | None:
        for rule in self.rules:
            if id_or_name in (rule.id, rule.name):
                return rule
        return None

    def resolve(self, id_or_name: str, where: str = "rule") -> Rule:
        """The rule with this id or name (case-insensitive id), or an OptionError."""
        rule = self.get(id_or_name) or self.get(id_or_name.upper())
        if rule is None:
            choices = [r.id for r in self.rules] + [r.name for r in self.rules]
            raise OptionError(f"unknown {where} {id_or_name!r}{did_you_mean(id_or_name, choices)}")
        return rule


def builtin_rules_dir() -> Path:
    """The rule packs shipped in the wheel, or the repository's `rules/` in a source checkout."""
    packaged = Path(__file__).with_name("rules")  # the wheel puts them beside this module
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleError("rule directory not found", str(directory))
    return sorted(
        p
        for p in directory.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml") and LEXICON_DIR not in p.relative_to(directory).parts
    )


Stamp = tuple[tuple[str, int, int], ...]  # each rule file's name, size and mtime


def rules_stamp(directories: Iterable[Path]) -> Stamp:
    """Cheap identity of the rule files in play (name, size, mtime): long-lived processes (the
    language server) notice an edited rule pack by it."""
    stamp = []
    for directory in directories:
        lexicon = lexicon_files(directory / LEXICON_DIR)
        for path in [*rule_files(directory), *lexicon] if directory.is_dir() else []:
            info = path.stat()
            stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


# Rule sets parsed in this process, by directories and stamp (the most recent few).
_PARSED: dict[tuple[tuple[Path, ...], Stamp], RuleSet] = {}


def rules_once(directories: Sequence[Path], stamp: Stamp | None = None) -> RuleSet:
    """`load_rules(directories)`, parsed once per process while the files are unchanged: the
    CLI's option check and the linter it then builds read the same rules."""
    key = (tuple(directories), stamp if stamp is not None else rules_stamp(directories))
    if key not in _PARSED:
        remember_rules(key[0], key[1], load_rules(key[0]))
    return _PARSED[key]


def parsed_rules(directories: Sequence[Path], stamp: Stamp) -> RuleSet | None:
    """The rule set `rules_once` holds for these files, if any."""
    return _PARSED.get((tuple(directories), stamp))


def remember_rules(directories: Sequence[Path], stamp: Stamp, rules: RuleSet) -> None:
    """Hand `rules_once` a rule set read another way (the cache's JSON copy)."""
    _PARSED[(tuple(directories), stamp)] = rules
    while len(_PARSED) > 8:
        del _PARSED[next(iter(_PARSED))]


def load_rules(directories: Iterable[Path] | None = None) -> RuleSet:
    """Load every rule file in the given directories (default: the built-in rules)."""
    from .yamlsafe import read_yaml_file  # PyYAML is only needed when rules are parsed

    dirs = list(directories) if directories is not None else [builtin_rules_dir()]
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for directory in dirs:
        for path in rule_files(directory):
            rule = parse_rule(read_yaml_file(path, RuleError), str(path))
            for key in (rule.id, rule.name):
                if key in seen:
                    raise RuleError(f"{key!r} is already defined in {seen[key]}", str(path), 1)
                seen[key] = str(path)
            rules.append(rule)
    check_references(rules)
    return RuleSet(tuple(sorted(rules, key=lambda r: r.id)))


def check_references(rules: Iterable[Rule]) -> None:
    """A rule may name another rule's required element (`without_applies_if`); an unknown name
    is an error at its line, not a condition that silently never holds."""
    rules = list(rules)
    elements = {r.element for r in rules if r.element}
    for rule in rules:
        for context in context_specs(rule.detect):
            name = context.without_applies_if
            if name is not None and name not in elements:
                raise RuleError(
                    f"without_applies_if names no required element: {name!r}"
                    f"{did_you_mean(name, sorted(elements))}",
                    rule.path,
                    context.line or None,
                )


def parse_rule(data: Any, path: str) -> Rule:
    """A rule from its YAML mapping; every problem in the file is reported (RuleErrors), each
    at its line, not only the first."""
    if not isinstance(data, LocatedDict):
        raise RuleError("a rule file must be a YAML mapping", path, 1)
    errors: list[RuleError] = []

    def checked(parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except RuleErrors as exc:
            errors.extend(exc.errors)
        except RuleError as exc:
            errors.append(exc)
        return None

    allowed = _REQUIRED_KEYS + _OPTIONAL_KEYS
    misspelt = {closest(key, allowed) for key in data if key not in allowed}
    for key in data:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            errors.append(RuleError(f"unknown key {key!r}{hint}", path, data.line_of(key)))
    for key in _REQUIRED_KEYS:
        if key not in data and key not in misspelt:  # "mesage: ..." already says it
            errors.append(RuleError(f"missing required key {key!r}", path, data.line))
    rule_id = checked(lambda: _rule_id(data, path))
    name = checked(lambda: _name(data, path))
    category = checked(lambda: _category(data, path))
    severity = checked(lambda: _severity(data, path))
    message = checked(lambda: _string(data, "message", path)) if "message" in data else None
    rationale = checked(lambda: _string(data, "rationale", path)) if "rationale" in data else None
    options = checked(lambda: _options(data, path))
    detect = None
    if "detect" in data and options is not None:
        detect = checked(
            lambda: parse_detect(data["detect"], path, data.line_of("detect"), options)
        )
    examples = checked(lambda: _examples(data, path)) if "examples" in data else None
    link = checked(lambda: _optional_string(data, "link", path))
    insert = checked(lambda: _optional_string(data, "insert", path, one_line=True))
    if errors:
        raise RuleErrors(errors)
    assert rule_id and name and category and severity and message and rationale
    assert options is not None and detect is not None and examples is not None
    return Rule(
        id=rule_id,
        name=name,
        category=category,
        severity=severity,
        message=message,
        rationale=rationale.strip(),
        detect=detect,
        options=options,
        bad_examples=examples[0],
        good_examples=examples[1],
        link=link,
        path=path,
        insert=insert.strip() if insert else None,
    )


class RuleErrors(RuleError):
    """Every problem found in one rule file; it reads as the first (one line) where a caller
    shows one, and `check-rules` lists them all."""

    def __init__(self, errors: list[RuleError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line)
        self.errors = errors


def _rule_id(data: LocatedDict, path: str) -> str:
    rule_id = _string(data, "id", path)
    if not _ID.match(rule_id):
        raise RuleError(f"id {rule_id!r} must look like PM104", path, data.line_of("id"))
    if Path(path).stem != rule_id:
        raise RuleError(f"file name must match the id: {rule_id}.yaml", path, data.line_of("id"))
    return rule_id


def _name(data: LocatedDict, path: str) -> str:
    name = _string(data, "name", path)
    if not _NAME.match(name):
        raise RuleError(
            f"name {name!r} must be lower-case-with-hyphens", path, data.line_of("name")
        )
    return name


def _category(data: LocatedDict, path: str) -> str:
    category = _string(data, "category", path)
    if category not in CATEGORIES:
        raise RuleError(
            f"category must be one of {', '.join(CATEGORIES)}{did_you_mean(category, CATEGORIES)}",
            path,
            data.line_of("category"),
        )
    return category


def _severity(data: LocatedDict, path: str) -> Severity:
    try:
        return Severity.parse(_string(data, "severity", path))
    except ValueError as exc:
        raise RuleError(str(exc), path, data.line_of("severity")) from None


def _options(data: LocatedDict, path: str) -> dict[str, Any]:
    options = data.get("options") or {}
    if not isinstance(options, dict) or not all(
        isinstance(v, (int, float, bool, str)) for v in options.values()
    ):
        raise RuleError("'options' must map names to scalars", path, data.line_of("options"))
    return dict(options)


def _optional_string(data: LocatedDict, key: str, path: str, one_line: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or (one_line and "\n" in value.strip()):
        kind = "a one-line string" if one_line else "a string"
        raise RuleError(f"'{key}' must be {kind}", path, data.line_of(key))
    return value


def _examples(data: LocatedDict, path: str) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    examples = data["examples"]
    line = data.line_of("examples")
    if not isinstance(examples, LocatedDict):
        raise RuleError("'examples' must be a mapping with 'bad' and 'good' lists", path, line)
    _check_keys(examples, path, ("bad", "good"))
    parsed: list[tuple[Example, ...]] = []
    for key in ("bad", "good"):
        items = examples[key]
        if not isinstance(items, list) or not items:
            raise RuleError(f"examples.{key} must be a non-empty list", path, examples.line_of(key))
        parsed.append(tuple(_example(item, path, examples.line_of(key)) for item in items))
    return parsed[0], parsed[1]


def _example(item: Any, path: str, line: int) -> Example:
    if isinstance(item, str):
        return Example(item)
    if isinstance(item, LocatedDict):
        _check_keys(item, path, ("text",), ("flags",))
        flags = item.get("flags")
        if flags is not None and not isinstance(flags, str):
            raise RuleError("'flags' must be a string", path, item.line_of("flags"))
        return Example(_string(item, "text", path), flags)
    raise RuleError("an example is a string or a mapping with 'text' (and 'flags')", path, line)
