"""Replying under the provider's answer: the quoted answer never fires, in any client's layout
and any format, while the sender's own text above, between and below quoted blocks is linted,
with exact positions."""

from __future__ import annotations

from postmaster_lint import LintConfig, lint_text
from postmaster_lint.readers import read_document

PITFALLS = LintConfig.create(select=["PM103", "PM104", "PM107"])
ANSWER = "Why do you think you were blocked? Please call us. We can whitelist you."


def found(text: str, path: str = "a.txt") -> list[tuple[str, int, int, str]]:
    return [(d.rule, d.line, d.column, d.text) for d in lint_text(text, PITFALLS, path)]


def quoted_from(text: str, path: str) -> list[tuple[int, int]]:
    """(line, column) in the source where each quoted region starts."""
    document = read_document(text, path)
    return [
        (p.line, p.column)
        for p in (document.position(document.source_offset(s)) for s, _ in document.quoted)
    ]


# --- plain text ------------------------------------------------------------------------------


def test_outlook_header_block_without_separator_quotes_the_answer() -> None:
    text = (
        "We fixed the form. Please allowlist our IP.\n\n"
        "From: Outlook.com Support <support@example.net>\n"
        "Sent: Friday, May 3, 2024 10:15 AM\n"
        "To: Dana <dana@example.com>\n"
        "Subject: RE: Delisting\n\n"
        f"{ANSWER}\n"
    )
    assert found(text) == [("PM104", 1, 27, "allowlist")]
    assert quoted_from(text, "a.txt") == [(3, 1)]


def test_localized_header_block_with_crlf_and_non_ascii_keeps_positions() -> None:
    text = (
        "Équipe, we fixed the form. Please allowlist our IP.\r\n\r\n"
        "De\u00a0: Outlook.com Support <support@example.net>\r\n"
        "Envoyé : vendredi 3 mai 2024 10:15\r\n"
        "À : Dana <dana@example.com>\r\n"
        "Objet : RE: Delisting\r\n\r\n"
        f"{ANSWER}\r\n"
    )
    assert found(text) == [("PM104", 1, 35, "allowlist")]
    assert quoted_from(text, "a.txt") == [(3, 1)]


def test_answers_between_quoted_blocks_are_linted() -> None:
    text = (
        "Hello,\n\n"
        "Am Fr., 3. Mai 2024 um 10:15 Uhr schrieb Jürgen Müller <\n"
        "jm@example.net>:\n"
        "> Why do you think you were blocked?\n"
        ">\n"
        "> We can whitelist you.\n\n"
        "Ünser Team found the cause: a bot. Please whitelist us anyway.\n\n"
        "> Please call us.\n\n"
        "Could you call me tomorrow?\n"
    )
    assert found(text) == [
        ("PM104", 9, 43, "whitelist"),
        ("PM107", 13, 1, "Could you call me tomorrow?"),
    ]
    assert quoted_from(text, "a.txt") == [(3, 1), (11, 1)]


def test_a_reply_header_in_the_senders_prose_swallows_nothing() -> None:
    mid_line = "As your colleague wrote: send the bounce. Here it is. Please whitelist us.\n"
    assert found(mid_line) == [("PM104", 1, 62, "whitelist")]
    own_line = "On Monday your colleague wrote:\nwe should wait. Please whitelist us.\n"
    assert found(own_line) == [("PM104", 2, 24, "whitelist")]
    name_only = "Your colleague wrote:\n> Please call us.\n\nPlease whitelist us.\n"
    assert found(name_only) == [("PM104", 4, 8, "whitelist")]
    assert quoted_from(name_only, "a.txt") == [(1, 1)]


def test_forwarded_message_blocks_are_quoted() -> None:
    for separator in (
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "-------- Message transféré --------",
        "-----Ursprüngliche Nachricht-----",
    ):
        text = f"Please allowlist us.\n\n{separator}\nFrom: Support <s@example.net>\n\n{ANSWER}\n"
        assert found(text) == [("PM104", 1, 8, "allowlist")], separator


