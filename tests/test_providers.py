"""The provider data: strict loading (file and line on every mistake), check-providers, the
generated reference, and that it ships like the rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from postmaster_lint.errors import ProviderError
from postmaster_lint.provider_docs import render_providers_markdown
from postmaster_lint.providers import (
    ELEMENTS,
    builtin_providers_dir,
    load_providers,
    provider_files,
)
from postmaster_lint.rules import load_rules

from .conftest import REPO

GOOD = """\
id: example
name: Example Mail
kind: mailbox-provider
recognise:
  codes: ['\\[(EX\\d\\d)\\]']
  source: docs
codes:
  EX01:
    meaning: Blocked for complaints.
    source: docs
contact:
  channel: email
  address: postmaster@example.net
  note: Write once.
  source: docs
who_writes:
  party: sender
  note: The sender.
  source: docs
must_include:
  - id: sending-ip
    label: Sending IP
    hint: the IP
    element: sending-identity
    detect:
      regex: ['\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b']
    source: docs
avoid:
  - text: Asking for an allow list.
    source: docs
sources:
  docs: https://example.net/postmaster
"""


def folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def load_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ProviderError) as info:
        load_providers(folder(tmp_path, example=text))
    return info.value.render()


def test_a_good_file_loads(tmp_path: Path) -> None:
    [provider] = load_providers(folder(tmp_path, example=GOOD))
    assert provider.codes["EX01"].meaning == "Blocked for complaints."
    assert provider.must_include[0].find("from 192.0.2.10 since") == (5, 15)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("who_writes:", "who_write:", 16, "unknown key 'who_write' (did you mean 'who_writes'?)"),
        ("kind: mailbox-provider", "kind: mailbox", 3,
         "kind must be one of mailbox-provider, blocklist (did you mean 'mailbox-provider'?)"),
        ("  party: sender", "  party: spammer", 17, "party must be one of sender, ip-owner, recipient-organisation, esp"),
        ("    meaning: Blocked", "    meening: Blocked", 9, "unknown key 'meening' (did you mean 'meaning'?)"),
        ("  codes: ['\\[(EX\\d\\d)\\]']", "  codes: ['(EX']", 5, "codes: invalid regex '(EX'"),
        ("  codes: ['\\[(EX\\d\\d)\\]']", "  codes: '\\[EX'", 5, "'codes' must be a list of non-empty strings"),
        ("    source: docs\ncontact", "    source: dcos\ncontact", 10, "source 'dcos' is not in 'sources' (did you mean 'docs'?)"),
        ("  address: postmaster@example.net\n", "", 12, "a email contact needs an 'address'"),
        ("  docs: https", "  unused: https://x.example\n  docs: https", 32, "source 'unused' is never cited"),
        ("    element: sending-identity", "    element: sending-ip", 24,
         "element must be one of smtp-code, remediation-steps, results, reputation-data, prevention-plan, sending-identity"),
        ("name: Example Mail\n", "", 1, "missing required key 'name'"),
    ],
)  # fmt: skip
def test_mistakes_name_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in GOOD
    rendered = load_error(tmp_path, GOOD.replace(old, new, 1))
    assert rendered.startswith(f"{tmp_path / 'example.yaml'}:{line}: "), rendered
    assert message in rendered


def test_file_name_must_match_id(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match=r"file name must match the id: example\.yaml"):
        load_providers(folder(tmp_path, other=GOOD))


def test_belongs_to_must_name_a_provider(tmp_path: Path) -> None:
    text = GOOD.replace("    meaning: Blocked", "    belongs_to: spamhause\n    meaning: Blocked")
    assert load_error(tmp_path, text) == (
        f"{tmp_path / 'example.yaml'}:8: code 'EX01' belongs_to unknown provider 'spamhause'"
    )


def test_check_providers_reports_every_bad_file(run_cli, tmp_path: Path) -> None:
    good = GOOD
    bad = GOOD.replace("id: example", "id: second").replace("kind: mailbox-provider", "kind: isp")
    folder(tmp_path, example=good, second=bad)
    result = run_cli("check-providers", str(tmp_path))
    assert result.code == 2
    assert result.out.splitlines() == [
        f"ERROR {tmp_path / 'second.yaml'}:3: kind must be one of mailbox-provider, blocklist",
        "2 provider files: 1 malformed",
    ]


def test_built_in_providers_pass(run_cli) -> None:
    result = run_cli("check-providers")
    assert result.code == 0
    assert (
        result.out
        == f"{len(provider_files(builtin_providers_dir()))} provider files: 0 malformed\n"
    )


def test_built_in_providers_cover_the_references() -> None:
    ids = {p.id for p in load_providers()}
    assert ids >= {
        "outlook-com", "microsoft-365", "exchange-tenant", "gmail", "yahoo", "apple-icloud",
        "comcast", "gmx", "orange", "mail-ru", "att", "spamhaus", "barracuda", "spamcop",
        "proofpoint", "cloudmark", "sorbs", "abusix", "invaluement",
    }  # fmt: skip
    sorbs = load_providers().resolve("sorbs")
    assert sorbs.obsolete is not None and sorbs.obsolete.since == "2024-06-05"


def test_elements_are_the_required_rules_elements() -> None:
    elements = {r.element for r in load_rules() if r.category == "required"}
    assert set(ELEMENTS) == elements


def test_unknown_provider_id_suggests_one() -> None:
    with pytest.raises(Exception, match=r"unknown provider 'gmial' \(did you mean 'gmail'\?\)"):
        load_providers().resolve("gmial")


def test_provider_reference_is_generated_and_current() -> None:
    current = (REPO / "docs" / "providers.md").read_text(encoding="utf-8")
    assert current == render_providers_markdown(load_providers()), (
        "docs/providers.md is stale: run "
        "`postmaster-lint providers --format markdown > docs/providers.md`"
    )


def test_providers_command_json(run_cli) -> None:
    result = run_cli("providers", "--format", "json")
    data = json.loads(result.out)
    assert {"id": "comcast", "kind": "mailbox-provider"}.items() <= data[5].items()


def test_providers_ship_like_the_rules(tmp_path: Path) -> None:
    import postmaster_lint

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"providers" = "postmaster_lint/providers"' in pyproject
    package_dir = Path(postmaster_lint.__file__).resolve().parent
    if package_dir.parent == REPO / "src":
        assert builtin_providers_dir() == REPO / "providers"
    else:
        assert builtin_providers_dir() == package_dir / "providers"


def test_deleting_a_recognise_pattern_breaks_recognition(tmp_path: Path) -> None:
    """The data is what recognises: without Orange's code pattern, OFR006_102 is no longer read
    and the block is no longer routed to Cloudmark."""
    from postmaster_lint.bounces import recognise

    copy = tmp_path / "providers"
    shutil.copytree(builtin_providers_dir(), copy)
    orange = copy / "orange.yaml"
    text = orange.read_text(encoding="utf-8")
    orange.write_text(text.replace("  codes: ['\\b(OFR\\d{3}_\\d{3})\\b']\n", ""), "utf-8")
    reply = (
        "550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. OFR006_102 Ref "
        "http://csi.cloudmark.com/reset-request/?ip=192.0.2.10 [102]"
    )
    [built_in] = recognise(reply)
    [mutated] = recognise(reply, load_providers(copy))
    assert built_in.owner is not None and built_in.owner.id == "cloudmark"
    assert [c.value for c in built_in.provider_codes] == ["OFR006_102"]
    assert mutated.owner is not None and mutated.owner.id != "cloudmark"
    assert mutated.provider_codes == ()


def test_names_lists_and_expiry_load(tmp_path: Path) -> None:
    text = GOOD.replace("kind: mailbox-provider\n", "kind: blocklist\nnames: [Example, EXL]\n")
    text += (
        "lists:\n  - name: EXA\n    regex: ['\\bEXA\\b']\n    source: docs\n"
        "expires:\n  after: a day\n  note: It lapses.\n  source: docs\n"
    )
    [provider] = load_providers(folder(tmp_path, example=text))
    assert provider.names == ("Example", "EXL")
    assert [item.name for item in provider.lists] == ["EXA"]
    assert provider.expires is not None and provider.expires.after == "a day"
    found = provider.named_in("Dear EXL team, and example.net")
    assert found is not None and found.group() == "EXL"  # not the domain


def test_a_list_without_a_regex_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = GOOD + "lists:\n  - name: EXA\n    regex: []\n    source: docs\n"
    assert load_error(tmp_path, text).endswith("example.yaml:35: a list needs at least one 'regex'")
