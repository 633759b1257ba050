"""Train a pitfall sentence classifier (spaCy textcat_multilabel, bag of words and word pairs).

The experiment and its results are in bench/results-textcat.md: the classifier is not shipped.

Reproducible: fixed seed, fixed order, the repository's own words only:

- every pitfall rule's examples (rules/pitfalls/*.yaml): a bad example is a positive for its
  rule, a good one a negative;
- the labeled drafts (corpora/drafts, corpora/replies/drafts): a sentence that covers a labeled
  span is a positive for that rule; the other sentences of the sender's own prose are negatives;
- the sentences written for training (corpora/training/*.yaml).

corpora/sentences.yaml and every real request stay out: they are evaluation sets.

    python scripts/train_classifier.py            # train and save it (bench/.work/textcat)
    python scripts/train_classifier.py --cv 5     # k-fold precision/recall by threshold
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from postmaster_lint.inputs import read_draft  # noqa: E402
from postmaster_lint.nlp import pipeline, unwrap  # noqa: E402
from postmaster_lint.readers import read_document  # noqa: E402

MODEL_DIR = ROOT / "bench" / ".work" / "textcat"
LABELS = ("PM103", "PM106", "PM108", "PM109")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
SEED = 1
EPOCHS = 20
CONFIG = {
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 2**16,
    },
    "threshold": 0.5,
}

Item = tuple[list[str], frozenset[str]]


def words(tokens: Iterable[Token]) -> list[str]:
    """What the classifier reads of a sentence: lemmas, with addresses and domains, and numbers
    or words with a digit, replaced by a placeholder, and a mark after a shouted word."""
    found: list[str] = []
    for token in tokens:
        if token.is_space:
            continue
        if token.like_url or token.like_email or _DOMAIN.match(token.text):
            found.append("<address>")
        elif token.like_num or _DIGIT.search(token.text):
            found.append("<num>")
        elif token.is_upper and len(token.text) > 1 and token.is_alpha:
            found.extend([token.lemma_.lower(), "<caps>"])
        else:
            found.append(token.lemma_.lower())
    return found


def _norm(text: str) -> list[str]:
    return words(pipeline()(unwrap(text)))


def _covers(sentence: str, label: str) -> bool:
    a, b = " ".join(sentence.lower().split()), " ".join(label.lower().split())
    return a in b or b in a or (len(b) > 3 and b in a)


def rule_examples() -> Iterator[tuple[str, str, frozenset[str]]]:
    for path in sorted((ROOT / "rules" / "pitfalls").glob("PM1*.yaml")):
        rule = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in rule["examples"]["bad"]:
            text = item if isinstance(item, str) else item["text"]
            yield f"rule:{rule['id']}", text, frozenset({rule["id"]}) & set(LABELS)
        for item in rule["examples"]["good"]:
            text = item if isinstance(item, str) else item["text"]
            yield f"rule:{rule['id']}", text, frozenset()


def draft_sentences(corpus: Path) -> Iterator[tuple[str, str, frozenset[str]]]:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))["drafts"]
    nlp = pipeline()
    for name in sorted(labels):
        spec = labels[name] or {}
        path = corpus / "drafts" / name
        document = read_document(read_draft(str(path)).text, str(path))
        doc = nlp(unwrap(document.text))
        for sentence in doc.sents:
            if document.is_quoted(sentence.start_char, sentence.end_char):
                continue
            text = sentence.text.strip()
            if not text:
                continue
            found = {
                rule
                for rule, value in spec.items()
                if rule.startswith("PM1")
                and isinstance(value, list)
                and any(_covers(text, label) for label in value)
            }
            # A sentence that commits another pitfall tells nothing about ours: keep it as a
            # negative only when it commits none of the labeled ones or one of ours.
            yield f"draft:{corpus.name}/{name}", text, frozenset(found) & set(LABELS)


def training_sentences() -> Iterator[tuple[str, str, frozenset[str]]]:
    for path in sorted((ROOT / "corpora" / "training").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = data.get("label")
        for text in [*(data.get("positive") or []), *(data.get("negative") or [])]:
            if not isinstance(text, str):
                raise SystemExit(f"{path}: not a sentence (quote it): {text!r}")
        for text in data.get("positive") or []:
            yield f"training:{path.stem}", text, frozenset({label})
        for text in data.get("negative") or []:
            yield f"training:{path.stem}", text, frozenset()


def evaluation_sentences() -> set[str]:
    """corpora/sentences.yaml, as the classifier reads it: kept out of training even where a
    rule's example or a documented phrase says the same."""
    data = yaml.safe_load((ROOT / "corpora" / "sentences.yaml").read_text(encoding="utf-8"))
    return {" ".join(_norm(item["text"])) for item in data["sentences"]}


