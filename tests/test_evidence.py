"""Evidence for required elements: where each found element is, the same in every output (text,
JSON, SARIF, the cache), and placeholders that supply an element."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from postmaster_lint import LintConfig, check_text, lint_text
from postmaster_lint.evidence import ChecklistItem, Evidence, readable
from postmaster_lint.placeholders import element_for
from postmaster_lint.rules import load_rules

from .conftest import REPO, write

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
DRAFT = (
    "Subject: Delisting request for {{ sending_ip }}\n"
    "\n"
    "Hello,\n"
    "\n"
    "> 550 5.7.1 Service unavailable (S3150)\n"
    "\n"
    "On 3 May we removed 4,000 inactive addresses.\n"
)
REQUIRED = ["PM201", "PM202", "PM203", "PM206"]


def checklist(text: str, path: str = "a.txt", select: list[str] | None = None) -> dict[str, dict]:
    _, items = check_text(text, LintConfig.create(select=select or REQUIRED), path)
    return {item.rule: item.to_dict() for item in items}


def test_each_found_element_says_where_and_what() -> None:
    found = checklist(DRAFT)
    assert found["PM201"]["evidence"] == {
        "line": 5,
        "column": 3,
        "end_line": 5,
        "end_column": 12,
        "text": "550 5.7.1",
        "start": 59,
        "end": 68,
        "quoted": True,  # a pasted bounce in a reply quote still supplies the code
        "placeholder": None,
    }
    assert DRAFT[59:68] == "550 5.7.1"
    assert found["PM202"]["status"] == "found"
    assert found["PM202"]["evidence"]["text"] == "we removed"
    assert (found["PM202"]["evidence"]["line"], found["PM202"]["evidence"]["column"]) == (7, 10)
    assert found["PM203"] == {
        "element": "results",
        "rule": "PM203",
        "found": False,
        "status": "missing",
        "evidence": None,
    }


def test_a_placeholder_says_it_is_one() -> None:
    evidence = checklist(DRAFT)["PM206"]["evidence"]
    assert evidence["placeholder"] == "sending_ip"
    assert evidence["text"] == "{{ sending_ip }}"
    assert (evidence["line"], evidence["column"], evidence["end_column"]) == (1, 32, 48)


def test_evidence_text_is_one_readable_line() -> None:
    assert readable("550\n  5.7.1\tblocked") == "550 5.7.1 blocked"
    assert readable("a\x1bb") == "a\ufffdb"  # no terminal escapes reach the output
    long = "x" * 100
    assert readable(long) == "x" * 59 + "…" and len(readable(long)) == 60
    host = "mail." + "very-long-subdomain." * 3 + "example-company.com"
    evidence = checklist(f"Mail comes from {host}.\n", select=["PM206"])["PM206"]["evidence"]
    assert len(evidence["text"]) == 60 and host.startswith(evidence["text"][:-1])
    assert evidence["end_column"] - evidence["column"] == len(host)  # the span is exact


def test_evidence_in_an_encoded_eml_shows_the_decoded_text_at_the_encoded_position() -> None:
    source = (
        "Subject: Unblock request\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Our mail server is caf=C3=A9-shop.com.\r\n"
    )
    evidence = checklist(source, "a.eml", ["PM206"])["PM206"]["evidence"]
    assert evidence["text"] == "café-shop.com"
    assert source[evidence["start"] : evidence["end"]] == "caf=C3=A9-shop.com"


def test_a_suppressed_missing_element_is_ignored_not_found() -> None:
    text = "<!-- postmaster-lint: disable PM203 -->\nHello, our IP is 192.0.2.1.\n"
    found, items = check_text(text, LintConfig.create(select=["PM203", "PM206"]), "a.md")
    assert found == []
    assert [(i.rule, i.status, i.found) for i in items] == [
        ("PM203", "ignored", False),
        ("PM206", "found", True),
    ]


def test_text_output_shows_where_each_element_is(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "draft.txt", DRAFT)
    result = run_cli("lint", "--select", ",".join(REQUIRED), str(path))
    assert result.out.splitlines()[-7:] == [
        f"{path}: required elements",
        '  found   smtp-code (PM201) at 5:3 "550 5.7.1" (quoted)',
        '  found   remediation-steps (PM202) at 7:10 "we removed"',
        "  MISSING results (PM203) [warning] No measured result: show a number that proves the "
        "fix worked (e.g. 'complaint rate fell from 0.4% to 0.05%').",
        '  found   sending-identity (PM206) at 1:32 placeholder "{{ sending_ip }}"',
        "",
        "Found 1 problem (1 warning) in 1 file.",
    ]


def test_json_and_a_cached_rerun_carry_the_same_evidence(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "draft.txt", DRAFT)
    first = run_cli("lint", "--format", "json", "--select", ",".join(REQUIRED), str(path))
    second = run_cli("lint", "--format", "json", "--select", ",".join(REQUIRED), str(path))
    assert first.out == second.out
    [entry] = json.loads(first.out)["files"]
    assert [item["status"] for item in entry["checklist"]] == [
        "found",
        "found",
        "missing",
        "found",
    ]
    assert entry["checklist"][0]["evidence"]["text"] == "550 5.7.1"
    assert entry["checklist"] == [item.to_dict() for item in check_text_items(DRAFT)]


def check_text_items(text: str) -> tuple[ChecklistItem, ...]:
    return check_text(text, LintConfig.create(select=REQUIRED), "draft.txt")[1]


def test_sarif_run_properties_carry_the_checklist(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path, "draft.txt", DRAFT)
    result = run_cli("lint", "--format", "sarif", "--select", ",".join(REQUIRED), str(path))
    log = json.loads(result.out)
    jsonschema.validate(log, SCHEMA)
    [files] = log["runs"][0]["properties"]["checklist"]
    assert files["artifactLocation"]["uri"] == str(path)
    smtp, _, results, identity = files["elements"]
    assert smtp["location"]["physicalLocation"]["region"] == {
        "startLine": 5,
        "startColumn": 3,
        "endLine": 5,
        "endColumn": 12,
        "charOffset": 59,
        "charLength": 9,
        "snippet": {"text": "550 5.7.1"},
    }
    assert (smtp["element"], smtp["ruleId"], smtp["status"], smtp["quoted"]) == (
        "smtp-code",
        "PM201",
        "found",
        True,
    )
    assert results == {"element": "results", "ruleId": "PM203", "status": "missing"}
    assert identity["placeholder"] == "sending_ip"


def test_evidence_round_trips_through_a_dict() -> None:
    evidence = Evidence(1, 2, 1, 5, "abc", 1, 4, quoted=True)
    item = ChecklistItem("smtp-code", "PM201", "found", evidence)
    assert ChecklistItem.from_dict(item.to_dict()) == item


# --- placeholders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Our sending IP is [Your Server IP].", "PM206"),
        ("Our domain is <your-domain>.", "PM206"),
        ("Our domain is [YOUR DOMAIN].", "PM206"),
        ("Our IP is %SENDING_IP%.", "PM206"),
        ("Our IP is *|SENDING_IP|*.", "PM206"),
        ("Our IP is ${sending_ip}.", "PM206"),
        ("Our IP is {{ server_ip }}.", "PM206"),
        ("We receive: [PASTE BOUNCE HERE]", "PM201"),
        ("The rejection: <smtp error>", "PM201"),
        ("Our SBL record: [SBL listing id]", "PM201"),
        ("Talos: [Talos reputation]. Sender Score: %SENDER_SCORE%.", "PM204"),
        ("Reputation: [your IP reputation]", "PM204"),
        ("What we did: [steps taken]", "PM202"),
        ("Numbers: [complaint rate]", "PM203"),
        ("Going on: <prevention plan>", "PM205"),
    ],
)
def test_plain_text_placeholders_supply_the_element_they_name(text: str, rule: str) -> None:
    assert lint_text(text, LintConfig.create(select=[rule])) == []
    [item] = check_text(text, LintConfig.create(select=[rule]))[1]
    assert item.evidence is not None and item.evidence.placeholder is not None
    assert item.evidence.text in text


@pytest.mark.parametrize(
    "text",
    [
        "Our IP is [see below].",
        "Mail to [recipient domain] bounces.",  # the other side's domain is not ours
        "Messages from [192.0.2.x] were refused.",
        "We got [TSS04] from Yahoo.",  # a provider's code: evidence, but not a placeholder
        "Contact <postmaster@example.net>.",
        "See [our domain](https://example.org).",  # a Markdown link in plain text
        "50%IP%",  # not a placeholder: no boundary before the %
    ],
)
def test_other_brackets_are_not_placeholders(text: str) -> None:
    config = LintConfig.create(select=["PM201", "PM204", "PM206"])
    _, items = check_text(text, config)
    placeholders = [i.evidence for i in items if i.evidence and i.evidence.placeholder]
    assert placeholders == [], text


def test_a_quick_fix_instruction_is_a_to_do_not_a_placeholder() -> None:
    """The language server's quick fix inserts "<paste ... here>": the element stays missing
    until the writer fills it in."""
    required = [rule for rule in load_rules() if rule.category == "required"]
    assert len(required) == 6
    for rule in required:
        assert rule.insert, rule.id
        found = lint_text(f"Hello.\n\n{rule.insert}\n", LintConfig.create(select=[rule.id]))
        assert [d.rule for d in found] == [rule.id], rule.insert


def test_placeholder_names() -> None:
    assert element_for("Your Server IP") == "sending-identity"
    assert element_for("insert your sending domain here") == "sending-identity"
    assert element_for("bounce_rate") == "results"
    assert element_for("IP reputation") == "reputation-data"
    assert element_for("recipient_domain") is None
    assert element_for("customer_name") is None
    assert element_for("isp_reply") is None
    assert element_for("isp_reply", {"isp_reply": "smtp-code"}) == "smtp-code"
    long = "the_text_of_the_reply_from_their_mail_server"  # configured names have no length limit
    assert element_for(long, {long: "smtp-code"}) == "smtp-code"
