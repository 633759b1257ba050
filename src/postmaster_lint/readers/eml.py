"""`.eml` messages (RFC 5322 / MIME): the Subject and the body are linted.

The body is the first text/plain part, or the first text/html part when there is none.
Transfer encodings and declared charsets are decoded. Positions always point into the file:
- 7bit/8bit bodies: the exact character;
- quoted-printable: the encoded sequence (`=C3=A9` for "é");
- base64: the four-character group that encodes the character's first byte;
- an RFC 2047 encoded Subject (`=?utf-8?...?=`): the start of the Subject's value.
A truncated or malformed part is decoded as far as it goes; an unknown charset falls back to
UTF-8 with replacement characters.
"""

from __future__ import annotations

import binascii
import codecs
import email
import email.header
import email.policy
import re
from email.message import Message

from ..document import Document
from .builder import TextBuilder
from .html import read_html

_HEADER_END = re.compile(r"\r?\n\r?\n")
_SUBJECT = re.compile(r"^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.M | re.I)
_B64 = re.compile(r"[A-Za-z0-9+/=]")


def read_eml(source: str, path: str) -> Document:
    builder = TextBuilder(source, templates=False)
    header_end = _HEADER_END.search(source)
    headers_stop = header_end.start() if header_end else len(source)
    subject = _SUBJECT.search(source, 0, headers_stop)
    if subject:
        _put_subject(builder, subject)
        builder.put("\n\n", subject.end(), subject.end() + 1)
    message = email.message_from_string(source, policy=email.policy.compat32)
    part = _body_part(message)
    if part is not None:
        _put_body(builder, source, part, header_end.end() if header_end else len(source))
    return builder.build(path)


def _put_subject(builder: TextBuilder, match: re.Match[str]) -> None:
    raw = match.group(1)
    start = match.start(1)
    if "=?" not in raw:
        builder.keep(start, match.end(1))
        return
    decoded = str(email.header.make_header(email.header.decode_header(raw)))
    end = match.end(1)
    builder.put_mapped(decoded, [start] * len(decoded), [end] * len(decoded))


def _body_part(message: Message) -> Message | None:
    plain = html = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        disposition = (part.get("Content-Disposition") or "").lower()
        if disposition.startswith("attachment"):
            continue
        if part.get_content_subtype() == "plain" and plain is None:
            plain = part
        elif part.get_content_subtype() == "html" and html is None:
            html = part
    return plain or html


def _put_body(builder: TextBuilder, source: str, part: Message, search_from: int) -> None:
    raw = part.get_payload(decode=False)
    if not isinstance(raw, str) or not raw:
        return
    encoding = (part.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    charset = part.get_content_charset() or "utf-8"
    offset = source.find(raw, search_from)
    if offset == -1:
        # The email package hands back 8-bit payloads decoded with their charset; the file
        # holds the bytes (as surrogates where they are not UTF-8). Find those instead.
        raw = raw.encode(_canonical(charset), "surrogateescape").decode("utf-8", "surrogateescape")
        offset = source.find(raw, search_from)
    if offset == -1:
        return
    units = _encoded_units(raw, offset, encoding)
    text, starts, ends = _decode(units, charset)
    if part.get_content_subtype() == "html":
        _put_html(builder, text, starts, ends)
    elif encoding in ("quoted-printable", "base64") or _is_8bit_legacy(raw, charset):
        builder.put_mapped(text, starts, ends)
    else:
        builder.keep(offset, offset + len(raw))  # identity: template tags and CRLF handled


def _is_8bit_legacy(raw: str, charset: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in raw) or _canonical(charset) not in (
        "utf-8",
        "ascii",
    )


def _encoded_units(raw: str, offset: int, encoding: str) -> list[tuple[int, int, int]]:
    """(byte, source start, source end) for every byte of the part, undoing the transfer
    encoding."""
    if encoding == "quoted-printable":
        return _quoted_printable(raw, offset)
    if encoding == "base64":
        return _base64(raw, offset)
    units = []
    for index, char in enumerate(raw):
        for byte in char.encode("utf-8", "surrogateescape"):
            units.append((byte, offset + index, offset + index + 1))
    return units


def _quoted_printable(raw: str, offset: int) -> list[tuple[int, int, int]]:
    units = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "=":
            soft = re.match(r"=[ \t]*(\r?\n|$)", raw[index : index + 4])
            if soft:
                index += len(soft.group(0))
                continue
            pair = raw[index + 1 : index + 3]
            if re.fullmatch(r"[0-9A-Fa-f]{2}", pair):
                units.append((int(pair, 16), offset + index, offset + index + 3))
                index += 3
                continue
        for byte in char.encode("utf-8", "surrogateescape"):
            units.append((byte, offset + index, offset + index + 1))
        index += 1
    return units


def _base64(raw: str, offset: int) -> list[tuple[int, int, int]]:
    symbols = [(m.group(0), offset + m.start()) for m in _B64.finditer(raw)]
    units = []
    for group in range(0, len(symbols) - len(symbols) % 4, 4):
        quad = symbols[group : group + 4]
        try:
            decoded = binascii.a2b_base64("".join(s for s, _ in quad).encode())
        except binascii.Error:
            break  # a truncated or damaged part: keep what decoded cleanly
        for byte in decoded:
            units.append((byte, quad[0][1], quad[-1][1] + 1))
    return units


def _decode(units: list[tuple[int, int, int]], charset: str) -> tuple[str, list[int], list[int]]:
    """Decode bytes with their positions; each character maps onto the source range from its
    first byte's start to its last byte's end."""
    try:
        decoder = codecs.getincrementaldecoder(_canonical(charset))(errors="replace")
    except LookupError:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_start: int | None = None
    for byte, start, end in units:
        if pending_start is None:
            pending_start = start
        out = decoder.decode(bytes([byte]))
        for char in out:
            chars.append(char)
            starts.append(pending_start)
            ends.append(end)
        if out:
            pending_start = None
    tail = decoder.decode(b"", final=True)
    for char in tail:
        chars.append(char)
        starts.append(units[-1][1])
        ends.append(units[-1][2])
    return _normalise_newlines("".join(chars), starts, ends)


def _normalise_newlines(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    if "\r" not in text:
        return text, starts, ends
    out_chars: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    index = 0
    while index < len(text):
        if text[index] == "\r":
            last = index + 1 if text[index + 1 : index + 2] == "\n" else index
            out_chars.append("\n")
            out_starts.append(starts[index])
            out_ends.append(ends[last])
            index = last + 1
            continue
        out_chars.append(text[index])
        out_starts.append(starts[index])
        out_ends.append(ends[index])
        index += 1
    return "".join(out_chars), out_starts, out_ends


def _put_html(builder: TextBuilder, html_text: str, starts: list[int], ends: list[int]) -> None:
    """Run the HTML reader on the decoded part, then carry its map through the decoding."""
    inner = read_html(html_text, "<part>")
    chars = inner.text
    mapped_starts = [starts[inner.source_offset(i)] for i in range(len(chars))]
    mapped_ends = [ends[inner.source_span(i, i + 1)[1] - 1] for i in range(len(chars))]
    quote_marks = inner.quoted
    base = builder.length
    builder.put_mapped(chars, mapped_starts, mapped_ends)
    builder.add_quoted((base + s, base + e) for s, e in quote_marks)


def _canonical(charset: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "utf-8"
