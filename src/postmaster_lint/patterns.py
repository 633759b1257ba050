"""One bank for every rule's patterns, so each document is scanned once for all of them.

A *match spec* is the YAML mapping rules use to say what to look for:

    phrases: [whitelist, safe list]          # literal, case-insensitive (PhraseMatcher on LOWER)
    lemmas:  [apologize for the trouble]     # any inflection (PhraseMatcher on LEMMA)
    tokens:  [[{LEMMA: we}, {LOWER: will}]]  # spaCy Matcher token patterns, plus two keys:
             # {CLASS: receiver-thing}: any word of that word class (lexicon.py), by lemma;
             # {GAP: 4}: up to 4 words of the same clause (no punctuation, no "but"/"because")
    regex:   ['\\bcan[\\s_-]?spam\\b']        # Python regex over the text, case-insensitive

Literal phrases go to the PhraseMatcher, which is almost free. Token patterns cost time per
token and pattern, so a pattern only runs over the sentences that can hold a match: each of its
required tokens that names its words (a word, a list, a word class) must have one of them in the
sentence. That pre-filter is derived from the patterns when they are compiled, so a draft
without "whitelist" never pays for PM104's patterns and a rule author never writes it.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
import regex
from spacy.attrs import LEMMA, LOWER, SENT_START
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from .detect import MatchSpec, MatchSpecError
from .errors import LintTimeout
from .lexicon import Lexicon
from .nlp import lemma_of, pattern_doc


@dataclass
class Matches:
    """The spans each handle matched in one document (overlaps merged, in order), and the
    document's sentences with a token-to-sentence index (spaCy's `Span.sent` scans tokens on
    every call; checks ask for sentences a lot)."""

    doc: Doc
    found: Mapping[int, list[tuple[int, int]]]  # what `scan` found, as token offsets
    sentences: list[Span]
    token_sentence: list[int]
    text: str  # doc.text, which spaCy rebuilds from the tokens on every access
    regexes: Mapping[int, list[tuple[str, Any]]] = field(default_factory=dict)  # (source, regex)
    deadline: float | None = None  # time.monotonic() by which this document must be done
    memo: dict[str, Any] = field(default_factory=dict)  # per-document results checks share
    _sentence_sets: dict[int, frozenset[int]] = field(default_factory=dict)
    _spans: dict[int, list[Span]] = field(default_factory=dict)

    def spans(self, handle: int) -> list[Span]:
        """The handle's matches as spans, made when a check first asks (most are never asked
        for); its regexes run then too, so a required element found by an earlier
        alternative never pays for the later ones."""
        if handle not in self._spans:
            doc = self.doc
            spans = [doc[start:end] for start, end in self.found.get(handle, ())]
            for source, compiled in self.regexes.get(handle, ()):
                for m in self._search(source, compiled):
                    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        spans.append(span)
            self._spans[handle] = _union(spans)
        return self._spans[handle]

    def _search(self, source: str, compiled: Any) -> list[Any]:
        timeout = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        try:
            return list(compiled.finditer(self.text, timeout=timeout))
        except TimeoutError:
            raise LintTimeout(
                f"the pattern {source!r} ran past the time budget for this file (--timeout)"
            ) from None

    def trim(self, span: Span) -> tuple[int, int]:
        """Character offsets of a span without surrounding whitespace."""
        text = self.text[span.start_char : span.end_char]
        start = span.start_char + (len(text) - len(text.lstrip()))
        return start, max(start, span.start_char + len(text.rstrip()))

    def span_text(self, span: Span) -> str:
        return self.text[span.start_char : span.end_char]

    def sentence(self, span: Span) -> Span:
        return self.sentences[self.token_sentence[span.start]]

    def in_sentence(self, handle: int, sentence: Span) -> bool:
        """Does `handle` match anywhere inside `sentence`?"""
        if handle not in self._sentence_sets:
            index = self.token_sentence
            self._sentence_sets[handle] = frozenset(index[s.start] for s in self.spans(handle))
        return self.token_sentence[sentence.start] in self._sentence_sets[handle]


class PatternBank:
    def __init__(self, nlp: Language, lexicon: Lexicon, prefilter: bool = True) -> None:
        """`prefilter=False` runs every token pattern over the whole document: the reference
        the pre-filtered scan is tested against."""
        self._nlp = nlp
        self.prefilter = prefilter
        self.lexicon = lexicon
        self._class_words: dict[str, tuple[str, list[str]]] = {}
        self._gap: list[str] | None = None
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        # The pre-filter, derived from the patterns: each required token of a pattern that
        # names its words (LOWER or LEMMA, a word or a class) is a *requirement*; a pattern can
        # only match inside a sentence holding a word of every one of its requirements. The
        # patterns are grouped by the requirements they share, one Matcher per group (a
        # Matcher call costs more than the matching itself, so groups stay few).
        self._groups: dict[frozenset[int], Matcher] = {}
        self._requirements: dict[frozenset[str], int] = {}  # its words -> requirement id
        self._word_requirements: dict[int, tuple[int, ...]] = {}  # word hash -> requirement ids
        # The longest match each group's patterns can make, in tokens (None: no limit).
        self._reach: dict[frozenset[int], int | None] = {}
        self._regexes: list[tuple[int, str, Any]] = []
        self._count = 0

    def add(self, spec: MatchSpec, checked: bool = False) -> int:
        """Compile one match spec; returns the handle to look its spans up by. `checked`: the
        spec is a built-in rule's, which the test suite compiles with every check on
        (tests/test_rule_loading.py), so its token patterns are not validated again and its
        regexes compile when a draft first needs them: a second off every start-up."""
        handle = self._count
        self._count += 1
        key = f"h{handle}"
        if spec.phrases:
            phrases = with_curly_apostrophes(spec.phrases)
            self._lower.add(key, [self._nlp.make_doc(p.lower()) for p in phrases])
        if spec.lemmas:
            self._lemma.add(key, [pattern_doc(p) for p in with_curly_apostrophes(spec.lemmas)])
        if spec.tokens:
            for pattern in (p for written in spec.tokens for p in self.expand(written)):
                try:
                    if not checked:
                        Matcher(self._nlp.vocab, validate=True).add(key, [pattern])  # checks only
                except (MatchPatternError, ValueError, TypeError) as error:
                    detail = _spacy_detail(error)
                    raise MatchSpecError(f"invalid token pattern: {detail}", "tokens") from None
                group = self._requirements_of(pattern)
                matcher = self._groups.get(group) or Matcher(self._nlp.vocab, validate=False)
                matcher.add(key, [self._fast(pattern)])
                reach = pattern_reach(pattern)
                known = self._reach.get(group, 0)
                self._reach[group] = None if reach is None or known is None else max(reach, known)
                self._groups[group] = matcher
        for source in spec.regex:
            try:
                compiled = (
                    _LazyRegex(source) if checked else regex.compile(source, regex.IGNORECASE)
                )
            except regex.error as error:
                raise MatchSpecError(f"invalid regex {source!r}: {error}", "regex") from None
            self._regexes.append((handle, source, compiled))
        return handle

    def expand(self, written: list[Any]) -> list[list[Any]]:
        """One written token pattern as the Matcher patterns it stands for: `{ANY: [[...],
        [...]]}` is one of several token sequences (the cross product is taken), and CLASS and
        GAP tokens are spelled out."""
        patterns: list[list[Any]] = [[]]
        for token in written:
            if isinstance(token, dict) and "ANY" in token:
                options = token["ANY"]
                if (
                    set(token) != {"ANY"}
                    or not isinstance(options, list)
                    or not options
                    or not all(isinstance(o, list) and o for o in options)
                ):
                    raise MatchSpecError("ANY takes a list of token sequences, alone", "tokens")
                tails = [seq for option in options for seq in self.expand(option)]
                patterns = [head + tail for head in patterns for tail in tails]
                if len(patterns) > 256:
                    raise MatchSpecError("a token pattern expands to over 256 patterns", "tokens")
            else:
                expanded = self._expand(token)
                patterns = [[*head, expanded] for head in patterns]
        return patterns

    def _fast(self, pattern: list[Any]) -> list[Any]:
        """A GAP token's "not a clause boundary" test as a lexeme flag, which the Matcher checks
        in C, instead of a NOT_IN set it calls back into Python for at every token of a gap."""
        gap = self._gap_words()
        fast = []
        for token in pattern:
            if isinstance(token, dict) and token.get("LOWER") == {"NOT_IN": gap}:
                token = {k: v for k, v in token.items() if k != "LOWER"}
                token[_boundary_flag(self._nlp, frozenset(gap))] = False
            fast.append(token)
        return fast

    def _requirements_of(self, pattern: list[Any]) -> frozenset[int]:
        """The requirement ids of a pattern: one per required token that names its words."""
        needs = set()
        for words in required_words(pattern):
            if words not in self._requirements:
                requirement = len(self._requirements)
                self._requirements[words] = requirement
                for word in words:
                    word_id = self._nlp.vocab.strings.add(word)
                    known = self._word_requirements.get(word_id, ())
                    self._word_requirements[word_id] = (*known, requirement)
            needs.add(self._requirements[words])
        return frozenset(needs)

    def _gap_words(self) -> list[str]:
        """The words a GAP may not cross (the lexicon's clause boundaries), sorted once."""
        if self._gap is None:
            self._gap = sorted(self.lexicon.words("clause-boundaries"))
        return self._gap

    def _expand(self, token: Any) -> Any:
        """`{CLASS: name}` -> `{LEMMA: {IN: lemmas}}`; `{GAP: n}` -> up to n words of a clause."""
        if not isinstance(token, dict):
            return token
        if "GAP" in token:
            size = token["GAP"]
            if set(token) != {"GAP"} or not isinstance(size, int) or not 0 < size <= 12:
                raise MatchSpecError("GAP takes a number of words from 1 to 12, alone", "tokens")
            return {
                "IS_PUNCT": False,
                "LOWER": {"NOT_IN": self._gap_words()},
                "OP": f"{{0,{size}}}",
            }
        if "CLASS" not in token:
            return self._lemmatized(_curly_lower(token))
        names = token["CLASS"] if isinstance(token["CLASS"], list) else [token["CLASS"]]
        by_attribute: dict[str, set[str]] = {}  # LEMMA or LOWER -> words
        for name in names:
            if not isinstance(name, str):
                raise MatchSpecError("CLASS names a word class or a list of them", "tokens")
            attribute, class_words = self.class_words(name)
            by_attribute.setdefault(attribute, set()).update(class_words)
        if len(by_attribute) > 1:
            raise MatchSpecError("one CLASS token cannot mix lemma and lower classes", "tokens")
        ((attribute, words),) = by_attribute.items()
        words = set(words)
        if attribute in token:
            # {CLASS: legitimacy, LOWER: {NOT_IN: [safe]}}: the class less some of its words
            excluded = token[attribute]
            if not (isinstance(excluded, dict) and set(excluded) == {"NOT_IN"}):
                raise MatchSpecError(
                    f"with CLASS, {attribute} may only take NOT_IN (words to leave out)", "tokens"
                )
            words = words - {str(word).lower() for word in excluded["NOT_IN"]}
        expanded = {key: value for key, value in token.items() if key != "CLASS"}
        expanded[attribute] = {"IN": sorted(words)}
        return expanded

    @staticmethod
    def _lemmatized(token: dict[str, Any]) -> dict[str, Any]:
        """LEMMA values as the pipeline lemmatizes them, besides as written: a rule author
        writes "listing" and the lookup table's "list" matches too."""
        value = token.get("LEMMA")
        if isinstance(value, str):
            words = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            words = value["IN"]
        else:
            return token
        if not all(isinstance(word, str) for word in words):
            return token
        lemmas = sorted(set(words) | {lemma_of(word) for word in words})
        return {**token, "LEMMA": {"IN": lemmas}}

    def class_words(self, name: str) -> tuple[str, list[str]]:
        """The attribute a word class matches on and its words: lemmas as the pipeline
        lemmatizes them, or the words as written for a `match: lower` class."""
        if name not in self._class_words:
            try:
                word_class = self.lexicon.get(name)
            except KeyError as error:
                raise MatchSpecError(str(error.args[0]), "tokens") from None
            words = word_class.all_words
            if word_class.by_lemma:
                # VADER lists inflections one by one ("abuses"): an excluded word stays out
                # under its lemma too ("abused" -> "abuse").
                left_out = word_class.excluded | {lemma_of(w) for w in word_class.excluded}
                lemmas = ({lemma_of(w) for w in words} | words) - (left_out - word_class.words)
                self._class_words[name] = ("LEMMA", sorted(lemmas))
            else:
                self._class_words[name] = ("LOWER", sorted(words))
        return self._class_words[name]

    def run(self, doc: Doc, deadline: float | None = None, text: str | None = None) -> Matches:
        """Scan `doc` (whose text is `text`, when the caller has it) and return its matches."""
        index = sentence_index(doc)
        return self.matches(doc, self.scan(doc, index), deadline, index, text)

    def scan(
        self, doc: Doc, index: tuple[list[Span], list[int]] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """Every handle's matches in `doc` as token offsets (before overlaps are merged);
        `index` is the document's `sentence_index`, when the caller has it.

        A token pattern matches inside one sentence. With the pre-filter, each group of patterns
        runs only over the sentences holding a word of each of its requirements; without it,
        over the whole document. Both give the same matches (tests/test_prefilter.py)."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        strings = doc.vocab.strings
        for phrases in (self._lower, self._lemma):
            if len(phrases):
                for match_id, start, end in phrases(doc):
                    found[int(strings[match_id][1:])].append((start, end))
        sentences, token_sentence = index or sentence_index(doc)
        present = _Present(self, doc, sentences, token_sentence) if self.prefilter else None
        for needs, matcher in self._groups.items():
            regions = [doc[:]] if present is None else present.regions(needs, self._reach[needs])
            for region in regions:
                for match_id, start, end in matcher(region):
                    start, end = region.start + start, region.start + end
                    if end > start and token_sentence[start] == token_sentence[end - 1]:
                        found[int(strings[match_id][1:])].append((start, end))
        return found

    def matches(
        self,
        doc: Doc,
        found: Mapping[int, list[tuple[int, int]]],
        deadline: float | None = None,
        index: tuple[list[Span], list[int]] | None = None,
        text: str | None = None,
    ) -> Matches:
        """The matches of a document from what `scan` found in it (or in its paragraphs)."""
        sentences, token_sentence = index or sentence_index(doc)
        regexes: dict[int, list[tuple[str, Any]]] = defaultdict(list)
        for handle, source, compiled in self._regexes:
            regexes[handle].append((source, compiled))
        text = doc.text if text is None else text
        return Matches(doc, found, sentences, token_sentence, text, regexes, deadline)


class _Present:
    """Where one document holds the words of the bank's requirements, and from that, the
    regions of the document each group of patterns has to run over."""

    def __init__(
        self,
        bank: PatternBank,
        doc: Doc,
        sentences: list[Span],
        token_sentence: list[int],
    ) -> None:
        self.doc = doc
        self.sentences = sentences
        self.token_sentence = token_sentence
        index = bank._word_requirements
        self._positions: dict[int, list[int]] = {}  # word -> token positions
        for position, (lower, lemma) in enumerate(doc.to_array([LOWER, LEMMA]).tolist()):
            for word in (lower,) if lower == lemma else (lower, lemma):
                if word in index:
                    self._positions.setdefault(word, []).append(position)
        self._words: dict[int, list[int]] = {}  # requirement -> its words in the document
        self.where: dict[int, int] = {}  # requirement -> the sentences holding it (bit i: i)
        for word, positions in self._positions.items():
            bits = 0
            for position in positions:
                bits |= 1 << token_sentence[position]
            for requirement in index[word]:
                self._words.setdefault(requirement, []).append(word)
                self.where[requirement] = self.where.get(requirement, 0) | bits

    def regions(self, needs: frozenset[int], reach: int | None) -> list[Span]:
        """The stretches of the document where a pattern needing `needs`, whose matches are
        at most `reach` tokens long, can match: inside a sentence holding a word of each
        requirement, and within `reach` of a word of the rarest one."""
        doc, sentences = self.doc, self.sentences
        where = (1 << len(sentences)) - 1
        for requirement in needs:
            where &= self.where.get(requirement, 0)
            if not where:
                return []
        if reach is None or not needs:
            return [doc[sentences[a].start : sentences[b].end] for a, b in _bit_runs(where)]
        rarest = min(needs, key=lambda r: sum(len(self._positions[w]) for w in self._words[r]))
        windows: list[list[int]] = []
        for position in sorted(p for w in self._words[rarest] for p in self._positions[w]):
            sentence = self.token_sentence[position]
            if not where >> sentence & 1:
                continue
            start = max(sentences[sentence].start, position - reach + 1)
            end = min(sentences[sentence].end, position + reach)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        return [doc[start:end] for start, end in windows]


def sentence_index(doc: Doc) -> tuple[list[Span], list[int]]:
    """The document's sentences, and for each token the index of its sentence (from the
    SENT_START column: iterating `doc.sents` makes a Token object per token)."""
    if not len(doc):
        return [], []
    starts = doc.to_array(SENT_START) == 1
    starts[0] = True
    token_sentence = (numpy.cumsum(starts) - 1).tolist()
    bounds = [*numpy.flatnonzero(starts).tolist(), len(doc)]
    sentences = [doc[start:end] for start, end in itertools.pairwise(bounds)]
    return sentences, token_sentence


_FLAGS: dict[tuple[int, frozenset[str]], int] = {}


def _boundary_flag(nlp: Language, words: frozenset[str]) -> int:
    """One lexeme flag per vocabulary and word set, however many banks are built."""
    key = (id(nlp.vocab), words)
    if key not in _FLAGS:
        _FLAGS[key] = nlp.vocab.add_flag(lambda text: text.lower() in words)
    return _FLAGS[key]


def with_curly_apostrophes(words: Sequence[str]) -> list[str]:
    """Each word, and its spelling with a typographic apostrophe ("don't", "don’t")."""
    return list(dict.fromkeys([*words, *(w.replace("'", "’") for w in words if "'" in w)]))


def _curly_lower(token: dict[str, Any]) -> dict[str, Any]:
    """LOWER values gain their typographic-apostrophe spellings: {LOWER: "n't"} also matches
    the "n’t" of "don’t"."""
    value = token.get("LOWER")
    if isinstance(value, str) and "'" in value:
        return {**token, "LOWER": {"IN": with_curly_apostrophes([value])}}
    if isinstance(value, dict):
        expanded = {
            op: with_curly_apostrophes(words)
            if op in ("IN", "NOT_IN")
            and isinstance(words, list)
            and all(isinstance(w, str) for w in words)
            else words
            for op, words in value.items()
        }
        return {**token, "LOWER": expanded}
    return token


def required_words(pattern: list[dict[str, Any]]) -> list[frozenset[str]]:
    """For each required token of `pattern` that names its words (lower case or lemma), those
    words: a sentence can only match the pattern if it holds one of each."""
    needed: list[frozenset[str]] = []
    for token in pattern:
        if _required(token):
            needed.extend(
                words
                for attribute in ("LOWER", "LEMMA")
                if (words := _words(token.get(attribute))) is not None
            )
    return needed


def pattern_reach(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens a match of `pattern` can span; None when a token repeats without
    limit ("+", "*", "{2,}")."""
    total = 0
    for token in pattern:
        op = str(token.get("OP", "1"))
        if op in ("+", "*"):
            return None
        if op.startswith("{"):
            most = op[1:-1].split(",")[-1].strip()
            if not most:
                return None
            total += int(most)
        else:
            total += 1  # one token: "1", "?" and "!" (which matches one token that is not)
    return total


def _required(token: dict[str, Any]) -> bool:
    op = str(token.get("OP", "1"))
    if op in ("?", "*", "!"):
        return False
    return not (op.startswith("{") and op[1:].split(",")[0].strip("}") in ("", "0"))


def _words(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset({value.lower()})
    words = value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
    if isinstance(words, list) and all(isinstance(word, str) for word in words):
        return _lowered(tuple(words))  # a word class's list recurs in many patterns
    return None


@functools.lru_cache(maxsize=1024)
def _lowered(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word.lower() for word in words)


class _LazyRegex:
    """A built-in rule's regex, compiled on first use."""

    def __init__(self, source: str) -> None:
        self.source = source

    @functools.cached_property
    def compiled(self) -> Any:
        return regex.compile(self.source, regex.IGNORECASE)

    def finditer(self, text: str, timeout: float | None = None) -> Any:
        return self.compiled.finditer(text, timeout=timeout)


def _bit_runs(bits: int) -> list[tuple[int, int]]:
    """The set bits of `bits` as (first, last) runs of consecutive positions."""
    runs: list[tuple[int, int]] = []
    position = 0
    while bits:
        skip = (bits & -bits).bit_length() - 1
        bits >>= skip
        position += skip
        ones = (~bits & (bits + 1)).bit_length() - 1
        runs.append((position, position + ones - 1))
        bits >>= ones
        position += ones
    return runs


def _union(spans: list[Span]) -> list[Span]:
    """Overlapping matches of one spec are one finding: "We are a legitimate" and "legitimate
    business" become "We are a legitimate business"."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = span.doc[merged[-1].start : span.end]
            continue
        merged.append(span)
    return merged


def _spacy_detail(error: Exception) -> str:
    """spaCy's validation error in one line: the pattern number and the first problem."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    pattern = next((line for line in lines if line.startswith("Pattern ")), "")
    problem = next((line.lstrip("- ") for line in lines if line.startswith("- ")), "")
    return " ".join(part for part in (pattern, problem) if part) or (lines[0] if lines else "")
