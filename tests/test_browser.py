"""A real browser: headless Chromium (Debian's package, installed by .ci/run as it installs
Neovim) driven by Playwright against `postmaster-lint serve` on a free local port."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from postmaster_lint.web.browser import served

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed here (CI installs Debian's chromium package)",
    ),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed"),
]

DRAFT = "Hello,\n\nPlease whitelist our IP 203.0.113.7.\n"


def test_typing_highlights_and_the_checklist_inserts(tmp_path: Path) -> None:
    assert CHROMIUM is not None and sync_playwright is not None
    with served(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            try:
                page.goto(url)
            except PlaywrightError as exc:
                if "ERR_INTERNET_DISCONNECTED" not in str(exc):
                    raise
                pytest.skip(
                    "Chromium sees no network at all (loopback down in this network namespace; "
                    ".ci/run brings it up with `ip link set lo up`)"
                )
            page.wait_for_selector("body[data-ready='1']")
            page.click("#draft")
            page.keyboard.type(DRAFT)
            # the pitfall, highlighted at its characters (code points 15-24: "whitelist")
            mark = page.wait_for_selector("mark[data-rule='PM104']")
            assert mark is not None
            assert (mark.get_attribute("data-start"), mark.get_attribute("data-end")) == (
                "15",
                "24",
            )
            assert mark.text_content() == "whitelist"
            assert DRAFT[15:24] == "whitelist"
            # the cursor on it explains it
            page.keyboard.press("Alt+n")
            page.wait_for_selector("#finding-body .rule")
            shown = page.inner_text("#finding-body")
            assert "PM104" in shown or "PM201" in shown
            # the checklist: the SMTP code is missing; insert its line, fill it in
            item = "#checklist li[data-rule='PM201']"
            assert page.get_attribute(item, "data-status") == "missing"
            page.click(f"{item} button.insert")
            # the inserted line's <what to write> is selected: typing replaces it
            page.keyboard.type("550 5.7.1 Service unavailable, client host blocked")
            page.wait_for_selector(f"{item}[data-status='found']")
            text = page.input_value("#draft")
            assert text == (
                "Hello,\n\nSMTP bounce code: 550 5.7.1 Service unavailable, client host blocked\n"
                "Please whitelist our IP 203.0.113.7.\n"
            )
            evidence = page.inner_text(f"{item} .evidence")
            assert evidence.startswith("line 3: ")
            # the highlight moved with the text
            moved = text.index("whitelist")
            assert moved == 84
            mark = page.wait_for_selector(f"mark[data-rule~='PM104'][data-start='{moved}']")
            assert mark is not None and mark.text_content() == "whitelist"
            page.screenshot(path=str(tmp_path / "web.png"))
            assert (tmp_path / "web.png").stat().st_size > 10_000
        finally:
            browser.close()
