"""The reply-header shapes are data (src/postmaster_lint/reply_headers.yaml): every example must
be recognised in a draft, exactly where it starts, and every non-example must not be."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from postmaster_lint.quoting import find_quoted_regions
from postmaster_lint.replyheaders import ReplyHeader, find_reply_headers, load_data

DATA = load_data()
LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "ja"}
SENDER = "We removed the purchased list on 2 May.\n\n"
ANSWER = "Why do you think you were blocked? Please call us. We can whitelist you.\n"
QUOTED_ANSWER = "> Why do you think you were blocked?\n>\n> Please call us.\n"
AFTER = "\nWe also set up a monthly list audit.\n"


def shapes(kind: str) -> list[dict[str, Any]]:
    return list(DATA[kind])


def examples(kind: str, key: str = "examples") -> list[tuple[dict[str, Any], str]]:
    return [(shape, example) for shape in shapes(kind) for example in shape.get(key, [])]


def only_header(text: str) -> ReplyHeader:
    [header] = list(find_reply_headers(text))
    return header


@pytest.mark.parametrize(
    ("shape", "example"), examples("attributions"), ids=lambda v: v if isinstance(v, str) else ""
)
def test_attribution_examples_are_recognised(shape: dict[str, Any], example: str) -> None:
    text = SENDER + example + "\n" + QUOTED_ANSWER + AFTER
    start = text.index(example)
    header = only_header(text)
    assert (header.start, header.end, header.shape, header.kind) == (
        start,
        start + len(example),
        shape["id"],
        "attribution",
    )
    # Followed by ">" lines: the header and the quote, not the sender's line after them.
    block_end = text.index("> Please call us.") + len("> Please call us.")
    assert (start, block_end) in list(find_quoted_regions(text))
    unprefixed = SENDER + example + "\n\n" + ANSWER
    regions = list(find_quoted_regions(unprefixed))
    if shape.get("needs_quote_after"):
        assert header.weak
        assert all(s > start or e < start for s, e in regions)  # nothing quoted from it
    else:
        assert not header.weak  # every example names a time or an address
        assert regions[-1] == (start, len(unprefixed))


@pytest.mark.parametrize(
    ("shape", "example"), examples("separators"), ids=lambda v: v if isinstance(v, str) else ""
)
def test_separator_examples_are_recognised(shape: dict[str, Any], example: str) -> None:
    text = SENDER + example + "\nFrom: Support <support@example.net>\n\n" + ANSWER
    start = text.index(example)
    header = only_header(text)
    assert (header.start, header.end, header.shape) == (start, start + len(example), shape["id"])
    assert list(find_quoted_regions(text))[-1] == (start, len(text))


@pytest.mark.parametrize("block", DATA["header_blocks"]["examples"], ids=lambda b: str(b["id"]))
def test_header_block_examples_are_recognised(block: dict[str, Any]) -> None:
    text = SENDER + block["text"] + "\n\n" + ANSWER
    start = text.index(block["text"])
    header = only_header(text)
    assert (header.start, header.end, header.kind) == (
        start,
        start + len(block["text"]),
        "header-block",
    )
    assert list(find_quoted_regions(text))[-1] == (start, len(text))


@pytest.mark.parametrize(
    ("shape", "line"),
    examples("attributions", "non_examples") + examples("separators", "non_examples"),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_non_examples_are_not_headers(shape: dict[str, Any], line: str) -> None:
    for after in (ANSWER, QUOTED_ANSWER):
        assert list(find_reply_headers(SENDER + line + "\n" + after)) == []


@pytest.mark.parametrize("block", DATA["header_blocks"]["non_examples"], ids=lambda b: str(b["id"]))
def test_header_block_non_examples_are_not_headers(block: dict[str, Any]) -> None:
    assert list(find_reply_headers(SENDER + block["text"] + "\n\n" + ANSWER)) == []


def test_a_header_block_at_the_top_is_the_drafts_own_header() -> None:
    text = "From: Dana <dana@example.com>\nTo: postmaster@example.net\nSubject: Delisting\n\nHi.\n"
    assert list(find_reply_headers(text)) == []


def test_every_language_has_attributions_and_a_header_block() -> None:
    assert {s["language"] for s in shapes("attributions")} >= LANGUAGES
    assert {b["id"].split("-")[0] for b in DATA["header_blocks"]["examples"]} >= LANGUAGES


def test_shapes_are_well_formed() -> None:
    for kind in ("attributions", "separators"):
        ids = [s["id"] for s in shapes(kind)]
        assert len(ids) == len(set(ids)), kind
        for shape in shapes(kind):
            assert shape["examples"], shape["id"]
            assert set(shape) <= {
                "id", "language", "clients", "pattern", "phrases", "needs_quote_after",
                "examples", "non_examples",
            }, shape["id"]  # fmt: skip
            # Shapes are joined into one pattern with a named group each: they name none.
            assert "(?P<" not in shape["pattern"], shape["id"]
            re.compile(shape["pattern"])


@pytest.mark.parametrize(
    "text",
    [
        "x:\n" * 350_000,
        "Hi\n" + "From: a\n" * 125_000,
        "----- x -----\n" * 75_000,
        ("On 3 May 10:15 word word word word word word word word wrote:\n") * 16_000,
        "On 3 May 2024 10:15 X wrote:\n> a\n" * 30_000,
    ],
    ids=["colon-lines", "from-lines", "dash-lines", "wrapped-attributions", "many-threads"],
)
def test_header_like_megabytes_are_read_in_bounded_time(text: str) -> None:
    started = time.monotonic()
    list(find_quoted_regions(text))
    assert time.monotonic() - started < 5  # about 0.5 s here; a file may be 2 MiB
