// A minimal VS Code client for `postmaster-lint lsp`: starts the server over stdio for the
// document types postmaster-lint reads. Install with `npm install` and `vsce package`, or run
// it from this folder with "Developer: Install Extension from Location...".
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("postmasterLint")
    .get("command", ["postmaster-lint", "lsp"]);
  client = new LanguageClient(
    "postmaster-lint",
    "postmaster-lint",
    { command, args },
    {
      documentSelector: ["plaintext", "markdown", "html", "jinja", "handlebars"].map(
        (language) => ({ scheme: "file", language })
      ),
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{.postmaster-lint.yaml,pyproject.toml}"),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
