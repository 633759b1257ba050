"""Is a sentence addressed to the recipient as a question or a request?

Used by request contexts: "why are we blocked" is a pitfall when it is asked of the postmaster
("Could you tell us why...?", "Please let us know why...", "We don't understand why..."), not
when it is the sender's own account ("We found why we were blocked: ...").
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from .patterns import Matches

# fmt: off
REQUEST_FRAME: dict[str, Any] = {
    "phrases": [
        # Polite imperatives and questions.
        "please", "pls", "kindly", "let us know", "let me know", "tell us", "tell me",
        "inform us", "advise us", "advise me", "explain to us", "explain to me", "could you",
        "can you", "would you", "will you", "can someone", "could someone", "can anyone",
        "could anyone", "would someone", "is it possible", "is there any way", "is there a way",
        # Stated wishes.
        "we would appreciate", "we'd appreciate", "i would appreciate", "i'd appreciate",
        "appreciate it if", "we would like", "we'd like", "i would like", "i'd like", "we want",
        "i want", "we need you to", "i need you to", "we need to know", "help us", "help me",
        "we request", "i request", "we are requesting", "we're requesting", "i am requesting",
        "i'm requesting", "we ask", "i ask", "we are asking", "we're asking", "i am asking",
        "i'm asking", "we kindly ask", "we hope you", "we hope that you", "awaiting",
        "look forward to hearing", "looking forward to hearing",
        # Not knowing, said to someone who might know.
        "we don't understand", "we do not understand", "i don't understand",
        "i do not understand", "we don't know", "we do not know", "i don't know",
        "i do not know", "no idea", "unclear", "not clear", "can't figure out",
        "cannot figure out", "confused", "puzzled", "wondering", "we wonder", "i wonder",
        "any idea", "any insight", "any information",
        # Demands are requests too, only ruder.
        "we demand", "i demand", "we insist", "i insist", "you must", "you need to",
        "you have to", "we expect you", "i expect you", "we require you", "we need this",
    ],
}
# fmt: on


def is_request(sentence: Span, matches: Matches, frame_handle: int) -> bool:
    if matches.span_text(sentence).rstrip().rstrip("\"'”’)").endswith("?"):
        return True
    return matches.in_sentence(frame_handle, sentence)
