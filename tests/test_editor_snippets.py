"""The editor snippets in the README and the VS Code extension are well-formed and start the
server the way `postmaster-lint lsp` is spelled."""

from __future__ import annotations

import json
import sys

from .conftest import REPO
from .readme import snippet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_helix_snippet_is_toml_that_runs_the_server() -> None:
    config = tomllib.loads(snippet("helix"))
    server = config["language-server"]["postmaster-lint"]
    assert [server["command"], *server["args"]] == ["postmaster-lint", "lsp"]


def test_sublime_snippet_is_json_that_runs_the_server() -> None:
    client = json.loads(snippet("sublime"))["clients"]["postmaster-lint"]
    assert client["command"] == ["postmaster-lint", "lsp"]


def test_lua_and_elisp_snippets_name_the_command() -> None:
    for name in ("nvim-lspconfig", "nvim-plain"):
        assert '{ "postmaster-lint", "lsp" }' in snippet(name)
    assert '("postmaster-lint" "lsp")' in snippet("eglot")


def test_vscode_extension_manifest() -> None:
    manifest = json.loads((REPO / "editors" / "vscode" / "package.json").read_text("utf-8"))
    assert manifest["main"] == "./extension.js"
    assert (REPO / "editors" / "vscode" / "extension.js").is_file()
    command = manifest["contributes"]["configuration"]["properties"]["postmasterLint.command"]
    assert command["default"] == ["postmaster-lint", "lsp"]
