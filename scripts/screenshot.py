"""Regenerate docs/web.png, the README's picture of `postmaster-lint serve`: headless Chromium
(Debian's package) through Playwright, the sample draft typed in, the cursor on a finding.

    .venv/bin/python scripts/screenshot.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from postmaster_lint.web.browser import served

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshot: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    draft = (REPO / "examples" / "draft.txt").read_text(encoding="utf-8")
    with (
        tempfile.TemporaryDirectory() as scratch,
        served(Path(scratch)) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        page.fill("#draft", draft)
        page.dispatch_event("#draft", "input")
        page.wait_for_selector("mark[data-rule~='PM104']")
        offset = draft.index("whitelist") + 3
        page.focus("#draft")
        page.evaluate(f"document.getElementById('draft').setSelectionRange({offset}, {offset})")
        page.keyboard.press("ArrowRight")
        page.wait_for_selector("mark.current")
        target = REPO / "docs" / "web.png"
        page.screenshot(path=str(target))
        browser.close()
    print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
