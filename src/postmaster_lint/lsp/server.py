"""`postmaster-lint lsp`: a Language Server Protocol server over stdio, built on pygls.

Diagnostics are published on open and save at once. A change is linted at once when the server
is idle; changes that arrive while a lint is under way supersede it (its result is never
published) and are coalesced into one lint after a short pause, so fast typing does not queue
up work. Linting runs on one worker thread. Every document is
linted exactly as `postmaster-lint lint` lints the file at its path (same readers, same
configuration, same suppression), and nothing a document or a configuration contains can stop
the server: problems become a diagnostic or a window message.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..api import get_linter, rules_held
from ..configfile import discover
from ..diagnostics import Diagnostic
from ..errors import UserError
from ..evidence import FOUND, ChecklistItem, Evidence
from ..inputs import DEFAULT_MAX_BYTES, Draft
from ..rules import Rule
from ..runner import lint_draft
from ..settings import Settings, SettingsResolver
from .actions import code_actions, insert_lines
from .convert import Lines, error_diagnostic, to_lsp
from .provider_info import CodeNote, ProviderInfo, field_lines, missing_fields, provider_info

CHANGE_DELAY = 0.03  # seconds of quiet before linting a change that superseded another
log = logging.getLogger(__name__)


@dataclass
class DocumentState:
    version: int | None = None
    findings: list[Diagnostic] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    checklist: tuple[ChecklistItem, ...] = ()
    task: asyncio.Task[None] | None = None
    # What hover and quick fixes say about the draft's provider, worked out when one asks
    # (not on every keystroke): the path, text and provider id it is about, then the answer.
    provider_of: tuple[str, str, str | None] | None = None
    _provider: ProviderInfo | None = None

    @property
    def provider(self) -> ProviderInfo:
        if self._provider is None:
            self._provider = (
                provider_info(*self.provider_of) if self.provider_of else ProviderInfo(None)
            )
        return self._provider


@dataclass(frozen=True)
class LintOutcome:
    findings: list[Diagnostic]
    rules: dict[str, Rule]
    problem: str | None = None  # why the document could not be linted
    checklist: tuple[ChecklistItem, ...] = ()
    provider_of: tuple[str, str, str | None] | None = None  # see DocumentState.provider


class PostmasterLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "postmaster-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.states: dict[str, DocumentState] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postmaster-lint")
        self._resolver = SettingsResolver()
        self._config_stamp: dict[Path, float] = {}
        self._announced: set[str] = set()
        self.budget = 10.0  # seconds one lint may take, as the CLI's --timeout default

    # --- linting ---------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        state = self.states.setdefault(uri, DocumentState())
        if state.task is not None and not state.task.done():
            state.task.cancel()  # superseded: its result will not be published
        state.task = asyncio.ensure_future(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        document = self.workspace.get_text_document(uri)
        version, source = document.version, document.source
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(self.worker, self.lint_source, uri, source)
        current = self.workspace.get_text_document(uri)
        if current.version != version:
            return  # the text changed while we were linting; a newer lint is on its way
        self.publish(uri, version, source, outcome)

    def lint_source(self, uri: str, source: str) -> LintOutcome:
        """Lint one document's text; never raises."""
        path = to_fs_path(uri) or uri
        try:
            if not source.strip():
                return LintOutcome([], {})  # a new, empty file: nothing to say yet
            if "\x00" in source:
                return LintOutcome([], {}, "postmaster-lint: binary content, not linted")
            if len(source.encode("utf-8", "surrogatepass")) > DEFAULT_MAX_BYTES:
                return LintOutcome(
                    [], {}, f"postmaster-lint: over the {DEFAULT_MAX_BYTES}-byte limit, not linted"
                )
            settings = self.settings_for(path)
            # An editor sends the whole draft after each keystroke: only the paragraphs that
            # changed are parsed again.
            # The rule files are looked at once per lint (a pack edited since the last
            # keystroke is still seen), not once per question asked of them.
            with rules_held():
                result = lint_draft(
                    Draft(path, source), settings, self.budget, reuse_paragraphs=True
                )
                rules = {rule.id: rule for rule in get_linter(settings.lint, True).rules}
            if result.error is not None:  # e.g. over the time budget
                return LintOutcome([], rules, f"postmaster-lint: {result.error.render()}")
            provider_of = (path, source, settings.lint_for(path).provider)
            return LintOutcome(
                list(result.diagnostics),
                rules,
                checklist=result.checklist,
                provider_of=provider_of,
            )
        except UserError as exc:
            return LintOutcome([], {}, f"postmaster-lint: {exc.render()}")
        except Exception as exc:
            log.exception("linting %s failed", uri)
            return LintOutcome([], {}, f"postmaster-lint: internal error: {exc!r}")

    def settings_for(self, path: str) -> Settings:
        """The configuration for `path`, reloaded when its file changed since last time."""
        config = discover(Path(path).parent)
        if config is not None:
            stamp = config.stat().st_mtime
            if self._config_stamp.get(config) != stamp:
                self._resolver = SettingsResolver()
                self._config_stamp[config] = stamp
        return self._resolver.for_path(path)

    def publish(self, uri: str, version: int | None, source: str, outcome: LintOutcome) -> None:
        state = self.states.setdefault(uri, DocumentState())
        state.version, state.findings, state.rules = version, outcome.findings, outcome.rules
        state.checklist = outcome.checklist
        state.provider_of, state._provider = outcome.provider_of, None
        lines = Lines(source)
        diagnostics = [to_lsp(d, lines, outcome.rules.get(d.rule)) for d in outcome.findings]
        if outcome.problem:
            diagnostics.insert(0, error_diagnostic(outcome.problem))
            if outcome.problem not in self._announced:
                self._announced.add(outcome.problem)
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=outcome.problem)
                )
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
        )

    def reload_configuration(self) -> None:
        self._resolver = SettingsResolver()
        self._config_stamp.clear()
        self._announced.clear()
        for uri in list(self.states):
            self.schedule(uri)


server = PostmasterLanguageServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PostmasterLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PostmasterLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    state = ls.states.get(params.text_document.uri)
    busy = state is not None and state.task is not None and not state.task.done()
    ls.schedule(params.text_document.uri, CHANGE_DELAY if busy else 0.0)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PostmasterLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PostmasterLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.states.pop(params.text_document.uri, None)
    if state and state.task and not state.task.done():
        state.task.cancel()
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(
    ls: PostmasterLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    ls.reload_configuration()


@server.feature(types.INITIALIZED)
async def initialized(ls: PostmasterLanguageServer, params: types.InitializedParams) -> None:
    """Ask the editor to tell us when configuration files change (where it can)."""
    capabilities = ls.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities else None
    if not (watched and watched.dynamic_registration):
        return  # configuration is still re-read when its file's mtime changes
    watchers = [
        types.FileSystemWatcher(glob_pattern=f"**/{name}")
        for name in (".postmaster-lint.yaml", "pyproject.toml")
    ]
    registration = types.Registration(
        id="postmaster-lint-config",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception:
        log.info("the client did not accept file watching")


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PostmasterLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """Findings under the cursor (a missing element's also lists the whole checklist: what is
    missing, and where each found element is), and the evidence of any required element the
    text under the cursor supplies."""
    uri = params.text_document.uri
    state = ls.states.get(uri)
    if state is None:
        return None
    lines = Lines(ls.workspace.get_text_document(uri).source)
    line = params.position.line + 1
    column = lines.code_point_column(params.position.line, params.position.character) + 1
    # Every finding under the cursor, the most specific first (a document-level finding spans
    # the whole first line, a pitfall on it only a few words).
    covering = sorted(
        (f for f in state.findings if _contains(f, line, column)), key=lambda f: f.end - f.start
    )
    supplying = [
        item
        for item in state.checklist
        if item.evidence is not None and _contains(item.evidence, line, column)
    ]
    codes = [note for note in state.provider.codes if _contains(note, line, column)]
    if not covering and not supplying and not codes:
        return None
    parts = [note.text for note in codes]
    parts += [hover_text(f, state.rules.get(f.rule)) for f in covering]
    parts += [evidence_text(item, state.rules.get(item.rule)) for item in supplying]
    if any(_is_required(f, state.rules) for f in covering):
        parts.append(checklist_text(state.checklist))
    spans: list[Diagnostic | Evidence | CodeNote] = [*codes, *covering]
    spans += [item.evidence for item in supplying if item.evidence is not None]
    narrowest = min(spans, key=lambda s: s.end - s.start)
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        ),
        range=types.Range(
            start=lines.position(narrowest.line, narrowest.column),
            end=lines.position(narrowest.end_line, narrowest.end_column),
        ),
    )


