"""Browser tests: a real Chromium (Debian's package) driven by Playwright against a live
server backed by PostgreSQL. Every page a test visits is checked with axe-core for WCAG 2.1
A/AA at 1280 and 375 CSS px, must not scroll sideways at 320 CSS px (WCAG 1.4.10 reflow), must
have breadcrumbs with one root and visible separators, and is screenshotted into
test-artifacts/ (not committed)."""

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
AXE_WIDTHS = (1280, 375)
REFLOW_WIDTH = 320
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


class LayoutViolation(AssertionError):
    pass


# Elements that stick out on the right of the viewport, outside any region that scrolls itself.
_OVERFLOWING = """(limit) => {
    const scrolls = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        // An absolutely positioned element escapes a scrolling region unless the region is
        // its containing block, so it widens the page even from inside a wide table.
        const escapes = getComputedStyle(el).position === 'absolute'
            && (!el.offsetParent || el.offsetParent === document.body);
        if (box.width && box.right > limit + 1 && (escapes || !scrolls(el))) {
            out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string'
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                + ' (' + Math.round(box.right) + 'px)');
        }
    }
    return out.slice(-5);
}"""


def check_reflow(page, width: int = REFLOW_WIDTH) -> None:
    """WCAG 1.4.10: at ``width`` CSS px the page itself never scrolls sideways; a wide table
    may scroll inside its own region."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 800})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            culprits = page.evaluate(_OVERFLOWING, width)
            raise LayoutViolation(
                f"{page.url}: {scroll_width} px wide at {width} px (reflow); widest: "
                + "; ".join(culprits)
            )
    finally:
        page.set_viewport_size(size)


_BREADCRUMBS = """() => [...document.querySelectorAll('nav.utrecht-breadcrumb-nav')].map((nav) => {
    const items = [...nav.querySelectorAll('.utrecht-breadcrumb-nav__item')];
    const first = items.length ? items[0].querySelector('a') : null;
    return {
        root: first ? new URL(first.href).pathname : null,
        label: first ? first.textContent.trim() : null,
        separators: items.slice(1).map(
            (li) => getComputedStyle(li, '::before').content
        ),
    };
})"""


HOME_LABELS = ("Voorpagina", "Home")  # the root's label in Dutch and in English


def check_breadcrumbs(page) -> None:
    """Every breadcrumb starts at the same root (the home page, "Voorpagina") and shows a
    separator before each further step; the separator is generated content without alternative
    text, so screen readers hear only the list."""
    problems = []
    for trail in page.evaluate(_BREADCRUMBS):
        if trail["root"] != "/" or trail["label"] not in HOME_LABELS:
            problems.append(f"breadcrumb root is {trail['label']!r} ({trail['root']})")
        if any(content in ("none", "normal", "") for content in trail["separators"]):
            problems.append("breadcrumb step without a separator")
    if problems:
        raise LayoutViolation(f"{page.url}:\n" + "\n".join(problems))


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
        size = self.page.viewport_size
        try:
            for width in AXE_WIDTHS:
                if width != size["width"]:
                    self.page.set_viewport_size({"width": width, "height": size["height"]})
                check_accessibility(self.page)
        finally:
            self.page.set_viewport_size(size)
        check_reflow(self.page)
        check_breadcrumbs(self.page)
        self.checked.append(self.page.url)


@pytest.fixture
def visitor(browser, live_server, request) -> Iterator[Visitor]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    visitor = Visitor(page, live_server.url, request.node.name)
    yield visitor
    context.close()
