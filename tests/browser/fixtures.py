"""Browser tests: a real Chromium (Debian's package) driven by Playwright against a live
server backed by PostgreSQL. Every page a test visits is checked with axe-core for WCAG 2.1
A/AA and screenshotted into test-artifacts/ (not committed)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("Chromium is needed for the browser tests: run `make install`.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    # The Django test runner forbids sync DB calls from an event loop; Playwright's sync API
    # runs one in this thread, so allow it (the server runs in its own thread anyway).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class AccessibilityViolation(AssertionError):
    pass


def check_accessibility(page) -> None:
    """Fail on any WCAG 2.1 A/AA violation, and on duplicate ids (axe only reports those as
    'incomplete' since 4.8)."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations", "incomplete"],
        },
    )
    violations = results.response["violations"]
    duplicate_ids = page.evaluate(
        """() => {
            const seen = {}, dups = [];
            for (const el of document.querySelectorAll('[id]')) {
                if (seen[el.id]) dups.push(el.id); seen[el.id] = true;
            }
            return dups;
        }"""
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    ]
    if duplicate_ids:
        problems.append(f"duplicate ids: {sorted(set(duplicate_ids))}")
    if problems:
        raise AccessibilityViolation(f"{page.url}:\n" + "\n".join(problems))


class Visitor:
    """Wraps a Playwright page: every page load is axe-checked and screenshotted."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.name = re.sub(r"[^a-zA-Z0-9_-]+", "_", name)[:80]
        self.count = 0
        self.checked: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        self.count += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.name}-{self.count:02d}.png"), full_page=True
        )
        check_accessibility(self.page)
        self.checked.append(self.page.url)


@pytest.fixture
def visitor(browser, live_server, request) -> Iterator[Visitor]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    visitor = Visitor(page, live_server.url, request.node.name)
    yield visitor
    context.close()
