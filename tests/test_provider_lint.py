"""Provider-aware lint: where the draft's provider comes from (--provider, `provider:`, its To:
header or greeting), the PM4xx rules' exact findings, and that the provider is part of what the
result cache keys on."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmaster_lint import LintConfig, lint_text
from postmaster_lint.commands import lint as lint_command
from postmaster_lint.detect import PROVIDER_CHECKS, parse_detect
from postmaster_lint.draft_provider import draft_providers
from postmaster_lint.errors import OptionError, RuleError
from postmaster_lint.located import LocatedDict
from postmaster_lint.providers import load_providers
from postmaster_lint.readers import read_document

from .conftest import write

PM4 = LintConfig.create(select=["PM401", "PM402", "PM403", "PM404", "PM405"])
COMCAST_BOUNCE = (
    "554 resimta-ch2-18v.sys.comcast.net 192.0.2.10 found on one or more DNSBLs, "
    "see http://postmaster.comcast.net/smtp-error-codes.php#BL000001\n"
)


def findings(text: str, config: LintConfig = PM4) -> list[tuple[str, int, int, str]]:
    return [(d.rule, d.line, d.column, d.text) for d in lint_text(text, config)]


def addressee(text: str, given: str | None = None) -> tuple[tuple[str, ...], str] | None:
    found = draft_providers(read_document(text, "d.txt"), load_providers(), given).addressee
    return None if found is None else (tuple(p.id for p in found.providers), found.by)


# --- who the draft is for -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dear Spamhaus team,\n\nWe are listed.\n", (("spamhaus",), "greeting")),
        ("Hello Outlook.com postmaster team,\n\nHi.\n", (("outlook-com",), "greeting")),
        ("Hi iCloud Mail team,\n\nHi.\n", (("apple-icloud",), "greeting")),
        ("Dear Microsoft,\n\nHi.\n", (("microsoft-365", "outlook-com"), "greeting")),
        ("To: postmaster@comcast.net\nSubject: x\n\nHello,\n", (("comcast",), "to")),
        ("To: icloudadmin@apple.com\n\nHello,\n", (("apple-icloud",), "to")),
        ("Dear Sir or Madam,\n\nGmail blocks us.\n", None),
        ("We are blocked.\n\nDear Spamhaus, ...\n", None),  # not a greeting on the first line
    ],
)
def test_the_addressee_is_read_from_the_greeting_or_to_header(
    text: str, expected: tuple[tuple[str, ...], str] | None
) -> None:
    assert addressee(text) == expected


def test_a_given_provider_beats_the_greeting() -> None:
    assert addressee("Dear Comcast team,\n", "spamhaus") == (("spamhaus",), "given")


def test_a_shared_name_is_narrowed_by_the_pasted_bounce() -> None:
    text = "Dear Microsoft,\n\n550 5.7.606 Access denied, banned sending IP [192.0.2.61]. (AS16012609)\n"
    drafted = draft_providers(read_document(text, "d.txt"), load_providers(), None)
    provider = drafted.provider()
    assert provider is not None and provider.id == "microsoft-365"


# --- the rules ------------------------------------------------------------------------------


def test_wrong_recipient_points_at_the_code_and_names_where_to_write() -> None:
    [d] = lint_text("Dear Comcast team,\n\n" + COMCAST_BOUNCE, PM4)
    assert (d.rule, d.line, d.column, d.text) == ("PM401", 3, 132, "BL000001")
    assert d.message == (
        "BL000001 in the pasted bounce shows the block belongs to Spamhaus, not to Comcast: "
        "the sender should write to Spamhaus (portal https://check.spamhaus.org/)."
    )


def test_wrong_recipient_for_a_recipient_organisations_block() -> None:
    text = (
        "Dear Microsoft support,\n\n550 5.7.513 Service unavailable, Client host "
        "[198.51.100.7] blocked by the recipient's Customer Block list.\n"
    )
    [d] = lint_text(text, PM4)
    assert (d.rule, d.text) == ("PM401", "5.7.513")
    assert d.message == (
        "5.7.513 in the pasted bounce shows the block belongs to the recipient organisation's "
        "Exchange Online block list, not to Microsoft: ask the person you wrote to to have "
        "their mail administrators remove it."
    )


def test_wrong_recipient_needs_an_addressee_and_spares_the_owner() -> None:
    assert findings(COMCAST_BOUNCE) == []
    assert findings("Dear Spamhaus team,\n\n" + COMCAST_BOUNCE) == []
    assert findings("Hi,\n\n" + COMCAST_BOUNCE, LintConfig.create(select=["PM401"])) == []


def test_wrong_recipient_not_once_the_owner_has_delisted() -> None:
    text = (
        "Dear Comcast team,\n\n" + COMCAST_BOUNCE + "\nSpamhaus delisted the IP on 4 April; "
        "your servers still refuse it.\n"
    )
    assert findings(text, LintConfig.create(select=["PM401"])) == []


def test_wrong_recipient_with_a_given_provider() -> None:
    config = LintConfig.create(select=["PM401"], provider="comcast")
    assert findings("Hello,\n\n" + COMCAST_BOUNCE, config) == [("PM401", 3, 132, "BL000001")]


def test_missing_fields_one_finding_each_naming_it() -> None:
    text = (
        "To: postmaster@proofpoint.com\n\nHello Proofpoint,\n\nOur IP 192.0.2.40 is blocked: "
        "https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.40\n"
    )
    found = lint_text(text, LintConfig.create(select=["PM402"]))
    assert [(d.line, d.column, d.text) for d in found] == [
        (1, 1, "To: postmaster@proofpoint.com")
    ] * 2
    assert sorted(d.message for d in found) == [
        "Proofpoint Dynamic Reputation (PDR) asks for a field the draft does not give: The "
        "recipient of the blocked mail (the address (or domain) your blocked mail was sent to).",
        "Proofpoint Dynamic Reputation (PDR) asks for a field the draft does not give: The type "
        "of mail (personal, newsletter, company communications) (personal mail, newsletters, "
        "company communications, ...).",
    ]


def test_missing_fields_only_for_a_request_bound_for_the_channel() -> None:
    body = "Our IP 192.0.2.40 is blocked: https://support.proofpoint.com/dnsbl-lookup.cgi\n"
    pm402 = LintConfig.create(select=["PM402"])
    assert findings("Hello Proofpoint,\n\n" + body, pm402) == []  # a greeting alone
    assert findings("Hello,\n\n" + body, pm402) == []  # a pasted bounce alone
    given = LintConfig.create(select=["PM402"], provider="proofpoint")
    assert [rule for rule, *_ in findings("Hello,\n\n" + body, given)] == ["PM402", "PM402"]


def test_a_field_restating_a_missing_element_is_left_to_its_rule() -> None:
    config = LintConfig.create(select=["PM402", "PM206"], provider="comcast")
    # No IP at all: PM206 reports it, not Comcast's "sending-ip" field as well.
    rules = [d.rule for d in lint_text("Hello,\n\nWe get BL000000 from Comcast.\n", config)]
    assert rules == ["PM206"]


def test_vague_list_points_at_the_name_not_the_greeting() -> None:
    text = (
        "Dear Spamhaus team,\n\nOur IP 192.0.2.8 is listed on Spamhaus.\n\n"
        "554 5.7.1 Client host [192.0.2.8] blocked using sbl.spamhaus.org\n"
    )
    [d] = lint_text(text, PM4)
    assert (d.rule, d.line, d.column, d.text) == ("PM403", 3, 31, "Spamhaus")
    assert d.message == (
        "'Spamhaus' alone does not say which list: the bounce shows SBL (sbl.spamhaus.org). "
        "Name it ('Spamhaus SBL')."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "We are not listed on Spamhaus any more.",  # negated
        "If Spamhaus lists us again, we will stop.",  # hypothetical
        "> Our IP is listed on Spamhaus.",  # quoted
        "Our IP is listed on the Spamhaus SBL.",  # names the list
    ],
)
def test_vague_list_guards(sentence: str) -> None:
    bounce = "554 5.7.1 Client host [192.0.2.8] blocked using sbl.spamhaus.org\n"
    assert findings(sentence + "\n\n" + bounce) == []


def test_obsolete_list_in_own_words_only() -> None:
    [d] = lint_text("Please also check SORBS for our IP.\n", PM4)
    assert (d.rule, d.column, d.text) == ("PM404", 19, "SORBS")
    assert d.message.startswith("SORBS no longer operates (closed 2024-06-05):")
    bounce = "550 5.7.1 Client host [192.0.2.12] blocked using dnsbl.sorbs.net\n"
    assert findings(bounce) == []
    assert findings("We are not listed on SORBS.\n") == []
    assert findings("SORBS, which shut down in 2024, still appears in one reply.\n") == []


def test_self_expiring_listing_from_the_bounce_or_the_addressee() -> None:
    bounce = "554 5.7.1 Client host [192.0.2.30] blocked using bl.spamcop.net\n"
    [d] = lint_text(bounce, PM4)
    assert (d.rule, d.severity.label, d.text) == ("PM405", "info", "bl.spamcop.net")
    assert findings("Hello SpamCop team,\n\nPlease delist 192.0.2.30.\n") == [
        ("PM405", 1, 7, "SpamCop")
    ]
    # a lookup cited as reputation data is not a request about a SpamCop listing
    assert findings("SpamCop shows the IP is no longer listed.\n") == []


def test_a_bounce_in_the_quoted_thread_is_not_the_drafts() -> None:
    text = (
        "Hello Comcast,\n\nThanks, we have fixed it.\n\nOn Mon, 3 May 2024 at 10:15, "
        "Support <support@example.org> wrote:\n> " + COMCAST_BOUNCE
    )
    assert findings(text, LintConfig.create(select=["PM401"])) == []


# --- the rule schema ------------------------------------------------------------------------


def _detect(**values: object) -> LocatedDict:
    node = LocatedDict(values)
    node.line = 7
    node.key_lines = {key: 7 + index for index, key in enumerate(values)}
    return node


def test_an_unknown_check_is_an_error_at_its_line_with_a_did_you_mean() -> None:
    with pytest.raises(RuleError) as info:
        parse_detect(_detect(kind="provider", check="wrong-recipent"), "r.yaml", 6, {})
    assert info.value.line == 8
    assert "must be one of " + ", ".join(PROVIDER_CHECKS) in info.value.message
    assert "did you mean 'wrong-recipient'" in info.value.message


def test_guards_only_for_the_checks_that_read_prose() -> None:
    with pytest.raises(RuleError) as info:
        parse_detect(
            _detect(kind="provider", check="missing-field", guards=["negation"]), "r.yaml", 6, {}
        )
    assert info.value.line == 9
    spec = parse_detect(_detect(kind="provider", check="vague-list"), "r.yaml", 6, {})
    assert spec.guards == frozenset({"quoted", "negation", "hypothetical"})


# --- setting the provider -------------------------------------------------------------------


def test_unknown_provider_on_the_command_line(run_cli, tmp_path: Path) -> None:
    draft = write(tmp_path, "d.txt", "Hello.\n")
    result = run_cli("lint", "--provider", "comcats", str(draft))
    assert result.code == 2
    assert result.err == (
        "postmaster-lint: error: unknown provider 'comcats' (did you mean 'comcast'?)\n"
    )
    assert result.out == ""


def test_unknown_provider_in_the_api() -> None:
    with pytest.raises(OptionError, match="unknown provider 'yahooo'"):
        lint_text("Hello.", LintConfig.create(provider="yahooo"))


def test_provider_per_glob_in_the_configuration(run_cli, tmp_path: Path) -> None:
    write(tmp_path, ".postmaster-lint.yaml", 'provider:\n  "spamhaus/*": spamhaus\n')
    (tmp_path / "spamhaus").mkdir()
    (tmp_path / "comcast").mkdir()
    text = "Hello,\n\n" + COMCAST_BOUNCE
    to_spamhaus = write(tmp_path / "spamhaus", "d.txt", text)
    to_comcast = write(tmp_path / "comcast", "d.txt", text)
    args = ("lint", "--format", "concise", "--select", "PM401")
    assert run_cli(*args, str(to_spamhaus)).code == 0
    assert run_cli(*args, str(to_comcast)).code == 0  # no provider: nobody addressed
    result = run_cli(*args, "--provider", "comcast", str(to_spamhaus))  # the CLI wins
    assert "PM401" in result.out


def test_a_bad_provider_in_the_configuration_names_file_and_line(run_cli, tmp_path: Path) -> None:
    config = write(tmp_path, ".postmaster-lint.yaml", "fail-on: info\nprovider: spamhuas\n")
    draft = write(tmp_path, "d.txt", "Hello.\n")
    result = run_cli("lint", str(draft))
    assert result.code == 2
    assert (
        f"postmaster-lint: {config}:2: provider: unknown provider 'spamhuas' "
        "(did you mean 'spamhaus'?)"
    ) in result.err


def test_a_changed_provider_setting_never_serves_stale_findings(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    misses: list[int] = []
    real = lint_command._lint_all

    def spy(pending, jobs, budget=None):  # type: ignore[no-untyped-def]
        misses.append(len(pending))
        return real(pending, jobs, budget)

    monkeypatch.setattr(lint_command, "_lint_all", spy)
    draft = write(tmp_path, "d.txt", "Hello,\n\n" + COMCAST_BOUNCE)
    args = ("lint", "--format", "concise", "--select", "PM401", str(draft))
    write(tmp_path, ".postmaster-lint.yaml", "provider: comcast\n")
    assert "PM401" in run_cli(*args).out
    assert "PM401" in run_cli(*args).out
    write(tmp_path, ".postmaster-lint.yaml", "provider: spamhaus\n")
    assert "PM401" not in run_cli(*args).out
    assert misses == [1, 0, 1]


def test_the_config_command_shows_the_provider(run_cli, tmp_path: Path) -> None:
    config = write(tmp_path, ".postmaster-lint.yaml", 'provider:\n  "*.txt": yahoo\n')
    result = run_cli("config", str(tmp_path / "d.txt"))
    line = next(line for line in result.out.splitlines() if line.startswith("provider:"))
    assert line.split("#")[0].strip() == "provider: yahoo"
    assert line.endswith(f"# {config}:1")
