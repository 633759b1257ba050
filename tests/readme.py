"""Copy-paste snippets in the README are marked `<!-- snippet: NAME -->` before their fence;
tests run them, so the README cannot drift from what works."""

from __future__ import annotations

import re

from .conftest import REPO


def snippet(name: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(
        rf"<!-- snippet: {re.escape(name)} -->\s*```[a-z]*\n(.*?)```", readme, re.DOTALL
    )
    assert match, f"README has no snippet {name!r}"
    return match.group(1)
