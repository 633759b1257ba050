"""The trained sentence classifier: a spaCy `textcat_multilabel` (bag of words and word pairs,
no vectors) shipped inside the package and trained by `scripts/train_classifier.py` from the
repository's own labeled sentences.

It reads a sentence as lemmas, with numbers, addresses and domains replaced by a placeholder, so
it learns the words of a pitfall rather than the IPs of the corpus. It is loaded on first use,
once per process, from the package directory: nothing is downloaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
MODEL_DIR = Path(__file__).with_name("models") / "pitfalls"
_PIPE = "textcat_multilabel"


def words(tokens: Iterable[Token]) -> list[str]:
    """What the classifier reads of a sentence: one normalized word per token (and a mark
    after a shouted one)."""
    found: list[str] = []
    for token in tokens:
        if not token.is_space:
            key = (token.text, token.lemma_)
            normalized = _WORDS.get(key)
            if normalized is None:
                if len(_WORDS) > _MAX_WORDS:  # a long-lived process (the language server)
                    _WORDS.clear()
                normalized = _WORDS[key] = _word(token)
            found.extend(normalized)
    return found


# A word's reading depends on its text and lemma only: worked out once per process.
_WORDS: dict[tuple[str, str], tuple[str, ...]] = {}
_MAX_WORDS = 100_000


def _word(token: Token) -> tuple[str, ...]:
    """A URL, an email address or a domain name; a number or any word with a digit (an IP, a
    date); a shouted word; otherwise the lemma."""
    if token.like_url or token.like_email or _DOMAIN.match(token.text):
        return ("<address>",)
    if token.like_num or _DIGIT.search(token.text):
        return ("<num>",)
    if token.is_upper and len(token.text) > 1 and token.is_alpha:
        return (token.lemma_.lower(), "<caps>")
    return (token.lemma_.lower(),)


@functools.lru_cache(maxsize=1)
def model() -> Any:
    import spacy

    return spacy.load(MODEL_DIR)


@functools.lru_cache(maxsize=1)
def labels() -> tuple[str, ...]:
    """The model's labels, from its metadata (validating a rule does not load the model)."""
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    return tuple(meta.get("labels", {}).get(_PIPE, ()))


def score_all(sentences: Sequence[Span]) -> list[Mapping[str, float]]:
    """Each label's score for each sentence, in one batch.

    The model is spaCy's bag-of-n-grams `textcat_multilabel` (TextCatBOW: word and word-pair
    ids, summed hashed weights, a logistic output). Making a spaCy Doc per sentence costs more
    than the model itself, so the ids go straight to its weights, sentence by sentence, exactly
    as its own n-gram layer would build them (a test checks the scores are the pipe's)."""
    if not sentences:
        return []
    import numpy  # spaCy's own dependencies, imported with the model
    from spacy.strings import get_string_id

    linear, output, names = _layers()
    batch = [words(s) or ["<empty>"] for s in sentences]
    ids = numpy.fromiter((get_string_id(w) for ws in batch for w in ws), dtype="uint64")
    owner = numpy.repeat(numpy.arange(len(batch)), [len(ws) for ws in batch])
    pairs = linear.ops.ngrams(2, ids) if len(ids) > 1 else ids[:0]
    same = owner[:-1] == owner[1:]
    keys = numpy.concatenate([ids, pairs[same]])
    owners = numpy.concatenate([owner, owner[:-1][same]])
    order = numpy.argsort(owners, kind="stable")
    lengths = numpy.bincount(owners, minlength=len(batch)).astype("int32")
    rows = output.predict(linear.predict((keys[order], numpy.ones(len(keys), dtype="f"), lengths)))
    return [dict(zip(names, map(float, row), strict=True)) for row in rows]


@functools.lru_cache(maxsize=1)
def _layers() -> tuple[Any, Any, tuple[str, ...]]:
    """The model's n-gram weights and output layer, and its labels in output order."""
    textcat = model().get_pipe(_PIPE)
    layers = {node.name: node for node in textcat.model.walk()}
    if layers.get("extract_ngrams") is None or layers["extract_ngrams"].attrs["ngram_size"] != 2:
        raise RuntimeError(f"{MODEL_DIR}: not a bag-of-words model over word pairs")
    return layers["resizable(sparse_linear)"], layers["logistic"], tuple(textcat.labels)


def pipe_scores(sentences: Sequence[Span]) -> list[Mapping[str, float]]:
    """The same scores through spaCy's own pipe (slower; for tests and the training script)."""
    from spacy.tokens import Doc

    nlp = model()
    textcat = nlp.get_pipe(_PIPE)
    docs = [Doc(nlp.vocab, words=words(s) or ["<empty>"]) for s in sentences]
    return [dict(doc.cats) for doc in textcat.pipe(docs)]


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of the model files (for the result cache)."""
    digest = hashlib.sha256()
    if MODEL_DIR.is_dir():
        for path in sorted(p for p in MODEL_DIR.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(MODEL_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
