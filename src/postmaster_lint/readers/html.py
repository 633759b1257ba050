"""HTML: prose is the visible text. Tags, attributes, comments, `<script>`, `<style>`, `<head>`
and `<template>` are not; entities are decoded (mapped onto the whole entity); block elements
end a line; `<blockquote>` and mail clients' quote containers are quoted material."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from ..document import Document
from .builder import TextBuilder

_HIDDEN = {"script", "style", "head", "title", "template", "noscript", "svg", "object"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "body", "html",
}  # fmt: skip
_QUOTE_CLASSES = (
    "gmail_quote",
    "moz-cite-prefix",
    "yahoo_quoted",
    "ms-outlook-quote",
    "protonmail_quote",
    "quote",
)


def read_html(source: str, path: str) -> Document:
    parser = _ProseParser(source)
    parser.feed(source)
    parser.close()
    return parser.builder.build(path)


class _ProseParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.builder = TextBuilder(source)
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self._hidden: list[str] = []
        self._quote_depth = 0
        self._open: list[tuple[str, bool]] = []  # (tag, opened a quote)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _tag_end(self, start: int) -> int:
        end = self.source.find(">", start)
        return len(self.source) if end == -1 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        end = start + len(raw) if self.source.startswith(raw, start) else self._tag_end(start)
        if tag in _HIDDEN:
            self._hidden.append(tag)
            return
        if tag in _BLOCK and not self._hidden:
            self.builder.put("\n", start, end)
        quote = tag in ("blockquote", "code", "pre", "tt", "kbd", "samp") or any(
            name == "class" and value and any(q in value for q in _QUOTE_CLASSES)
            for name, value in attrs
        )
        if tag not in ("br", "hr", "img", "meta", "link", "input", "wbr"):
            self._open.append((tag, quote))
        if quote:
            if self._quote_depth == 0:
                self.builder.quote_start()
            self._quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        end = self._tag_end(start)
        if self._hidden:
            if tag == self._hidden[-1]:
                self._hidden.pop()
            return
        if tag in _BLOCK:
            self.builder.put("\n", start, end)
        opened = [i for i, (name, _) in enumerate(self._open) if name == tag]
        if opened:
            index = opened[-1]
            closing = self._open[index:]
            del self._open[index:]
            for _, was_quote in closing:
                if was_quote:
                    self._quote_depth -= 1
                    if self._quote_depth == 0:
                        self.builder.quote_end()

    def handle_data(self, data: str) -> None:
        if self._hidden or not data:
            return
        start = self._offset()
        if self.source.startswith(data, start):
            self.builder.keep(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, raw: str) -> None:
        if self._hidden:
            return
        start = self._offset()
        end = start + len(raw)
        if self.source.startswith(";", end):
            end += 1
        decoded = html.unescape(self.source[start:end])
        if decoded == self.source[start:end]:
            self.builder.keep(start, end)  # not an entity we know: leave it as written
        else:
            self.builder.put(decoded.replace("\xa0", " "), start, end)
