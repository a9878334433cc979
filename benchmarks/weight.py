"""The weight of pages on the page benchmark's gunicorn server (benchmarks/pages.py: production
settings, WhiteNoise): what a real browser (headless Chromium driven by Playwright, as in the
browser tests) transfers, compressed as sent.

- First visit: the home page in a fresh browser (empty cache), the HTML and everything it loads
  (CSS, JavaScript, fonts, images).
- A signed-in page after that: the municipal editor opens the dashboard (filling the cache),
  then another page of theirs; what that second page transfers (its HTML, and any asset the
  cache did not hold).
- Requests outside the portal: every request the browser made to another host, and every
  absolute URL of another host in the HTML and the CSS it loaded (``url(…)``, ``@import``,
  ``src``/``href``), whether or not the browser fetched it.

Budgets (issue 17): first visit ≤ 150 KB, a signed-in page after that ≤ 30 KB, 0 requests
outside the portal."""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import urlparse

FIRST_VISIT_BUDGET_KB = 150
SIGNED_IN_BUDGET_KB = 30
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
# Absolute URLs in HTML and CSS: url(...), @import "...", src="...", href="...".
ABSOLUTE = re.compile(
    r"""(?:url\(\s*['"]?|@import\s+['"]|(?:src|href|action)\s*=\s*['"])((?:https?:)?//[^'")\s>]+)""",
    re.IGNORECASE,
)


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError("the weight benchmark needs Chromium (make install)")
    return path


def outside_urls(text: str, host: str) -> list[str]:
    """Absolute URLs in HTML or CSS that point away from ``host`` (SVG namespaces apart)."""
    found = []
    for url in ABSOLUTE.findall(text):
        netloc = urlparse(url if "://" in url else f"http:{url}").netloc
        if netloc and netloc != host and not url.startswith("http://www.w3.org/"):
            found.append(url)
    return found


def _visit(context, url: str, host: str) -> dict:
    """Open ``url`` in ``context``; the requests it made, their transferred bytes (headers and
    body as sent), and the absolute URLs to other hosts in the HTML and CSS it received."""
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    rows, outside = [], []
    for request in finished:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        parsed = urlparse(request.url)
        if parsed.netloc != host:
            outside.append(request.url)
        if request.resource_type in {"document", "stylesheet"}:
            outside += outside_urls(response.text(), host)
        rows.append(
            {
                "path": parsed.path,
                "kind": request.resource_type,
                "status": response.status,
                "bytes": transferred,
                "encoding": response.headers.get("content-encoding", ""),
            }
        )
    page.close()
    return {
        "requests": rows,
        "kb": sum(row["bytes"] for row in rows) / 1024,
        "outside": sorted(set(outside)),
    }


def bench_weight(host: str, port: int, cookies: dict, path: str = "/organisaties/") -> dict:
    """The first visit to the home page, then a signed-in page of the municipal editor after
    the dashboard; see the module."""
    from playwright.sync_api import sync_playwright

    netloc = f"{host}:{port}"
    base = f"http://{netloc}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(extra_http_headers={"Accept-Language": "nl"})
            first = _visit(context, f"{base}/", netloc)
            context.close()
            context = browser.new_context(extra_http_headers={"Accept-Language": "nl"})
            name, _, value = cookies["municipal editor"].partition("=")
            context.add_cookies([{"name": name, "value": value, "url": base}])
            warm = _visit(context, f"{base}/", netloc)
            signed_in = _visit(context, f"{base}{path}", netloc)
            context.close()
        finally:
            browser.close()
    result = {
        "first_visit": first,
        "dashboard_first": warm,
        "signed_in": signed_in,
        "signed_in_path": path,
        "first_visit_budget_kb": FIRST_VISIT_BUDGET_KB,
        "signed_in_budget_kb": SIGNED_IN_BUDGET_KB,
        "outside": sorted(set(first["outside"] + warm["outside"] + signed_in["outside"])),
    }
    result["met"] = {
        "first_visit": first["kb"] <= FIRST_VISIT_BUDGET_KB,
        "signed_in": signed_in["kb"] <= SIGNED_IN_BUDGET_KB,
        "outside": not result["outside"],
    }
    return result


def summary_line(weight: dict) -> str:
    first, signed_in = weight["first_visit"], weight["signed_in"]
    return (
        f"first visit {first['kb']:.1f} KB in {len(first['requests'])} requests, "
        f"signed-in page {signed_in['kb']:.1f} KB in {len(signed_in['requests'])} requests, "
        f"{len(weight['outside'])} URLs outside the portal"
    )
