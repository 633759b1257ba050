"""Readers turn a file into the prose to lint plus an exact map back into the file.

The format comes from the file name: `.md`, `.html`, `.eml`, and templates by their engine's
extension (`.j2`, `.jinja`, `.liquid`, `.hbs`, `.mustache`, `.tmpl`, `.tpl`), read as the format
before it (`request.html.j2` is HTML) or as plain text. Template tags are recognised in every
format. Everything else is plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import PurePath

from ..document import Document

# Imported when first needed: the .eml reader alone pulls in the email package.
READERS = {"plain": "plain", "markdown": "markdown", "html": "html", "eml": "eml"}
FORMAT_BY_SUFFIX = {
    ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".eml": "eml", ".txt": "plain", ".text": "plain",
}  # fmt: skip
TEMPLATE_SUFFIXES = frozenset(
    {".j2", ".jinja", ".jinja2", ".liquid", ".hbs", ".handlebars", ".mustache", ".tmpl", ".tpl"}
)


def format_for(path: str) -> str:
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    while suffixes and suffixes[-1] in TEMPLATE_SUFFIXES:
        suffixes.pop()
    return FORMAT_BY_SUFFIX.get(suffixes[-1], "plain") if suffixes else "plain"


def read_document(source: str, path: str, fmt: str | None = None) -> Document:
    name = READERS[fmt or format_for(path)]
    reader: Callable[[str, str], Document] = getattr(
        import_module(f".{name}", __name__), f"read_{name}"
    )
    return reader(source, path)
