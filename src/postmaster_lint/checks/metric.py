"""`metric`: textstat measurements of the sender's own prose (quoted material left out).

- `words`: one finding when the draft is longer than `options.max_words`, at the sentence
  where the limit is crossed (where a busy reader stops);
- `readability`: a finding at each sentence longer than `options.max_sentence_words`, and one at
  the top when the whole draft's Flesch reading ease is below `options.min_reading_ease`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from .. import readability
from ..detect import MetricDetect
from ..patterns import Matches
from .base import CheckContext, Compiler, Finding


@dataclass(frozen=True)
class MetricCheck:
    metric: str

    @classmethod
    def compile(cls, spec: MetricDetect, compiler: Compiler) -> MetricCheck:
        return cls(spec.metric)

    def run(self, context: CheckContext, options: Mapping[str, Any]) -> list[Finding]:
        sentences = _own_sentences(context)
        if self.metric == "words":
            return _too_long(sentences, int(options["max_words"]), context.matches)
        return _hard_to_read(context, sentences, options)


def _own_sentences(context: CheckContext) -> list[tuple[Span, int]]:
    """The sender's own sentences (not quoted, not blank) with their word counts; computed once
    per document for every metric rule."""
    memo = context.matches.memo
    if "own_sentences" not in memo:
        memo["own_sentences"] = list(_count_own_sentences(context))
    result: list[tuple[Span, int]] = memo["own_sentences"]
    return result


def _count_own_sentences(context: CheckContext) -> Iterator[tuple[Span, int]]:
    matches = context.matches
    for sentence in matches.sentences:
        start, end = matches.trim(sentence)
        if start == end or context.document.is_quoted(start, end):
            continue
        words = readability.word_count(matches.text[start:end])
        if words:
            yield sentence, words


def _too_long(sentences: list[tuple[Span, int]], limit: int, matches: Matches) -> list[Finding]:
    total = sum(words for _, words in sentences)
    if total <= limit:
        return []
    running = 0
    for sentence, words in sentences:
        running += words
        if running > limit:
            start, end = matches.trim(sentence)
            detail = f"{total} words of your own prose; the limit is {limit}"
            return [Finding(start, end, {"detail": detail})]
    return []  # unreachable: the running total reaches the total


def _hard_to_read(
    context: CheckContext, sentences: list[tuple[Span, int]], options: Mapping[str, Any]
) -> list[Finding]:
    findings = []
    longest = int(options["max_sentence_words"])
    for sentence, words in sentences:
        if words > longest:
            start, end = context.matches.trim(sentence)
            detail = f"this sentence has {words} words; keep sentences under {longest}"
            findings.append(Finding(start, end, {"detail": detail}))
    prose = " ".join(context.matches.span_text(sentence).strip() for sentence, _ in sentences)
    # Reading ease means little on a few sentences; judge drafts of a paragraph or more.
    if sum(words for _, words in sentences) >= 60:
        ease = readability.reading_ease(prose)
        floor = float(options["min_reading_ease"])
        if ease < floor:
            start, end = context.document.first_line_span()
            detail = f"the draft's reading ease is {ease:.0f}, below {floor:g}"
            findings.append(Finding(start, end, {"detail": detail}))
    return findings
