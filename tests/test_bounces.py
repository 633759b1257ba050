"""`bounces.recognise` and `postmaster-lint bounce`: real replies from the shared references,
each recognised with the right provider, code and owner; DSN messages, log lines, several
replies in one input, and inputs with none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmaster_lint.bounces import recognise

from .conftest import CORPUS_FOLDERS, REPO, draft_paths, write

BOUNCES = REPO / "tests" / "data" / "bounces"

# (text, provider id, a code the reply must yield, whose block it is). IPs and hosts are
# replaced by documentation values; the source of each shape is in the comment above it.
REAL = [
    pytest.param(
        # sevencreative.co.uk/how-to-remove-yourself-from-the-hotmail-block-list/ (domain.md §1.4 #1)
        "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your "
        "Internet service provider since part of their network is on our block list (S3150). "
        "You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. "
        "[BN1NAM02FT032.eop-nam02.prod.protection.outlook.com]",
        "outlook-com", "S3150", "outlook-com", id="outlook-S3150"),
    pytest.param(
        # support.binarylane.com.au/support/solutions/articles/11000047583 (domain.md #2)
        "550 SC-001 (BAY004-MC1F43) Unfortunately, messages from 192.0.2.10 weren't sent. Please "
        "contact your Internet service provider since part of their network is on our block list.",
        "outlook-com", "SC-001", "outlook-com", id="outlook-SC-001"),
    pytest.param(
        # sisimai rhost/for-microsoft.go (domain.md #3)
        "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP "
        "reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
        "outlook-com", "S775", "outlook-com", id="outlook-S775"),
    pytest.param(
        # learn.microsoft.com delist portal page; sisimai set-of-emails (domain.md #5)
        "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this "
        "list please visit https://sender.office.com/ and follow the directions. (AS16012609) "
        "[DM6NAM10FT012.eop-nam10.prod.protection.outlook.com]",
        "microsoft-365", "5.7.606", "microsoft-365", id="m365-5.7.606"),
    pytest.param(
        # learn.microsoft.com non-delivery-reports-in-exchange-online (5.7.513 row)
        "550 5.7.513 Service unavailable, Client host [192.0.2.10] blocked by example.com using "
        "Customer Block list (AS16012607)",
        "exchange-tenant", "5.7.513", "exchange-tenant", id="m365-5.7.513-recipient-org"),
    pytest.param(
        # pastebin.com/6G7q8H39 (domain.md #9)
        "421-4.7.0 [192.0.2.10 15] Our system has detected an unusual rate of unsolicited mail "
        "originating from your IP address. To protect our users from spam, mail sent from your IP "
        "address has been temporarily rate limited. Please visit "
        "https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email "
        "Senders Guidelines. d2-20020a05 - gsmtp",
        "gmail", "4.7.0", "gmail", id="gmail-4.7.0"),
    pytest.param(
        # support.google.com/a/answer/3726730; sisimai rhost/for-google.go (domain.md #14)
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
        "requires all senders to authenticate with either SPF or DKIM.",
        "gmail", "5.7.26", "gmail", id="gmail-5.7.26"),
    pytest.param(
        # sisimai set-of-emails; rhost/for-yahooinc.go (domain.md #19)
        "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume "
        "or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "yahoo", "TSS04", "yahoo", id="yahoo-TSS04"),
    pytest.param(
        # sisimai rhost/for-yahooinc.go (domain.md #23)
        "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.10, because the ip is in "
        "Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html",
        "yahoo", "BL21", "spamhaus", id="yahoo-BL21-spamhaus"),
    pytest.param(
        # sisimai rhost/for-apple.go (domain.md #28)
        "554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication "
        "checks.",
        "apple-icloud", "HME1", "apple-icloud", id="icloud-HME1"),
    pytest.param(
        # sisimai rhost/for-apple.go: an iCloud reply that is a Proofpoint block (domain.md #27)
        "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.10",
        "proofpoint", "5.7.0", "proofpoint", id="icloud-proofpoint"),
    pytest.param(
        # postmaster.comcast.net/mail-error-codes.html: a block code and its FAQ link in the reply
        "554 resimta-ch2-18v.sys.comcast.net resimta-ch2-18v.sys.comcast.net 192.0.2.10 found on "
        "one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001",
        "comcast", "BL000001", "spamhaus", id="comcast-BL000001-spamhaus"),
    pytest.param(
        # postmaster.gmx.com/en/error-messages (domain.md #32)
        "554-gmx.net (mxgmx104) Nemesis ESMTP Service not available\n554-No SMTP service\n"
        "554-IP address is block listed.\n554 For explanation visit "
        "https://postmaster.gmx.net/en/case?c=r0201&i=ip&v=192.0.2.10&r=1ABCDE",
        "gmx", "r0201", "gmx", id="gmx-r0201"),
    pytest.param(
        # sisimai set-of-emails (domain.md #33)
        "550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for "
        "spamming issues. OFR006_102 Ref http://csi.cloudmark.com/reset-request/?ip=192.0.2.10 [102]",
        "orange", "OFR006_102", "cloudmark", id="orange-OFR006-cloudmark"),
    pytest.param(
        # Postfix src/global/mail_params.h default_rbl_reply (domain.md #35)
        "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; "
        "https://www.spamhaus.org/query/ip/192.0.2.10",
        "spamhaus", "zen.spamhaus.org", "spamhaus", id="spamhaus-zen"),
    pytest.param(
        # luxsci.com/blog/?p=16857 (domain.md #37)
        "554 Service unavailable; Client host [mail.example.com] blocked using Barracuda "
        "Reputation; http://bbl.barracudacentral.com/q.cgi?ip=192.0.2.10",
        "barracuda", "554", "barracuda", id="barracuda"),
    pytest.param(
        # isuma.de/aktuelles/e-mails-werden-nicht-zugestellt-96/ (domain.md #38)
        "5.7.1 Service unavailable; Client host 192.0.2.10 blocked using bl.spamcop.net; Blocked - "
        "see http://www.spamcop.net/bl.shtml?192.0.2.10",
        "spamcop", "bl.spamcop.net", "spamcop", id="spamcop"),
    pytest.param(
        # sisimai set-of-emails (domain.md #39)
        "521-5.7.1 Service unavailable; client [192.0.2.10] blocked using dnsbl.sorbs.net",
        "sorbs", "dnsbl.sorbs.net", "sorbs", id="sorbs"),
    pytest.param(
        # AT&T reply from a public transcript, 2025 (domain.md #31)
        "553 5.3.0 alph731 DNSBL:RBL 521< 192.0.2.10 >_is_blocked.For assistance forward this "
        "error to abuse_rbl@abuse-att.net",
        "att", "DNSBL:RBL", "att", id="att"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "provider", "code", "owner"), REAL)
def test_real_reply_is_recognised(text: str, provider: str, code: str, owner: str) -> None:
    [reply] = recognise(text)
    assert reply.provider is not None and reply.provider.id == provider
    assert code in [c.value for c in reply.codes]
    assert reply.owner is not None and reply.owner.id == owner
    assert text[reply.start : reply.end] == reply.text
    for found in reply.codes:  # every code's span is the code itself
        assert text[found.start : found.end] == found.value


def test_known_codes_carry_their_meaning() -> None:
    [reply] = recognise(REAL[11].values[0])  # Comcast BL000001
    assert reply.known is not None and reply.known.code == "BL000001"
    assert "Spamhaus" in reply.meaning()
    [tenant] = recognise(REAL[4].values[0])
    assert tenant.party == "recipient-organisation"


def test_unknown_provider_still_gives_codes_and_a_generic_meaning() -> None:
    [reply] = recognise("554 5.7.1 Message rejected by local policy.")
    assert reply.provider is None and reply.owner is None
    assert (reply.reply_code and reply.reply_code.value) == "554"
    assert reply.meaning() == (
        "A permanent failure: delivery not authorised, message refused (5.7.1, RFC 3463)."
    )


def test_prose_without_a_reply_gives_nothing() -> None:
    assert recognise("We sent 550 newsletters on 3 May from 192.0.2.10.") == []


def run_json(run_cli, *args: str) -> list[dict]:
    result = run_cli("bounce", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_dsn_message(run_cli) -> None:
    [entry] = run_json(run_cli, str(BOUNCES / "outlook-dsn.eml"))
    assert entry["provider"] == {
        "id": "outlook-com",
        "name": "Outlook.com (Hotmail, Live, MSN)",
        "kind": "mailbox-provider",
    }
    assert entry["codes"] == {"reply": "550", "enhanced": "5.7.1", "provider": ["S3150"]}
    assert entry["ips"] == ["192.0.2.10"]
    assert entry["recipient"] == "jane@hotmail.com"
    assert entry["remote_mta"] == "hotmail-com.olc.protection.outlook.com"
    assert entry["date"] == "Tue, 14 May 2024 09:12:41 +0200 (CEST)"
    assert entry["contact"]["address"] == "https://go.microsoft.com/fwlink/?LinkID=614866"
    assert entry["who_writes"]["party"] == "sender"
    assert [f["id"] for f in entry["must_include"]][:2] == ["contact", "recipient-domain"]
    assert entry["avoid"] and entry["sources"]
    assert entry["line"] == 36  # the Diagnostic-Code field


def test_two_replies_one_entry_each(run_cli, tmp_path: Path) -> None:
    text = f"{REAL[7].values[0]}\n\n{REAL[13].values[0]}\n"
    entries = run_json(run_cli, str(write(tmp_path, "two.txt", text)))
    assert [(e["provider"]["id"], e["belongs_to"] and e["belongs_to"]["id"]) for e in entries] == [
        ("yahoo", None),
        ("orange", "cloudmark"),
    ]
    assert entries[1]["contact"]["address"] == "http://csi.cloudmark.com/reset-request/"
    assert [e["line"] for e in entries] == [1, 3]


def test_postfix_and_exim_log_lines(run_cli, tmp_path: Path) -> None:
    log = (
        "Jun  3 10:15:01 mx postfix/smtp[2211]: 4F1A2: to=<bob@comcast.net>, "
        "relay=mx1.comcast.net[203.0.113.5]:25, delay=1.2, dsn=5.0.0, status=bounced (host "
        "mx1.comcast.net[203.0.113.5] said: 554 resimta-ch2-18v.sys.comcast.net 192.0.2.10 found "
        "on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001 "
        "(in reply to MAIL FROM command))\n"
        "2017-04-22 21:09:18 1d1xAb-0003Kx-9Q ** ann@yahoo.com R=dnslookup T=remote_smtp "
        "H=mta7.am0.yahoodns.net [198.51.100.7]: SMTP error from remote mail server after MAIL "
        "FROM:<news@example.org>: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily "
        "deferred due to unexpected volume or user complaints - 4.16.55.1; see "
        "https://postmaster.yahooinc.com/error-codes\n"
    )
    first, second = run_json(run_cli, str(write(tmp_path, "mail.log", log)))
    assert first["provider"]["id"] == "comcast" and first["belongs_to"]["id"] == "spamhaus"
    assert first["recipient"] == "bob@comcast.net"
    assert first["remote_mta"] == "mx1.comcast.net [203.0.113.5]"
    assert first["date"] == "Jun  3 10:15:01"
    assert first["text"].endswith("#BL000001")  # "(in reply to ...)" is the MTA's, not the reply
    assert first["ips"] == ["192.0.2.10"]
    assert second["provider"]["id"] == "yahoo" and second["codes"]["provider"] == ["TSS04"]
    assert second["remote_mta"] == "mta7.am0.yahoodns.net [198.51.100.7]"
    assert second["ips"] == ["192.0.2.10"]  # not Yahoo's "- 4.16.55.1" trailer


def test_text_output_names_provider_and_channel(run_cli, tmp_path: Path) -> None:
    result = run_cli("bounce", str(write(tmp_path, "b.txt", REAL[11].values[0])))
    assert result.code == 0
    assert "  provider:    Comcast (Xfinity) (comcast, mailbox-provider)" in result.out
    assert "  belongs to:  Spamhaus (spamhaus, blocklist)" in result.out
    assert "  write to:    portal https://check.spamhaus.org/." in result.out


def test_stdin(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = REAL[9].values[0].encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [entry] = run_json(run_cli, "-")
    assert entry["provider"]["id"] == "apple-icloud"


def test_no_reply_is_one_line_and_exit_2(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "note.txt", "Our newsletter bounced at Outlook, no idea why.\n")
    result = run_cli("bounce", str(path))
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines() == [
        f"postmaster-lint: error: {path}: no SMTP reply found (paste the rejection line, a log "
        "line or the NDR)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read: No such file or directory"),
        (b"\x00\x01binary", "binary file (contains NUL bytes), not a text draft"),
        (b"5" * 300, "over the 200-byte limit"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    run_cli, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("bounce", "--max-file-size", "200", str(path))
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith(f"postmaster-lint: error: {path}") and message in line


def test_the_code_pre_filter_finds_every_reply_trying_each_line_would() -> None:
    """Lines are only tried where a code pattern matches in the whole text; that finds the
    same replies as trying every line, whatever the line breaks (the project's drafts and
    this file's replies, each also with CRLF, CR and Unicode line separators)."""
    from postmaster_lint.bounces import _reply_spans
    from postmaster_lint.providers import load_providers

    codes = [r.pattern for p in load_providers() for r in p.recognisers if r.by == "codes"]
    texts = [param.values[0] for param in REAL]
    texts.append("\n\n".join(texts))
    texts.extend(p.read_text(encoding="utf-8") for p in draft_paths(*CORPUS_FOLDERS))
    with_replies = 0
    for text in texts:
        for breaks in ("\n", "\r\n", "\r", "\u2028"):
            variant = text.replace("\n", breaks)
            found = list(_reply_spans(variant, codes))
            assert found == list(_reply_spans(variant, codes, prefilter=False)), variant[:80]
            with_replies += bool(found)
    assert with_replies > 400


def test_the_literal_screen_changes_no_identification(monkeypatch: pytest.MonkeyPatch) -> None:
    """A recogniser runs on a reply only when the reply holds the literal every match of it
    contains; that names the same providers, codes and evidence as running them all."""
    from postmaster_lint import literals
    from postmaster_lint.providers import load_providers

    recognisers = [r.pattern for p in load_providers() for r in p.recognisers]
    assert sum(1 for r in recognisers if literals.required_literal(r)[0]) > len(recognisers) * 3 / 4
    texts = [
        "550 5.7.1 rejected by MX.GOOGLE.COM for policy",  # a case-blind host, in capitals
        "554 5.7.1 blocked using dnsbl.\u017forbs.net",  # a long s, which re folds to "s"
        *(param.values[0] for param in REAL),
    ]
    texts.extend(p.read_text(encoding="utf-8") for p in draft_paths(*CORPUS_FOLDERS))
    screened = [recognise(text) for text in texts]
    assert [r.provider.id for r in screened[0] if r.provider] == ["gmail"]
    assert [r.provider.id for r in screened[1] if r.provider] == ["sorbs"]
    assert sum(1 for replies in screened if any(r.provider for r in replies)) > 100
    monkeypatch.setattr(literals, "required_literal", lambda pattern: ("", False))
    assert [recognise(text) for text in texts] == screened
