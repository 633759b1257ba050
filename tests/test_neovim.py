"""A real editor: headless Neovim starts `postmaster-lint lsp` as its LSP client, opens a draft,
and writes back the diagnostics it received. (Debian's Neovim 0.7 has vim.lsp.start_client and
vim.lsp.buf_attach_client, not vim.lsp.start.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INIT_LUA = """
local client_id = vim.lsp.start_client({
  name = "postmaster-lint",
  cmd = { vim.env.PML_PYTHON, "-m", "postmaster_lint", "lsp" },
  root_dir = vim.env.PML_ROOT,
})
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.PML_DRAFT))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local items = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(items, { code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
                        end_col = d.end_col, severity = d.severity, message = d.message })
end
local out = io.open(vim.env.PML_OUT, "w")
out:write(vim.fn.json_encode({ ok = ok, items = items }))
out:close()
vim.cmd("qa!")
"""

NVIM = shutil.which("nvim")


@pytest.mark.skipif(
    NVIM is None, reason="Neovim is not installed here (CI installs Debian's neovim)"
)
def test_neovim_receives_the_diagnostics(tmp_path: Path) -> None:
    draft = tmp_path / "request.md"
    draft.write_text("Subject: unblock\n\nPlease whitelist our IP 192.0.2.1.\n", encoding="utf-8")
    init = tmp_path / "init.lua"
    init.write_text(INIT_LUA, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = {
        **os.environ,
        "PML_PYTHON": sys.executable,
        "PML_ROOT": str(tmp_path),
        "PML_DRAFT": str(draft),
        "PML_OUT": str(out),
        "HOME": str(tmp_path),
    }
    assert NVIM is not None
    done = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(init)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"] is True
    by_code = {item["code"]: item for item in result["items"]}
    assert {"PM104", "PM201", "PM202"} <= set(by_code)
    pm104 = by_code["PM104"]
    assert (pm104["lnum"], pm104["col"], pm104["end_lnum"], pm104["end_col"]) == (2, 7, 2, 16)
    assert pm104["severity"] == 1  # vim.diagnostic.severity.ERROR
    assert pm104["message"].startswith("Asks for special treatment")
