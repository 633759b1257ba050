"""The language server, end to end: a real LSP client (pytest-lsp) speaking JSON-RPC to
`postmaster-lint lsp` in a subprocess."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from postmaster_lint.lsp.convert import Lines

from .conftest import REPO

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "postmaster_lint", "lsp"])
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim"))
    )
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, path: Path, text: str, language: str = "markdown"):  # type: ignore[no-untyped-def]
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
    await diagnostics_for(client, uri)
    return uri


async def diagnostics_for(
    client: LanguageClient, uri: str, timeout: float = 20
) -> list[types.Diagnostic]:
    async def wait() -> None:
        while True:
            await client.wait_for_notification(PUBLISH)
            if uri in client.diagnostics:
                return

    client.diagnostics.pop(uri, None)
    await asyncio.wait_for(wait(), timeout)
    return list(client.diagnostics[uri])


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def test_open_publishes_coded_diagnostics_in_utf16(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "👋 Héllo,\n\n👋👋 Please whitelist us.\n"
    path = tmp_path / "draft.md"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    found = await diagnostics_for(client, uri)
    [pm104] = [d for d in found if d.code == "PM104"]
    # "👋👋 Please " is 4 + 1 + 7 UTF-16 units: the span starts at character 12.
    assert pm104.range == types.Range(start=types.Position(2, 12), end=types.Position(2, 21))
    assert pm104.severity == types.DiagnosticSeverity.Error
    assert pm104.source == "postmaster-lint"
    assert pm104.code_description is not None
    assert pm104.code_description.href.endswith("rules.md#pm104-exception-request")
    missing = [d for d in found if d.code == "PM201"]
    assert missing and missing[0].severity == types.DiagnosticSeverity.Error


async def test_change_relints_and_the_latest_text_wins(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = await open_doc(client, tmp_path / "d.md", "Hello.\n")
    for version in range(2, 7):
        change(client, uri, version, "Hello.\n" + "Please whitelist us. " * version + "\n")
    change(client, uri, 7, "Hello. We are deeply sorry.\n")

    async def settled() -> list[types.Diagnostic]:
        while True:
            found = await diagnostics_for(client, uri)
            if not any(d.code == "PM104" for d in found) and any(d.code == "PM102" for d in found):
                return found

    found = await asyncio.wait_for(settled(), 20)
    assert {d.code for d in found} >= {"PM102", "PM201"}


async def test_hover_shows_message_rationale_and_a_good_example(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = await open_doc(client, tmp_path / "d.txt", "Please whitelist our IP.\n", "plaintext")
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 10)
        )
    )
    assert result is not None
    value = result.contents.value  # type: ignore[union-attr]
    assert value.startswith("**PM104 exception-request** (error)")
    assert "Yahoo has no whitelisting program" in value
    assert (
        "Instead, for example: *We fixed the cause on 3 May; please review our IP for delisting.*"
        in value
    )
    assert result.range == types.Range(start=types.Position(0, 7), end=types.Position(0, 16))
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 2)
        )
    )
    assert nothing is None or "PM104" not in nothing.contents.value  # type: ignore[union-attr]


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line, character),
        )
    )
    assert result is not None
    return result


async def test_hover_on_evidence_says_which_element_it_supplies(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "Subject: unblock {{ sending_ip }}\n\n> 550 5.7.1 Service unavailable\n"
    uri = await open_doc(client, tmp_path / "d.txt", text, "plaintext")
    bounce = await hover_at(client, uri, 2, 4)
    value = bounce.contents.value  # type: ignore[union-attr]
    assert value == (
        "**Supplies the required element smtp-code** (PM201 missing-smtp-code), in quoted or "
        "pasted material (which counts for required elements)."
    )
    assert bounce.range == types.Range(start=types.Position(2, 2), end=types.Position(2, 11))
    # On the first line, the placeholder's own hover comes with the missing elements' findings.
    placeholder = await hover_at(client, uri, 0, 20)
    value = placeholder.contents.value  # type: ignore[union-attr]
    assert (
        "**Supplies the required element sending-identity** (PM206 missing-sending-identity): "
        "the placeholder `{{ sending_ip }}` will be filled in with it." in value
    )
    assert placeholder.range == types.Range(start=types.Position(0, 17), end=types.Position(0, 33))


async def test_hover_on_a_missing_element_lists_the_checklist(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "Hello,\n\n> 550 5.7.1 Service unavailable\n\nOur IP is 192.0.2.1.\n"
    uri = await open_doc(client, tmp_path / "d.txt", text, "plaintext")
    result = await hover_at(client, uri, 0, 1)
    value = result.contents.value  # type: ignore[union-attr]
    assert value.startswith("**PM202 missing-remediation-steps** (error)")
    checklist = value.split("---\n\n")[-1]
    assert checklist.splitlines() == [
        "**Required elements**",
        "",
        "- found: smtp-code (PM201), line 3: `550 5.7.1` (quoted)",
        "- **missing**: remediation-steps (PM202)",
        "- **missing**: results (PM203)",
        "- **missing**: reputation-data (PM204)",
        "- **missing**: prevention-plan (PM205)",
        "- found: sending-identity (PM206), line 5: `192.0.2.1`",
    ]


async def test_code_actions_insert_a_placeholder_and_disable_rules(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "Subject: unblock\n\nPlease whitelist our IP 192.0.2.1.\n"
    uri = await open_doc(client, tmp_path / "d.md", text)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(0, 0), end=types.Position(2, 10)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
    insert = by_title["Insert a line for the missing smtp-code"]
    [edit] = insert.edit.changes[uri]  # type: ignore[union-attr,index]
    assert edit.new_text == "SMTP bounce code: <paste the full 5xx line you received here>\n"
    assert edit.range.start == types.Position(2, 0)  # after the subject paragraph
    [line_off] = by_title["Disable PM104 (exception-request) for this line"].edit.changes[uri]  # type: ignore[union-attr,index]
    assert (line_off.range.start, line_off.new_text) == (
        types.Position(2, 0),
        "<!-- postmaster-lint: disable-next-line PM104 -->\n",
    )
    [file_off] = by_title["Disable PM104 (exception-request) in this file"].edit.changes[uri]  # type: ignore[union-attr,index]
    assert (file_off.range.start, file_off.new_text) == (
        types.Position(0, 0),
        "<!-- postmaster-lint: disable PM104 -->\n",
    )


async def test_configuration_is_found_and_reloaded(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "d.md", "Please whitelist us.\n")
    assert "PM104" in {d.code for d in client.diagnostics[uri]}
    (tmp_path / ".postmaster-lint.yaml").write_text("ignore: [PM104]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(tmp_path / ".postmaster-lint.yaml").as_uri(),
                    type=types.FileChangeType.Created,
                )
            ]
        )
    )
    found = await diagnostics_for(client, uri)
    assert "PM104" not in {d.code for d in found}
    assert "PM201" in {d.code for d in found}


async def test_bad_input_is_reported_and_the_server_keeps_serving(
    client: LanguageClient, tmp_path: Path
) -> None:
    binary = await open_doc(client, tmp_path / "b.txt", "abc\x00def", "plaintext")
    [problem] = client.diagnostics[binary]
    assert problem.message == "postmaster-lint: binary content, not linted"
    huge = await open_doc(client, tmp_path / "h.txt", "a" * (2 * 1024 * 1024 + 1), "plaintext")
    assert client.diagnostics[huge][0].message.startswith("postmaster-lint: over the")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / ".postmaster-lint.yaml").write_text("selct: [PM104]\n", encoding="utf-8")
    configured = await open_doc(client, broken / "c.md", "Please whitelist us.\n")
    [config_problem] = client.diagnostics[configured]
    assert config_problem.message == (
        f"postmaster-lint: {broken / '.postmaster-lint.yaml'}:1: selct: unknown setting "
        "(did you mean 'select'?)"
    )
    assert any("selct" in m.message for m in client.messages)
    fine = await open_doc(client, tmp_path / "ok.md", "Please whitelist us.\n")
    assert "PM104" in {d.code for d in client.diagnostics[fine]}


async def test_results_equal_the_cli_over_the_corpus(client: LanguageClient, run_cli) -> None:  # type: ignore[no-untyped-def]
    drafts = sorted((REPO / "corpora" / "drafts").iterdir())
    cli = json.loads(run_cli("lint", "--format", "json", *map(str, drafts)).out)
    expected: dict[str, set[tuple[object, ...]]] = {str(d): set() for d in drafts}
    sources = {str(d): d.read_bytes().decode("utf-8", "surrogateescape") for d in drafts}
    for d in cli["diagnostics"]:
        lines = Lines(sources[d["path"]])
        start, end = (
            lines.position(d["line"], d["column"]),
            lines.position(d["end_line"], d["end_column"]),
        )
        expected[d["path"]].add((d["rule"], start.line, start.character, end.line, end.character))
    for draft in drafts:
        found = await open_doc(client, draft, sources[str(draft)], "plaintext")
        got = {
            (
                d.code,
                d.range.start.line,
                d.range.start.character,
                d.range.end.line,
                d.range.end.character,
            )
            for d in client.diagnostics[found]
        }
        assert got == expected[str(draft)], draft.name


# --- the draft's provider -------------------------------------------------------------------

COMCAST_DRAFT = (
    "Dear Comcast team,\n\n"
    "554 192.0.2.10 found on one or more DNSBLs, see "
    "http://postmaster.comcast.net/smtp-error-codes.php#BL000001\n"
)


async def test_hover_on_a_bounce_code_shows_its_meaning_and_where_to_write(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = await open_doc(client, tmp_path / "d.txt", COMCAST_DRAFT, "plaintext")
    column = COMCAST_DRAFT.splitlines()[2].index("BL000001")
    result = await hover_at(client, uri, 2, column + 3)
    value = result.contents.value  # type: ignore[union-attr]
    first = value.split("\n\n---\n\n")[0]
    assert first.splitlines()[0] == (
        "**BL000001** (Comcast (Xfinity)): The IP is listed in Spamhaus ZEN, which Comcast "
        "applies: the request goes to Spamhaus, not Comcast."
    )
    assert "The block belongs to **Spamhaus**, not Comcast (Xfinity)." in first
    assert (
        "Who writes: the sender. Where: the sender should write to Spamhaus (portal "
        "https://check.spamhaus.org/)." in first
    )
    assert "**PM401 wrong-recipient** (error)" in value  # the finding on the same code
    assert result.range == types.Range(
        start=types.Position(2, column), end=types.Position(2, column + 8)
    )


async def test_code_action_inserts_the_providers_missing_fields(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = (
        "To: postmaster@proofpoint.com\n\nHello Proofpoint,\n\nOur IP 192.0.2.40 is blocked: "
        "https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.40\n"
    )
    uri = await open_doc(client, tmp_path / "d.txt", text, "plaintext")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 5)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    first = actions[0]
    assert isinstance(first, types.CodeAction)
    assert first.title == "Insert the fields Proofpoint Dynamic Reputation (PDR) asks for (2)"
    [edit] = first.edit.changes[uri]  # type: ignore[union-attr,index]
    assert edit.range.start == types.Position(2, 0)  # after the To: paragraph
    assert edit.new_text == (
        "The recipient of the blocked mail: <the address (or domain) your blocked mail was "
        "sent to>\n"
        "The type of mail (personal, newsletter, company communications): <personal mail, "
        "newsletters, company communications, ...>\n"
    )
