"""Is a sentence addressed to the recipient as a question or a request?

Used by request contexts: "why are we blocked" is a pitfall when it is asked of the postmaster
("Could you tell us why...?", "Please let us know why...", "We don't understand why..."), not
when it is the sender's own account ("We found why we were blocked: ...").
"""

from __future__ import annotations

import functools

from spacy.tokens import Span, Token

from .detect import MatchSpec
from .lexicon import Lexicon, load_lexicon
from .patterns import Matches

REQUEST_CLASS = "request-frames"


def request_frame(lexicon: Lexicon) -> MatchSpec:
    """The match spec of phrases that make a sentence ask the recipient for something."""
    return MatchSpec(phrases=tuple(lexicon.phrases(REQUEST_CLASS)))


IMPERATIVE_CLASS = "imperative-verbs"
_SUBJECT_AFTER_VERB = {"we", "i", "you", "they", "he", "she", "it"}


def is_request(sentence: Span, matches: Matches, frame_handle: int) -> bool:
    key = f"request:{sentence.start}"  # asked once per sentence, however many matches it has
    if key not in matches.memo:
        matches.memo[key] = (
            matches.span_text(sentence).rstrip().rstrip("\"'”’)").endswith("?")
            or matches.in_sentence(frame_handle, sentence)
            or is_imperative(sentence)
        )
    return bool(matches.memo[key])


def is_imperative(sentence: Span) -> bool:
    """The sentence, or a clause after a comma or "so", opens with a plain verb and no subject:
    "Remove our IP now.", "..., so get this fixed". ("Do we ...?" is a question, which the
    question mark already tells.)"""
    words = [t for t in sentence if not (t.is_space or t.is_punct)]
    if words and _opens_imperative(words[0], words[1] if len(words) > 1 else None):
        return True
    for token in sentence[:-2]:
        if token.text in _CLAUSE_OPENERS:
            verb, after = token.nbor(1), token.nbor(2)
            if verb.text in _CLAUSE_OPENERS and token.i + 3 < sentence.end:
                verb, after = after, token.nbor(3)
            if after.lower_ in _OBJECTS and _opens_imperative(verb, after):
                return True
    return False


# A clause inside a sentence opens an imperative only with an object after the verb: "so get
# *this* fixed", not "so check our logs" ... which would also be one, but rarely to the reader.
_CLAUSE_OPENERS = {",", ";", ":", "so", "-", "–", "—"}
_OBJECTS = {"us", "this", "it", "our", "me", "my", "them", "that"}


def _opens_imperative(verb: Token, after: Token | None) -> bool:
    if verb.lower_ != verb.lemma_.lower() or verb.lower_ not in _imperative_verbs():
        return False
    return after is None or after.lower_ not in _SUBJECT_AFTER_VERB


@functools.lru_cache(maxsize=1)
def _imperative_verbs() -> frozenset[str]:
    return load_lexicon().words(IMPERATIVE_CLASS)
