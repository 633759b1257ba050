"""Read a bounce as people have it: a pasted reply, a mail log, or a whole NDR/DSN message.

A message (`.eml`, or text that starts with mail headers and a Content-Type) is parsed with the
stdlib `email` package: each recipient block of a `message/delivery-status` part (RFC 3464)
gives one reply, from its Diagnostic-Code and Status, with its Final-Recipient, Remote-MTA and
date; a message without one is searched in its text parts. Anything else is searched as text,
and a reply on a Postfix or Exim log line takes its date, recipient and relay from the line.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from email.message import Message

from .bounces import Code, Reply, find_replies, identify
from .providers import ProviderSet, load_providers

_HEADERS = re.compile(r"\A(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+?(?:\r?\n)", re.I)
_POSTFIX = re.compile(r"\bto=<(?P<rcpt>[^>]*)>.*?\brelay=(?P<host>[^\s,\[]+)\[(?P<ip>[^\]]+)\]")
_EXIM = re.compile(r"\*\* (?P<rcpt>\S+).*?\bH=(?P<host>\S+) \[(?P<ip>[^\]]+)\]")
_LOG_DATE = re.compile(
    r"^(?:[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?)"
)


def read_bounce(text: str, name: str = "", providers: ProviderSet | None = None) -> list[Reply]:
    """Every reply in a bounce, identified. Offsets point into `text` (for a DSN recipient block,
    the whole Diagnostic-Code field)."""
    data = providers if providers is not None else load_providers()
    if name.lower().endswith(".eml") or _looks_like_message(text):
        message = email.message_from_string(text, policy=email.policy.compat32)
        replies = _from_dsn(text, message, data)
        if replies:
            return replies
        return _from_parts(text, message, data)
    return [_with_log_details(text, reply, data) for reply in find_replies(text, data)]


def _looks_like_message(text: str) -> bool:
    head = _HEADERS.match(text.replace("\r\n", "\n"))
    return bool(head and re.search(r"^Content-Type:", head.group(), re.I | re.M))


def _with_log_details(text: str, reply: Reply, data: ProviderSet) -> Reply:
    line_start = text.rfind("\n", 0, reply.start) + 1
    line = text[line_start : reply.start]
    date = _LOG_DATE.match(line)
    found = _POSTFIX.search(line) or _EXIM.search(line)
    if found:
        reply = replace(
            reply,
            recipient=found.group("rcpt") or None,
            remote_mta=f"{found.group('host')} [{found.group('ip')}]",
        )
    if date:
        reply = replace(reply, date=date.group())
    return identify(reply, data, context=reply.remote_mta or "")


def _from_dsn(text: str, message: Message, data: ProviderSet) -> list[Reply]:
    replies: list[Reply] = []
    fields = list(re.finditer(r"^Diagnostic-Code:[ \t]*(.*(?:\r?\n[ \t].*)*)", text, re.I | re.M))
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = [b for b in payload if isinstance(b, Message)] if isinstance(payload, list) else []
        if not blocks:
            continue
        per_message, recipients = blocks[0], blocks[1:] or blocks[:1]
        for block in recipients:
            reply = _dsn_reply(block, per_message, message, fields, len(replies), data)
            if reply is not None and all(r.text != reply.text for r in replies):
                replies.append(reply)
    return replies


def _dsn_reply(
    block: Message,
    per_message: Message,
    message: Message,
    fields: list[re.Match[str]],
    index: int,
    data: ProviderSet,
) -> Reply | None:
    diagnostic = _unfold(block.get("Diagnostic-Code", ""))
    diagnostic = re.sub(r"^\s*smtp\s*;\s*", "", diagnostic, flags=re.I)
    status = _unfold(block.get("Status", "")).strip()
    if not diagnostic and not status:
        return None
    span = fields[index].span(1) if index < len(fields) else (0, 0)
    found = find_replies(diagnostic, data) if diagnostic else []
    if found:
        reply = found[0]
        reply = replace(reply, text=diagnostic.strip(), start=span[0], end=span[1])
    else:
        reply = Reply(diagnostic.strip() or status, span[0], span[1], None, None, (), (), ())
    if reply.enhanced_code is None and re.fullmatch(r"[45]\.\d{1,3}\.\d{1,3}", status):
        reply = replace(reply, enhanced_code=Code("enhanced", status, span[0], span[0]))
    # Offsets of codes inside the field are relative to the unfolded text: move them to the
    # field's start so that they stay inside it.
    reply = _shift_codes(reply, span[0])
    recipient = _unfold(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
    remote = _unfold(block.get("Remote-MTA", ""))
    date = block.get("Last-Attempt-Date") or per_message.get("Arrival-Date") or message.get("Date")
    reply = replace(
        reply,
        recipient=recipient.split(";", 1)[-1].strip() or None,
        remote_mta=remote.split(";", 1)[-1].strip() or None,
        date=_unfold(date).strip() if date else None,
    )
    return identify(reply, data, context=reply.remote_mta or "")


def _shift_codes(reply: Reply, base: int) -> Reply:
    def move(code: Code | None) -> Code | None:
        if code is None:
            return None
        return replace(code, start=base, end=reply.end)

    return replace(
        reply, reply_code=move(reply.reply_code), enhanced_code=move(reply.enhanced_code)
    )


def _from_parts(text: str, message: Message, data: ProviderSet) -> list[Reply]:
    replies: list[Reply] = []
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        body = payload.decode(part.get_content_charset() or "utf-8", "replace")
        # Offsets point into the file when the part is stored as is, else into the decoded part.
        base = max(text.find(body), 0)
        for reply in find_replies(body, data):
            moved = replace(reply, start=base + reply.start, end=base + reply.end)
            if all(r.text != moved.text for r in replies):
                replies.append(identify(moved, data))
    date = message.get("Date")
    return [replace(r, date=r.date or (_unfold(date) if date else None)) for r in replies]


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", str(value))
