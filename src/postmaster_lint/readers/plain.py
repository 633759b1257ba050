"""Plain text: all of it is prose (template tags aside); line endings become "\\n"."""

from __future__ import annotations

from ..document import Document
from .builder import TextBuilder


def read_plain(source: str, path: str) -> Document:
    builder = TextBuilder(source)
    builder.keep(0, len(source))
    return builder.build(path)
