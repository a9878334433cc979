"""BENCHMARKS.md sections of the weight of pages (benchmarks/weight.py) and of the mixed load
of 20 users (benchmarks/journeys.py), each with its targets of issue 17 and whether they are
met."""

from __future__ import annotations

LOAD_P95_TARGET = 100  # p95 of the mixed load / the floor's p50


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def weight_report(weight: dict) -> list[str]:
    first, signed_in = weight["first_visit"], weight["signed_in"]
    met = weight["met"]
    rows = [
        "| request | kind | encoding | KB transferred |",
        "|---|---|---|---:|",
    ]
    for row in first["requests"]:
        rows.append(
            f"| `{row['path']}` | {row['kind']} | {row['encoding'] or '–'} | "
            f"{row['bytes'] / 1024:.1f} |"
        )
    cached = sum(1 for row in signed_in["requests"] if row["kind"] != "document")
    outside = ", ".join(f"`{url}`" for url in weight["outside"]) or "none"
    return [
        "Weight of pages (target 5): headless Chromium (Playwright) on the same server "
        "(WhiteNoise serving the collected static files with their Brotli and gzip variants, "
        "pages gzip-compressed by `portal.compression.TextGZipMiddleware`); bytes as "
        "transferred (headers and compressed body), `benchmarks/weight.py`.",
        "",
        "| what | requests | KB transferred | budget KB | |",
        "|---|---:|---:|---:|---|",
        f"| First visit to the home page (empty cache; HTML and every asset it loads) | "
        f"{len(first['requests'])} | {first['kb']:.1f} | {weight['first_visit_budget_kb']} | "
        f"{_met(met['first_visit'])} |",
        f"| A signed-in page after the dashboard (`{weight['signed_in_path']}`, municipal "
        f"editor; {cached} assets from the cache) | {len(signed_in['requests'])} | "
        f"{signed_in['kb']:.1f} | {weight['signed_in_budget_kb']} | "
        f"{_met(met['signed_in'])} |",
        "",
        f"Requests and absolute URLs outside the portal (the browser's requests, and URLs in "
        f"the HTML and CSS it received): {outside} — {_met(met['outside'])}.",
        "",
        "The first visit, request by request:",
        "",
        *rows,
        "",
    ]


def journeys_report(journeys: dict, floor_p50_ms: float) -> list[str]:
    total = journeys["total"]
    ratio = total["p95_ms"] / floor_p50_ms if floor_p50_ms else 0.0
    rows = []
    for kind, sample in journeys["kinds"].items():
        statuses = ", ".join(f"{n} × {status}" for status, n in sample["statuses"].items())
        rows.append(
            f"| {kind} | {journeys['clients_per_kind'][kind]} | {sample['requests']} | "
            f"{statuses or '–'} | {sample['p50_ms']:.1f} | {sample['p95_ms']:.1f} | "
            f"{sample['p99_ms']:.1f} | {sample['errors']} |"
        )
    ok = total["errors"] == 0 and ratio <= LOAD_P95_TARGET
    return [
        f"Mixed load (target 6): {journeys['clients']} concurrent users for "
        f"{journeys['seconds']:g} s on the same server, each on a journey of its kind "
        f"(`benchmarks/journeys.py`): reads of the pages of every user kind, the API read with "
        f"a session, draft saves of a demand inventory (form read, one quantity changed, "
        f"posted with its CSRF token: 302) and uploads of the inventory's own downloaded "
        f"workbook (the review page: 200). Each user pauses 0.5–1.5 × {journeys['think']:g} s "
        f"between steps (not counted). *Ratio* = p95 of all requests / the floor's p50 "
        f"({floor_p50_ms:.1f} ms).",
        "",
        "| user kind | users | requests | status codes | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
        *rows,
        f"| **all** | {journeys['clients']} | {total['requests']} ({total['rps']:.0f} req/s) | "
        f"– | {total['p50_ms']:.1f} | {total['p95_ms']:.1f} | {total['p99_ms']:.1f} | "
        f"{total['errors']} |",
        "",
        f"p95 / floor p50: {ratio:.1f} (target ≤ {LOAD_P95_TARGET}), errors: "
        f"{total['errors']} (target 0) — {_met(ok)}.",
        "",
    ]
