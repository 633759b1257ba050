"""Compare reply-quote detection on corpora/replies: quotequail, mail-parser-reply, and
postmaster-lint's own data-driven detection (src/postmaster_lint/reply_headers.yaml).

    pip install '.[bench]' && python bench/replies.py

Every detector gets the same input: the prose postmaster-lint's reader makes of the draft (the
visible text of HTML, the decoded body of an .eml). Each answers with where the quoted material
starts (and, for postmaster-lint, where each quoted block ends). A draft is *recognised* when
- every quoted block of layouts.yaml that starts with a header is found: the detected quoted
  material starts after the sender's text and no later than the first line of the provider's
  answer (inside the header's own lines is fine: a separator or field line above the start
  holds no prose), and runs to the block's end (blocks of ">" lines without a header are
  quoted by every detector's ">" rule and are left out); and
- no labeled pitfall of the sender (labels.yaml) lies in what was detected as quoted.
*missed*: a block not found, or found starting in the wrong place; *swallowed*: the sender's
own labeled text taken for quoted material. The table is printed and written to
bench/results-replies.md.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import quotequail
import yaml
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from postmaster_lint.inputs import read_draft
from postmaster_lint.quoting import thread_regions
from postmaster_lint.readers import read_document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpora" / "replies"
RESULTS = REPO / "bench" / "results-replies.md"
Region = tuple[int, int]
Detector = Callable[[str, tuple[Region, ...]], list[Region]]
_WORD = re.compile(r"\w")


@dataclass
class Draft:
    name: str
    layout: str
    language: str
    format: str
    text: str
    quoted: list[Region]  # expected, in text offsets
    sender: list[Region]  # the sender's labeled pitfalls, in text offsets
    containers: tuple[Region, ...]  # what the reader itself marks as quoted


@dataclass
class Tally:
    recognised: int = 0
    missed: int = 0
    swallowed: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.recognised + self.missed + self.swallowed


# --- the detectors: each returns quoted regions of `text` -----------------------------------


def quotequail_quote(text: str, _: tuple[Region, ...]) -> list[Region]:
    parts = quotequail.quote(text, quote_intro_line=True)
    if len(parts) < 2:
        return []
    split = len(parts[0][1]) + (1 if parts[0][1] else 0)
    return [(split, len(text))]


def quotequail_unwrap(text: str, _: tuple[Region, ...]) -> list[Region]:
    result = quotequail.unwrap(text)
    if not result:
        return []
    top = result.get("text_top", "")
    if not top:
        return [(0, len(text))]
    return [(_next_line(text, text.find(top) + len(top)), len(text))]


_MPR = EmailReplyParser(languages=list(MAIL_LANGUAGES))


def mail_parser_reply(text: str, _: tuple[Region, ...]) -> list[Region]:
    replies = _MPR.read(text).replies
    if len(replies) < 2:
        return []
    header = next((line.strip() for line in replies[1].headers.splitlines() if line.strip()), "")
    start = _find_line(text, header)
    return [] if start is None else [(start, len(text))]


def postmaster_lint(text: str, containers: tuple[Region, ...]) -> list[Region]:
    return thread_regions(text, containers)[0]


def postmaster_lint_text_only(text: str, _: tuple[Region, ...]) -> list[Region]:
    return thread_regions(text)[0]


DETECTORS: dict[str, Detector] = {
    "quotequail.quote": quotequail_quote,
    "quotequail.unwrap": quotequail_unwrap,
    "mail-parser-reply": mail_parser_reply,
    "postmaster-lint (text only)": postmaster_lint_text_only,
    "postmaster-lint": postmaster_lint,
}


def _next_line(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return text.rfind("\n", 0, offset) + 1


def _find_line(text: str, stripped: str) -> int | None:
    """Where the line whose stripped text is `stripped` (or starts it) begins."""
    cursor = 0
    for line in text.split("\n"):
        if stripped and line.strip().startswith(stripped[:60]):
            return cursor + len(line) - len(line.lstrip())
        cursor += len(line) + 1
    return None


# --- the corpus -----------------------------------------------------------------------------


def load() -> list[Draft]:
    layouts = yaml.safe_load((CORPUS / "layouts.yaml").read_text("utf-8"))["drafts"]
    labels = yaml.safe_load((CORPUS / "labels.yaml").read_text("utf-8"))["drafts"]
    drafts = []
    for name, layout in sorted(layouts.items()):
        source = read_draft(str(CORPUS / "drafts" / name)).text
        document = read_document(source, name)
        offsets = [document.source_offset(i) for i in range(len(document.text))]
        quoted = [_to_text(offsets, *_source_block(source, f, la)) for f, la in layout["quoted"]]
        texts = [t for value in labels[name].values() if isinstance(value, list) for t in value]
        sender = [
            (m.start(), m.end())
            for t in texts
            for m in re.finditer(re.escape(t), document.text)
            if not any(s <= m.start() < e for s, e in quoted)
        ]
        drafts.append(
            Draft(
                name,
                layout["layout"],
                layout["language"],
                layout["format"],
                document.text,
                quoted,
                sender,
                document.quoted,
            )
        )
    return drafts


def _source_block(source: str, first: str, last: str | None) -> Region:
    start = source.index(first)
    return start, len(source) if last is None else source.index(last, start) + len(last)


def _to_text(offsets: list[int], start: int, end: int) -> Region:
    inside = [i for i, at in enumerate(offsets) if start <= at < end]
    return inside[0], inside[-1] + 1


def judge(draft: Draft, found: list[Region]) -> str:
    for s, e in draft.sender:
        if any(ds < e and s < de for ds, de in found):
            return "swallowed"
    for start, end in draft.quoted:
        if draft.text[start] == ">":
            continue
        earliest = len(draft.text[:start].rstrip())
        latest = _answer_start(draft.text, start)
        end = len(draft.text[:end].rstrip())
        if not any(earliest <= ds <= latest and de >= end for ds, de in found):
            return "missed"
    return "recognised"


# Lines of a header: its first line, then blank lines, separators, "Field: value" lines and the
# rest of a wrapped attribution ("address>:").
_HEADER_LINE = re.compile(r"[\W_]*|[^\s:：]+(?: [^\s:：]+){0,2} ?[:：].*|\S+[:：]")


def _answer_start(text: str, start: int) -> int:
    """Where the provider's answer begins below the header that starts at `start`."""
    cursor = text.find("\n", start) + 1 or len(text)
    while cursor < len(text):
        end = text.find("\n", cursor)
        end = len(text) if end == -1 else end
        if not _HEADER_LINE.fullmatch(text[cursor:end].strip()):
            return cursor
        cursor = end + 1
    return len(text)