def hover_text(finding: Diagnostic, rule: Rule | None) -> str:
    parts = [f"**{finding.rule} {finding.name}** ({finding.severity.label})", finding.message]
    if rule is not None:
        parts.append(rule.rationale)
        if rule.good_examples:
            good = " ".join(rule.good_examples[0].text.split())
            parts.append(f"Instead, for example: *{good}*")
    return "\n\n".join(parts)


def evidence_text(item: ChecklistItem, rule: Rule | None) -> str:
    """What hovering the evidence of a required element says."""
    name = f" {rule.name}" if rule is not None else ""
    evidence = item.evidence
    if evidence is not None and evidence.placeholder is not None:
        return (
            f"**Supplies the required element {item.element}** ({item.rule}{name}): the "
            f"placeholder {_code(evidence.text)} will be filled in with it."
        )
    text = f"**Supplies the required element {item.element}** ({item.rule}{name})"
    if evidence is not None and evidence.quoted:
        text += ", in quoted or pasted material (which counts for required elements)"
    return text + "."


def checklist_text(checklist: tuple[ChecklistItem, ...]) -> str:
    """The required-element checklist as a Markdown list."""
    rows = ["**Required elements**", ""]
    for item in checklist:
        evidence = item.evidence
        if item.status == FOUND and evidence is not None:
            where = f"line {evidence.line}: {_code(evidence.text)}"
            if evidence.placeholder is not None:
                where += " (placeholder)"
            elif evidence.quoted:
                where += " (quoted)"
            rows.append(f"- found: {item.element} ({item.rule}), {where}")
        else:
            rows.append(f"- **{item.status}**: {item.element} ({item.rule})")
    return "\n".join(rows)


def _code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _is_required(finding: Diagnostic, rules: dict[str, Rule]) -> bool:
    rule = rules.get(finding.rule)
    return rule is not None and rule.element is not None


def _contains(span: Diagnostic | Evidence | CodeNote, line: int, column: int) -> bool:
    after_start = (line, column) >= (span.line, span.column)
    before_end = (line, column) <= (span.end_line, span.end_column)
    return after_start and before_end


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(
    ls: PostmasterLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction]:
    uri = params.text_document.uri
    state = ls.states.get(uri)
    if state is None:
        return []
    source = ls.workspace.get_text_document(uri).source
    lines = Lines(source)
    wanted = params.range
    nearby = [
        finding
        for finding in state.findings
        if _overlaps(to_lsp(finding, lines, None).range, wanted)
    ]
    actions = code_actions(uri, to_fs_path(uri) or uri, source, nearby, state.rules)
    fields = missing_fields(state.provider, nearby)
    if fields and state.provider.provider is not None:
        title = f"Insert the fields {state.provider.provider.name} asks for ({len(fields)})"
        actions.insert(0, insert_lines(uri, source, title, field_lines(fields).rstrip("\n")))
    return actions


def _overlaps(found: types.Range, wanted: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(found.start) <= key(wanted.end) and key(wanted.start) <= key(found.end)


def main(**_: Any) -> None:
    server.start_io()
