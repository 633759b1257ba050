"""`postmaster-lint new --bounce`: a scaffold for each real bounce commits no pitfall, carries
every required element (or a marker that stands for it), reports its markers as PM303, and
passes clean once the markers are filled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmaster_lint.scaffold import MARKER_PATTERN

from .conftest import write
from .test_bounces import BOUNCES, REAL

# Realistic text for every marker a scaffold can hold, by the marker's name.
FILLS = {
    "date": "3 May 2024",
    "sending IP": "192.0.2.10",
    "sending domain": "news.harborlight-books.com",
    "steps taken": (
        "a signup form without CAPTCHA was abused by a bot on 1 May. We removed the 3,412 "
        "addresses it added on 2 May and added confirmed opt-in to every form on 3 May."
    ),
    "results": "the complaint rate fell from 0.6% to 0.04% between 3 and 10 May.",
    "reputation data": "the SNDS filter result for the IP went from red to green on 8 May.",
    "prevention": "every new address must confirm before it receives mail, and we review SNDS daily.",
    "your name and organisation": "Marta Olsen, Harborlight Books",
    "name of the person you write to": "Ms Jensen",
    "Contact name and email address": "Marta Olsen, postmaster@harborlight-books.com",
    "Recipient domain": "hotmail.com",
    "What kind of sender you are": "a bookshop with a weekly newsletter",
    "Dedicated or shared IP": "dedicated",
    "The email address that received the NDR": "news@harborlight-books.com",
    "Whether a compromise caused it, and that it is resolved": "no account or server was compromised.",
    "The DNS records you corrected (SPF, DKIM, DMARC, PTR)": "SPF, DKIM and DMARC now pass, aligned with the From domain.",
    "Your subscription and unsubscribe practices": "confirmed opt-in, and one-click unsubscribe.",
    "Company name": "Harborlight Books Ltd",
    "When it started": "3 May 2024, 09:12 CEST",
    "The recipient of the blocked mail": "customers at icloud.com",
    "The type of mail (personal, newsletter, company communications)": "a weekly newsletter",
    "An email address": "postmaster@harborlight-books.com",
    "A phone number": "+44 20 7946 0000",
}  # fmt: skip

# Every real bounce whose owner takes requests (SpamCop and SORBS do not: see below).
WRITABLE = [p for p in REAL if p.values[3] not in ("spamcop", "sorbs")]


def fill(draft: str) -> str:
    return MARKER_PATTERN.sub(lambda m: FILLS[m.group(1)], draft)


def lint_codes(run_cli, path: Path) -> tuple[int, list[str]]:
    result = run_cli("lint", "--no-cache", "--format", "json", str(path))
    data = json.loads(result.out)
    return result.code, [d["rule"] for d in data["diagnostics"]]


def scaffold(run_cli, tmp_path: Path, bounce: Path, name: str = "draft.txt", *args: str) -> Path:
    out = tmp_path / name
    result = run_cli("new", "--bounce", str(bounce), "-o", str(out), *args)
    assert result.code == 0, result.err
    return out


@pytest.mark.parametrize(("text", "provider", "code", "owner"), WRITABLE)
def test_round_trip(
    run_cli, tmp_path: Path, text: str, provider: str, code: str, owner: str
) -> None:
    draft = scaffold(run_cli, tmp_path, write(tmp_path, "bounce.txt", text + "\n"))
    content = draft.read_text(encoding="utf-8")
    assert "> " + text.splitlines()[0] in content  # the bounce, quoted
    assert ("192.0.2.10" in text) == ("Sending IP: 192.0.2.10" in content)
    code, rules = lint_codes(run_cli, draft)
    assert code == 1
    assert not [r for r in rules if r.startswith(("PM1", "PM2"))], rules
    assert rules.count("PM303") == len(MARKER_PATTERN.findall(content))
    filled = write(tmp_path, "filled.txt", fill(content))
    assert lint_codes(run_cli, filled) == (0, [])


def test_round_trip_from_a_dsn(run_cli, tmp_path: Path) -> None:
    draft = scaffold(run_cli, tmp_path, BOUNCES / "outlook-dsn.eml")
    content = draft.read_text(encoding="utf-8")
    assert content.startswith("Subject: Mail from 192.0.2.10 rejected with 550 5.7.1 S3150\n")
    assert "Since 14 May 2024, our mail from 192.0.2.10 is rejected with:" in content
    assert "Hello Outlook.com (Hotmail, Live, MSN) team," in content
    assert "Recipient domain: [[FILL IN: Recipient domain — " in content
    filled = write(tmp_path, "filled.txt", fill(content))
    assert lint_codes(run_cli, filled) == (0, [])


@pytest.mark.parametrize(("fmt", "name"), [("md", "draft.md"), ("j2", "draft.j2")])
def test_markdown_and_jinja(run_cli, tmp_path: Path, fmt: str, name: str) -> None:
    bounce = write(tmp_path, "b.txt", REAL[11].values[0])  # Comcast BL000001 -> Spamhaus
    draft = scaffold(run_cli, tmp_path, bounce, name, "--format", fmt)
    content = draft.read_text(encoding="utf-8")
    assert "send to Spamhaus (portal https://check.spamhaus.org/)" in content  # as a comment
    _, rules = lint_codes(run_cli, draft)
    assert set(rules) == {"PM303"}
    filled = write(tmp_path, "filled." + name.split(".")[1], fill(content))
    assert lint_codes(run_cli, filled) == (0, [])


def test_stdout_and_the_channel_on_stderr(run_cli, tmp_path: Path) -> None:
    result = run_cli("new", "--bounce", str(write(tmp_path, "b.txt", REAL[9].values[0])))
    assert result.code == 0
    assert result.out.startswith("Subject: Mail rejected with 554 5.7.1 HME1\n")
    assert "Hello Apple iCloud Mail team," in result.out
    assert result.err == (
        "postmaster-lint: send to Apple iCloud Mail (email icloudadmin@apple.com); "
        "who writes: sender.\n"
    )


def test_never_overwrites_without_force(run_cli, tmp_path: Path) -> None:
    bounce = write(tmp_path, "b.txt", REAL[0].values[0])
    existing = write(tmp_path, "draft.txt", "mine\n")
    result = run_cli("new", "--bounce", str(bounce), "-o", str(existing))
    assert result.code == 2
    assert result.err == (
        f"postmaster-lint: error: {existing}: already exists (use --force to overwrite)\n"
    )
    assert existing.read_text(encoding="utf-8") == "mine\n"
    assert run_cli("new", "--bounce", str(bounce), "-o", str(existing), "--force").code == 0
    assert existing.read_text(encoding="utf-8").startswith("Subject: ")


def test_no_letter_to_a_list_that_asks_not_to_be_written_to(run_cli, tmp_path: Path) -> None:
    spamcop = next(p for p in REAL if p.values[3] == "spamcop").values[0]
    result = run_cli("new", "--bounce", str(write(tmp_path, "b.txt", spamcop)))
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(
        "postmaster-lint: error: SpamCop Blocking List (SCBL): do not write. SpamCop asks"
    )
    assert len(result.err.splitlines()) == 1


def test_bounce_without_a_reply(run_cli, tmp_path: Path) -> None:
    result = run_cli("new", "--bounce", str(write(tmp_path, "b.txt", "nothing here\n")))
    assert result.code == 2 and len(result.err.splitlines()) == 1
