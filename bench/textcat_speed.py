"""Per-draft time of the built-in rules with and without their `classify` alternatives, in one
process, on the benchmark's ~400-word drafts (bench/run.py), interleaved so that a busy machine
slows both alike: the ratio of the fastest passes.

    python bench/textcat_speed.py [--drafts 300] [--passes 7]
"""

from __future__ import annotations

import argparse
import time

from run import make_drafts
from textcat import variant

from postmaster_lint.document import Document
from postmaster_lint.linter import Linter
from postmaster_lint.rules import load_rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    documents = [
        Document.from_plain_text(p.read_text(encoding="utf-8")) for p in make_drafts(args.drafts)
    ]
    rules = load_rules()
    linters = {"rules only": Linter(variant(rules, None)), "with classifier": Linter(rules)}
    for linter in linters.values():  # warm up: the model loads, caches fill
        for document in documents[:20]:
            linter.lint(document)
    best = dict.fromkeys(linters, float("inf"))
    for _ in range(args.passes):
        for name, linter in linters.items():
            start = time.perf_counter()
            for document in documents:
                linter.lint(document)
            best[name] = min(best[name], (time.perf_counter() - start) / len(documents))
    for name, seconds in best.items():
        print(f"{name:<16} {seconds * 1000:6.2f} ms per draft")
    print(f"ratio {best['with classifier'] / best['rules only']:.3f}")


if __name__ == "__main__":
    main()