def dataset() -> list[tuple[str, list[str], frozenset[str]]]:
    merged: dict[str, tuple[str, list[str], set[str]]] = {}
    sources = [
        *rule_examples(),
        *draft_sentences(ROOT / "corpora"),
        *draft_sentences(ROOT / "corpora" / "replies"),
        *training_sentences(),
    ]
    held_out = evaluation_sentences()
    for source, text, found in sources:
        normalized = _norm(text)
        key = " ".join(normalized)
        if not key or key in held_out:
            continue
        if key in merged:
            merged[key][2].update(found)
        else:
            merged[key] = (source, normalized, set(found))
    # In a fixed order that no file's layout decides (the model depends on the order).
    return [
        (source, tokens, frozenset(found)) for _, (source, tokens, found) in sorted(merged.items())
    ]


def build() -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config=CONFIG)
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def examples(nlp: Language, items: list[Item]) -> list[Example]:
    return [
        Example.from_dict(
            Doc(nlp.vocab, words=tokens),
            {"cats": {label: float(label in found) for label in LABELS}},
        )
        for tokens, found in items
    ]


def train(items: list[Item]) -> Language:
    fix_random_seed(SEED)
    nlp = build()
    data = examples(nlp, items)
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(data)
        for batch in minibatch(data, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses={})
    return nlp


def predict(nlp: Language, tokens: list[str]) -> dict[str, float]:
    doc = Doc(nlp.vocab, words=tokens or ["<empty>"])
    return dict(nlp.get_pipe("textcat_multilabel")(doc).cats)


def cross_validate(items: list[Item], folds: int) -> None:
    rng = random.Random(SEED)
    order = list(range(len(items)))
    rng.shuffle(order)
    scored: list[tuple[dict[str, float], frozenset[str]]] = []
    for fold in range(folds):
        test = [items[i] for n, i in enumerate(order) if n % folds == fold]
        nlp = train([items[i] for n, i in enumerate(order) if n % folds != fold])
        scored.extend((predict(nlp, tokens), found) for tokens, found in test)
    print(f"{folds}-fold cross-validation over {len(items)} sentences")
    print(f"{'label':<6} {'thr':>5} {'prec':>5} {'recall':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    for label in LABELS:
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            tp = sum(1 for s, f in scored if s[label] >= threshold and label in f)
            fp = sum(1 for s, f in scored if s[label] >= threshold and label not in f)
            fn = sum(1 for s, f in scored if s[label] < threshold and label in f)
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            print(f"{label:<6} {threshold:>5.2f} {p:>5.2f} {r:>6.2f} {tp:>4} {fp:>4} {fn:>4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=0, help="k-fold cross-validation only")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    data = dataset()
    counts = {label: sum(1 for _, _, f in data if label in f) for label in LABELS}
    print(f"{len(data)} sentences; positives: {counts}")
    items = [(tokens, found) for _, tokens, found in data]
    if args.cv:
        cross_validate(items, args.cv)
        return
    nlp = train(items)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
