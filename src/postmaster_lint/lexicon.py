"""Word classes: the vocabulary that rules and guards share, kept as data.

A rule does not enumerate the phrases a sender might use; it names the parts of a sentence
that make a pitfall (a thing on the receiver's side, a malfunction, a negative judgement, ...)
and each part is a *word class* in `rules/lexicon/*.yaml`. A class is a list of words, matched
by lemma, optionally extended from an external lexicon:

    negative-judgement:
      about: Words that judge something as bad.
      words: [joke, racket, shakedown]
      vader: {max: -1.5, except: [spam, block]}   # VADER's words scored -1.5 or lower

Token patterns use a class as `{CLASS: negative-judgement}` (or a list of classes) and bound a
gap inside one clause with `{GAP: 4}`; see patterns.py. The guards read their cue words
(negations, conditionals, request frames, ...) from the same files.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RuleError, did_you_mean
from .located import LocatedDict

LEXICON_DIR = "lexicon"
_CLASS_KEYS = ("about", "match", "words", "phrases", "vader", "examples")
_VADER_KEYS = ("max", "min", "except")


@dataclass(frozen=True)
class WordClass:
    name: str
    about: str
    words: frozenset[str]  # single words as written, lower case
    by_lemma: bool  # match a word by its lemma ("failing" is "fail"), or only as written
    phrases: tuple[str, ...]  # multi-word cues, for guards that look at text (lower case)
    imported: frozenset[str]  # words taken from an external lexicon (VADER)
    excluded: frozenset[str]  # words the class leaves out of the external lexicon
    examples: tuple[str, ...]  # sentences where the class decides the outcome
    path: str
    line: int

    @property
    def all_words(self) -> frozenset[str]:
        return self.words | self.imported


@dataclass(frozen=True)
class Lexicon:
    classes: Mapping[str, WordClass]

    def get(self, name: str) -> WordClass:
        found = self.classes.get(name)
        if found is None:
            raise KeyError(f"unknown word class {name!r}{did_you_mean(name, list(self.classes))}")
        return found

    def words(self, name: str) -> frozenset[str]:
        return self.get(name).all_words

    def phrases(self, name: str) -> tuple[str, ...]:
        return self.get(name).phrases


def lexicon_dir() -> Path:
    from .rules import builtin_rules_dir

    return builtin_rules_dir() / LEXICON_DIR


def lexicon_files(directory: Path | None = None) -> list[Path]:
    directory = directory or lexicon_dir()
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Every class in the lexicon files (the built-in ones by default)."""
    from .yamlsafe import read_yaml_file

    classes: dict[str, WordClass] = {}
    for path in lexicon_files(directory):
        data = read_yaml_file(path, RuleError)
        if not isinstance(data, LocatedDict) or not isinstance(data.get("classes"), LocatedDict):
            raise RuleError("a lexicon file is a mapping with a 'classes' mapping", str(path), 1)
        for name, spec in data["classes"].items():
            line = data["classes"].line_of(name)
            if name in classes:
                raise RuleError(
                    f"word class {name!r} is already defined in {classes[name].path}",
                    str(path),
                    line,
                )
            classes[name] = parse_class(name, spec, str(path), line)
    return Lexicon(classes)


def parse_class(name: str, spec: Any, path: str, line: int) -> WordClass:
    if not isinstance(spec, LocatedDict):
        raise RuleError(f"word class {name!r} must be a mapping", path, line)
    for key in spec:
        if key not in _CLASS_KEYS:
            hint = did_you_mean(key, _CLASS_KEYS)
            raise RuleError(f"{name}: unknown key {key!r}{hint}", path, spec.line_of(key))
    about = spec.get("about")
    if not isinstance(about, str) or not about.strip():
        raise RuleError(f"{name}: 'about' must say what the class is for", path, line)
    words = _strings(spec, "words", name, path)
    several = [w for w in words if " " in w.strip()]
    if several:
        raise RuleError(
            f"{name}: {several[0]!r} has several words; put it under 'phrases'",
            path,
            spec.line_of("words"),
        )
    phrases = _strings(spec, "phrases", name, path)
    match = spec.get("match", "lemma")
    if match not in ("lemma", "lower"):
        raise RuleError(f"{name}: 'match' is lemma or lower", path, spec.line_of("match"))
    imported, excluded = _vader(spec, name, path) if "vader" in spec else (frozenset(), frozenset())
    if not (words or phrases or imported):
        raise RuleError(f"{name}: a class needs 'words', 'phrases' or 'vader'", path, line)
    return WordClass(
        name=name,
        about=about.strip(),
        words=frozenset(w.strip().lower() for w in words),
        by_lemma=match == "lemma",
        phrases=tuple(p.strip().lower() for p in phrases),
        imported=imported - frozenset(w.lower() for w in words),
        excluded=excluded,
        examples=tuple(_strings(spec, "examples", name, path)),
        path=path,
        line=line,
    )


def _strings(spec: LocatedDict, key: str, name: str, path: str) -> list[str]:
    values = spec.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise RuleError(f"{name}: '{key}' must be a list of strings", path, spec.line_of(key))
    return values


def _vader(spec: LocatedDict, name: str, path: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words from the VADER sentiment lexicon (MIT; shipped inside the vaderSentiment package)
    whose mean valence lies in [min, max], minus `except`."""
    options = spec["vader"]
    line = spec.line_of("vader")
    if not isinstance(options, LocatedDict):
        raise RuleError(f"{name}: 'vader' must be a mapping (max, min, except)", path, line)
    for key in options:
        if key not in _VADER_KEYS:
            raise RuleError(f"{name}: unknown vader key {key!r}", path, options.line_of(key))
    high = options.get("max", 4.0)
    low = options.get("min", -4.0)
    if not all(isinstance(v, (int, float)) for v in (high, low)):
        raise RuleError(f"{name}: vader 'min' and 'max' must be numbers", path, line)
    excluded = frozenset(w.lower() for w in _strings(options, "except", name, path))
    imported = frozenset(
        word
        for word, valence in vader_lexicon().items()
        if low <= valence <= high and word not in excluded
    )
    return imported, excluded


@functools.lru_cache(maxsize=1)
def vader_lexicon() -> Mapping[str, float]:
    """VADER's single words (letters, hyphens, apostrophes) and their mean valence."""
    from importlib import resources

    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    entries: dict[str, float] = {}
    for row in text.splitlines():
        fields = row.split("\t")
        if len(fields) >= 2 and _is_word(fields[0]):
            entries[fields[0].lower()] = float(fields[1])
    return entries


def _is_word(token: str) -> bool:
    return len(token) > 2 and token.replace("-", "").replace("'", "").isalpha()
