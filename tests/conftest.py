"""Shared helpers. Every test runs with networking disabled in-process: the linter must never
reach for the network (CI additionally runs the whole suite under `unshare -n`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from postmaster_lint.cli import main
from postmaster_lint.document import Document
from postmaster_lint.inputs import read_draft
from postmaster_lint.readers import read_document
from postmaster_lint.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
# The labelled drafts: the corpus, the replies and the provider drafts.
CORPUS_FOLDERS = ("corpora/drafts", "corpora/replies/drafts", "corpora/providers/drafts")


def draft_paths(*folders: str) -> list[Path]:
    """Every file in these folders of the repository, sorted."""
    return sorted(
        path for folder in folders for path in (REPO / folder).iterdir() if path.is_file()
    )


def draft_documents(paths: list[Path]) -> list[Document]:
    """Each draft read as the command line reads it (its format from its name)."""
    found = []
    for path in paths:
        draft = read_draft(str(path))
        found.append(read_document(draft.text, draft.path, draft.format))
    return found


def example_documents() -> list[Document]:
    """Every rule's bad and good examples, as plain-text documents."""
    return [
        Document.from_plain_text(example.text, f"{rule.id} example {index}")
        for rule in load_rules()
        for index, example in enumerate((*rule.bad_examples, *rule.good_examples))
    ]


class NetworkAccessError(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def guard(*args: object, **kwargs: object) -> None:
        raise NetworkAccessError("postmaster-lint tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", guard)
    monkeypatch.setattr(socket, "create_connection", guard)
    yield


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run the real entry point in-process and return exit code, stdout and stderr."""

    def run(*args: str) -> CliResult:
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        captured = capsys.readouterr()
        code = exit_info.value.code
        return CliResult(code if isinstance(code, int) else 1, captured.out, captured.err)

    return run


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own result cache, so no test sees another's findings."""
    monkeypatch.setenv("POSTMASTER_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def write_rule_pack(
    directory: Path,
    rule_id: str,
    match: str,
    bad: str = "aaaa",
    good: str = "b",
    name: str = "custom-rule",
) -> Path:
    """A one-rule pack in `directory` (created): a style rule of kind `pattern` whose match
    spec is `match`, a YAML flow mapping such as "{phrases: [kind regards]}"."""
    directory.mkdir(exist_ok=True)
    (directory / f"{rule_id}.yaml").write_text(
        f"id: {rule_id}\nname: {name}\ncategory: style\nseverity: info\nmessage: M.\n"
        f"rationale: R.\ndetect:\n  kind: pattern\n  match: {match}\n"
        f"examples:\n  bad: [{bad!r}]\n  good: [{good!r}]\n",
        encoding="utf-8",
    )
    return directory
