"""Markdown: prose is the text of paragraphs, headings, list items, emphasis and link text.
Front matter (but its `subject:`, read as the first line, as an .eml's Subject is), link and
image targets, reference definitions, HTML tags and comments are dropped. Code (fenced,
indented, inline) and block quotes are kept as quoted material: a pasted bounce in a code block
supplies the SMTP code, but nothing in it is a pitfall."""

from __future__ import annotations

import re

from ..boilerplate import is_form_question
from ..document import Document
from .builder import TextBuilder

_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*(?:\r?\n|\Z)", re.S | re.M)
# `subject: ...` (YAML) or `subject = "..."` (TOML), quotes not read.
_SUBJECT = re.compile(
    r"""^subject[ \t]*[:=][ \t]*(?P<quote>["']?)(?P<value>[^\r\n]*?)(?P=quote)[ \t]*\r?$""",
    re.I | re.M,
)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*\S")
_SETEXT_OR_RULE = re.compile(r"^[ ]{0,3}(?:=+|-{2,}|\*{3,}|_{3,})[ \t]*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+", re.MULTILINE)  # matched at a line start
_BOLD_LINE = re.compile(r"^[ \t]*(?:\*\*|__)[^*_\n]+(?:\*\*|__)[ \t]*:?[ \t]*$")
_QUOTE = re.compile(r"^[ ]{0,3}(?:>[ ]?)+")
_INLINE = re.compile(
    r"(?P<code>(`+).+?\2)"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<link>\[(?P<label>[^\]]+)\](?:\([^)]*\)|\[[^\]]*\]))"
    r"|(?P<auto><(?:https?://|mailto:)[^>\s]+>)"
    r"|(?P<tag></?[A-Za-z][^>]*>)"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|>])"
    r"|(?P<emphasis>\*\*|__|~~|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*]))"
)


def read_markdown(source: str, path: str) -> Document:
    drops = [m.span() for m in _HTML_COMMENT.finditer(source)]
    front = _FRONT_MATTER.match(source)
    subject = _SUBJECT.search(source, 0, front.end()) if front else None
    if front and subject and subject.group("value").strip():
        value_start, value_end = subject.span("value")
        drops[:0] = [(front.start(), value_start), (value_end, front.end())]
    elif front:
        drops.insert(0, front.span())
        subject = None
    builder = TextBuilder(source, drops=drops)
    if subject:
        builder.keep(*subject.span("value"))
        builder.put("\n\n", subject.end("value"), subject.end("value") + 1)
    fence: str | None = None
    previous_blank = True
    in_quote = False
    for start, end, newline_end in _lines(source):
        if front and end <= front.end():
            continue
        line = source[start:end]
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            else:
                _code(builder, start, end)
            _newline(builder, end, newline_end)
            continue
        opening = _FENCE.match(line)
        blank = not line.strip()
        if opening:
            fence = opening.group(1)
        elif previous_blank and (line.startswith("    ") or line.startswith("\t")):
            _code(builder, start, end)
        elif _is_skipped(line):
            pass
        else:
            quote = _QUOTE.match(line)
            if quote and not in_quote:
                builder.quote_start()
            elif not quote and in_quote and blank:
                builder.quote_end()
            in_quote = bool(quote) or (in_quote and not blank)
            content = start + (quote.end() if quote else 0)
            heading = _HEADING.match(source, content, end)
            # A heading that asks or labels is the form's ("### Why is this a false
            # positive?"), and so is a line in bold alone ("**More Information**").
            form = bool(heading and is_form_question(line)) or bool(_BOLD_LINE.match(line))
            if form:
                builder.quote_start()
            _inline(builder, heading.end() if heading else content, end)
            if form:
                builder.quote_end()
        previous_blank = blank
        _newline(builder, end, newline_end)
    return builder.build(path)


def _code(builder: TextBuilder, start: int, end: int) -> None:
    builder.quote_start()
    builder.keep(start, end)
    builder.quote_end()


def _is_skipped(line: str) -> bool:
    return bool(_REFERENCE.match(line) or _SETEXT_OR_RULE.match(line) or _TABLE_RULE.match(line))


def _inline(builder: TextBuilder, start: int, end: int) -> None:
    source = builder.source
    cursor = start
    for match in _INLINE.finditer(source, start, end):
        builder.keep(cursor, match.start())
        if match.group("link"):
            label_start = match.start("label")
            _inline(builder, label_start, label_start + len(match.group("label")))
            cursor = match.end()
        elif match.group("escape"):
            builder.keep(match.start() + 1, match.end())
            cursor = match.end()
        elif match.group("code"):
            ticks = len(match.group(2))
            _code(builder, match.start() + ticks, match.end() - ticks)
            cursor = match.end()
        else:
            cursor = builder.drop(match.start(), match.end(), end)
    builder.keep(cursor, end)


def _newline(builder: TextBuilder, end: int, newline_end: int) -> None:
    if newline_end > end:
        builder.put("\n", end, newline_end)


def _lines(source: str) -> list[tuple[int, int, int]]:
    """(start, end without the line break, end with it) for every line."""
    lines = []
    cursor = 0
    for match in re.finditer(r"\r\n|\n|\r", source):
        lines.append((cursor, match.start(), match.end()))
        cursor = match.end()
    if cursor < len(source):
        lines.append((cursor, len(source), len(source)))
    return lines
