"""The result cache: findings keyed by everything that decides them.

A key is the hash of a lint job (runner.LintJob: the text, its reader, the resolved
configuration and the rules its path ignores), the bytes of every rule file in play, and the
package's version and files. The path itself is not in the key (findings are stored without it),
so a renamed file with the same reader is a hit and a changed one never is. A run whose files
are all hits never imports spaCy.

Entries are small JSON files written atomically under the cache directory (default
`.postmaster-lint-cache` in the current directory, `--cache-dir`, or $POSTMASTER_LINT_CACHE_DIR),
which marks itself with CACHEDIR.TAG and a `.gitignore` of `*`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._version import __version__
from .detect import spec_from_data, spec_to_data
from .diagnostics import Diagnostic, Severity
from .evidence import ChecklistItem
from .lexicon import LEXICON_DIR, lexicon_files
from .rules import (
    Example,
    Rule,
    RuleSet,
    builtin_rules_dir,
    parsed_rules,
    remember_rules,
    rule_files,
    rules_once,
    rules_stamp,
)
from .runner import LintJob

DEFAULT_DIR = ".postmaster-lint-cache"
ENV_DIR = "POSTMASTER_LINT_CACHE_DIR"
_FORMAT = 3  # bump when the entry layout changes
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# postmaster-lint result cache\n"


def default_directory() -> Path:
    return Path(os.environ.get(ENV_DIR) or DEFAULT_DIR)


def rules_fingerprint(rule_dirs: tuple[Path, ...]) -> str:
    """A hash of the bytes of every rule file in play."""
    return _fingerprint(rule_dirs, rules_stamp([builtin_rules_dir(), *rule_dirs]))


@lru_cache(maxsize=32)
def _fingerprint(rule_dirs: tuple[Path, ...], stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for directory in (builtin_rules_dir(), *rule_dirs):
        for path in [*rule_files(directory), *lexicon_files(directory / LEXICON_DIR)]:
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(path.read_bytes())
    # The provider data decides the PM4xx findings as the rule files decide the others.
    from .providers import builtin_providers_dir, provider_files  # not needed on a cache hit

    for path in provider_files(builtin_providers_dir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(job: LintJob, rules: str) -> str:
    """The cache key of a lint job: every field of the job (what it says a lint depends on),
    the rule files (`rules_fingerprint`) and the code that lints."""
    digest = hashlib.sha256()
    parts = [f"{_FORMAT}|{__version__}|{code_fingerprint()}", rules]
    parts += [f"{f.name}={getattr(job, f.name)!r}" for f in fields(job) if f.name != "text"]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(job.text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The installed package's files (name, size, modification time): a checkout edited
    within one version, or a reinstall of the same version, never serves old findings."""
    package = Path(__file__).parent
    stamp = sorted(
        (str(path.relative_to(package)), info.st_size, info.st_mtime_ns)
        for path in package.rglob("*")
        if path.suffix != ".pyc" and (info := path.stat()) and path.is_file()
    )
    return hashlib.sha256(repr(stamp).encode()).hexdigest()


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False

    def _entry(self, digest: str) -> Path:
        return self.directory / digest[:2] / f"{digest[2:]}.json"

    def get(
        self, digest: str, path: str
    ) -> tuple[tuple[Diagnostic, ...], tuple[ChecklistItem, ...]] | None:
        try:
            data = json.loads(self._entry(digest).read_text(encoding="utf-8"))
            diagnostics = tuple(_diagnostic(item, path) for item in data["diagnostics"])
            checklist = tuple(ChecklistItem.from_dict(item) for item in data["checklist"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, unreadable or from another layout: lint again
        return diagnostics, checklist

    def put(
        self,
        digest: str,
        diagnostics: Sequence[Diagnostic],
        checklist: Sequence[ChecklistItem],
    ) -> None:
        """Store an entry; a cache that cannot be written is no reason to fail a lint."""
        data = {
            "diagnostics": [_stored(d) for d in diagnostics],
            "checklist": [item.to_dict() for item in checklist],
        }
        try:
            self._prepare()
            entry = self._entry(digest)
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.replace(temporary, entry)
        except OSError:
            return

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")
            (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
        self._ready = True


def cached_rules(rule_dirs: tuple[Path, ...], directory: Path) -> RuleSet:
    """The rules in play, parsed once per change of their files: a JSON copy in the cache,
    named by the files' stamp, spares a cached run the YAML parsing."""
    stamp = rules_stamp([builtin_rules_dir(), *rule_dirs])
    name = hashlib.sha256(f"{_FORMAT}|{__version__}|{stamp!r}".encode()).hexdigest()[:24]
    entry = directory / "rules" / f"{name}.json"
    directories = [builtin_rules_dir(), *rule_dirs]
    held = parsed_rules(directories, stamp)
    if held is not None and entry.is_file():
        return held  # parsed earlier in this process, and the copy is written
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        rules = RuleSet(tuple(_rule(item) for item in data))
        remember_rules(directories, stamp, rules)  # the linter built later reads these too
        return rules
    except (OSError, ValueError, KeyError, TypeError):
        pass
    rules = rules_once(directories, stamp)
    try:
        ResultCache(directory)._prepare()
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump([_rule_data(rule) for rule in rules], out)
        os.replace(temporary, entry)
    except OSError:
        pass
    return rules


def _rule_data(rule: Rule) -> dict[str, Any]:
    """A parsed rule as JSON: its typed spec, not its YAML (no parsing or checking again)."""
    data = {f.name: getattr(rule, f.name) for f in fields(rule)}
    data["severity"] = rule.severity.label
    data["detect"] = spec_to_data(rule.detect)
    data["bad_examples"] = [[e.text, e.flags] for e in rule.bad_examples]
    data["good_examples"] = [[e.text, e.flags] for e in rule.good_examples]
    return data


def _rule(data: dict[str, Any]) -> Rule:
    return Rule(
        **{
            **data,
            "severity": Severity.parse(data["severity"]),
            "detect": spec_from_data(data["detect"]),
            "options": dict(data["options"]),
            "bad_examples": tuple(Example(t, f) for t, f in data["bad_examples"]),
            "good_examples": tuple(Example(t, f) for t, f in data["good_examples"]),
        }
    )


def clean(directory: Path) -> bool:
    """Remove a cache directory; False when there was none."""
    if not (directory / "CACHEDIR.TAG").is_file():
        return False  # never delete a directory we did not make
    shutil.rmtree(directory)
    return True


def _stored(diagnostic: Diagnostic) -> dict[str, Any]:
    data = diagnostic.to_dict()
    del data["path"]
    return data


def _diagnostic(item: dict[str, Any], path: str) -> Diagnostic:
    return Diagnostic(path=path, **{**item, "severity": Severity.parse(item["severity"])})