# --- the report -----------------------------------------------------------------------------


def main() -> None:
    drafts = load()
    by_layout: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_language: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_format: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    totals: dict[str, Tally] = defaultdict(Tally)
    for draft in drafts:
        for name, detect in DETECTORS.items():
            verdict = judge(draft, detect(draft.text, draft.containers))
            for tally in (
                by_layout[draft.layout][name],
                by_language[draft.language][name],
                by_format[draft.format][name],
                totals[name],
            ):
                setattr(tally, verdict, getattr(tally, verdict) + 1)
                if verdict != "recognised":
                    tally.names.append(f"{draft.name} ({verdict})")
    tables = {"layout": by_layout, "language": by_language, "format": by_format}
    report = render(drafts, tables, totals)
    RESULTS.write_text(report, encoding="utf-8")
    sys.stdout.write(report)


def render(
    drafts: list[Draft], tables: dict[str, dict[str, dict[str, Tally]]], totals: dict[str, Tally]
) -> str:
    names = list(DETECTORS)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [
        "# Reply-quote detection on corpora/replies",
        "",
        f"`python bench/replies.py` on {stamp}: {len(drafts)} drafts; quotequail "
        f"{version('quotequail')}, mail-parser-reply {version('mail-parser-reply')}. Each cell: "
        "recognised / drafts (missed, swallowed). See the docstring of bench/replies.py for "
        "what counts, and docs/replies.md for what it means.",
        "",
    ]
    for title, rows in tables.items():
        lines += [*_table(title, rows, names), ""]
    total_row = " | ".join(_cell(totals[n]) for n in names)
    lines += ["| all drafts | " + " | ".join(names) + " |"]
    lines += ["|---|" + "---|" * len(names), f"| {len(drafts)} | {total_row} |", ""]
    lines += ["## Not recognised", ""]
    for name in names:
        missed = totals[name].names
        lines.append(f"- **{name}** ({len(missed)}): {', '.join(missed) or 'none'}")
    return "\n".join(lines) + "\n"


def _table(title: str, rows: dict[str, dict[str, Tally]], names: list[str]) -> list[str]:
    out = [f"| {title} | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in sorted(rows):
        out.append(f"| {key} | " + " | ".join(_cell(rows[key][n]) for n in names) + " |")
    return out


def _cell(tally: Tally) -> str:
    return f"{tally.recognised}/{tally.total} ({tally.missed}, {tally.swallowed})"


if __name__ == "__main__":
    main()