def test_quoted_answer_still_supplies_required_elements() -> None:
    text = (
        "We removed the purchased list on 2 May.\n\n"
        "差出人: Microsoft Support <support@example.net>\n"
        "送信日時: 2024年5月3日 10:15\n"
        "宛先: Dana <dana@example.com>\n"
        "件名: RE: Delisting\n\n"
        "550 5.7.1 Unfortunately, messages from [198.51.100.24] weren't sent. (S3150)\n"
        f"{ANSWER}\n"
    )
    config = LintConfig.create(select=["PM201", "PM206", "PM104"])
    assert lint_text(text, config) == []


def test_a_pasted_bounce_notice_with_header_fields_is_not_a_reply() -> None:
    text = (
        "Here is the bounce we got:\n\n"
        "From: Mail Delivery System <MAILER-DAEMON@mail.example.com>\n"
        "Date: Fri, 3 May 2024 10:15:00 +0200\n"
        "To: dana@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\n\n"
        "550 5.7.1 Unfortunately, messages from [198.51.100.24] weren't sent. (S3150)\n\n"
        "We removed the list on 2 May. Please whitelist our IP.\n"
    )
    assert found(text) == [("PM104", 10, 38, "whitelist")]
    config = LintConfig.create(select=["PM201", "PM206"])
    assert lint_text(text, config) == []


# --- Markdown, HTML, .eml --------------------------------------------------------------------


def test_markdown_reply_below_a_quote_is_linted() -> None:
    text = (
        "Le ven. 3 mai 2024 à 10:15, **Support** <support@example.net> a écrit :\n\n"
        f"> {ANSWER}\n\n"
        "Please *whitelist* us.\n"
    )
    assert found(text, "a.md") == [("PM104", 5, 9, "whitelist")]
    unprefixed = (
        "Please allowlist us.\n\nOp vr 3 mei 2024 om 10:15 schreef Support <s@example.net>:\n\n"
        f"{ANSWER}\n"
    )
    assert found(unprefixed, "a.md") == [("PM104", 1, 8, "allowlist")]


def test_html_outlook_reply_without_a_quote_container() -> None:
    text = (
        "<div>Please <b>allowlist</b> us.</div>\n"
        '<hr tabindex="-1"><div id="divRplyFwdMsg"><font><b>Von:</b> Support &lt;s@example.net&gt;'
        "<br>\n<b>Gesendet:</b> Freitag, 3. Mai 2024 10:15<br>\n<b>An:</b> Dana<br>\n"
        "<b>Betreff:</b> AW: Delisting</font></div>\n"
        f"<div><p>{ANSWER}</p></div>\n"
    )
    assert found(text, "a.html") == [("PM104", 1, 16, "allowlist")]
    assert quoted_from(text, "a.html") == [(2, 52)]


def test_html_reply_below_a_thunderbird_quote_is_linted() -> None:
    text = (
        '<div class="moz-cite-prefix">W dniu 3.05.2024 o 10:15, Support pisze:<br></div>\n'
        f'<blockquote type="cite"><p>{ANSWER}</p></blockquote>\n'
        "<p>Please call me tomorrow.</p>\n"
    )
    assert found(text, "a.html") == [("PM107", 3, 4, "Please call me tomorrow.")]


def test_eml_quoted_printable_reply_maps_to_the_encoded_header() -> None:
    body = (
        "Please allowlist our IP, caf=C3=A9 owner here.\r\n\r\n"
        "Fr=C3=A5n: Support <support@example.net>\r\n"
        "Skickat: den 3 maj 2024 10:15\r\n"
        "Till: Dana <dana@example.com>\r\n"
        "=C3=84mne: SV: Delisting\r\n\r\n"
        "Why do you think you were blocked? Please call us. We can white=\r\nlist you.\r\n"
    )
    text = (
        "From: Dana <dana@example.com>\r\nTo: support@example.net\r\nSubject: Re: Delisting\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    )
    assert found(text, "a.eml") == [("PM104", 8, 8, "allowlist")]
    assert quoted_from(text, "a.eml") == [(10, 1)]
