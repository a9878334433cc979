"""The verdict on issue 17's targets, computed from the run's own numbers (BENCHMARKS.md, at
the end): met or not met, and what stands in the way."""

from __future__ import annotations

from typing import Any

from benchmarks.markdown_load import LOAD_P95_TARGET, _met

PAGE_P50_TARGET = 15.0  # × the floor's p50
PAGE_P95_TARGET = 30.0  # × the floor's p50
AGGREGATION_TARGET = 3.0  # × one INSERT … SELECT … GROUP BY
PDF_TARGET = 1.0  # × headless Chromium printing the same HTML
PDF_PEAK_MB = 300
EXPORT_TARGET = 2.0  # × openpyxl's write-only mode
UPLOAD_TARGET = 1.5  # × openpyxl's read-only reading


def _pages(runs: list[tuple[int, dict, list[Any], Any]]) -> list[str]:
    lines = []
    all_ok = True
    for scale, _data, results, floor in runs:
        if not floor.p50_ms:
            continue
        # A result's name already says the kind of user ("Dashboard (supplier)").
        # Each page against the floor measured just before it (the run's floor if there is
        # none).
        ratios = [
            (r.name, r.p50_ms / r.floor_of(floor), r.p95_ms / r.floor_of(floor)) for r in results
        ]
        over = [
            (name, p50, p95)
            for name, p50, p95 in ratios
            if p50 > PAGE_P50_TARGET or p95 > PAGE_P95_TARGET
        ]
        all_ok = all_ok and not over
        worst = max((p50 for _, p50, _ in ratios), default=0.0)
        floors = sorted(r.floor_of(floor) for r in results) or [floor.p50_ms]
        lines.append(
            f"- {scale}×: {len(results) - len(over)} of {len(results)} pages within both "
            f"(floor p50 {floor.p50_ms:.1f} ms over the whole run, {floors[0]:.1f}–"
            f"{floors[-1]:.1f} ms just before the pages; the highest p50 ratio {worst:.1f})."
        )
        if over:
            over.sort(key=lambda item: -item[1])
            shown = "; ".join(f"{name} {p50:.1f}× / {p95:.1f}×" for name, p50, p95 in over)
            lines.append(f"  Over (p50 / floor p50, p95 / floor p50): {shown}.")
    return [
        f"**1. Pages** (p50 ≤ {PAGE_P50_TARGET:g}× and p95 ≤ {PAGE_P95_TARGET:g}× the floor's "
        f"p50) — {_met(all_ok)}.",
        *lines,
        "",
    ]


def _per_scale(runs, key: str, describe) -> list[str]:
    return [describe(scale, data[key]) for scale, data, _r, _f in runs if data.get(key)]


def targets_report(runs: list[tuple[int, dict, list[Any], Any]]) -> list[str]:
    lines = ["## Targets of issue 17 (this run)", ""]
    lines += _pages(runs)

    aggregation = _per_scale(
        runs,
        "aggregation",
        lambda scale, a: (scale, a["ratio"]),
    )
    if aggregation:
        ok = all(ratio <= AGGREGATION_TARGET for _s, ratio in aggregation)
        lines += [
            f"**2. Aggregation** (≤ {AGGREGATION_TARGET:g}× one `INSERT … SELECT … GROUP BY`) — "
            f"{_met(ok)}: "
            + ", ".join(f"{scale}× {ratio:.1f}×" for scale, ratio in aggregation)
            + ".",
            "",
        ]

    pdf = []
    for scale, data, _r, _f in runs:
        report = data.get("report") or {}
        if "ratio_chromium" in report:
            pdf.append((f"{scale}× report", report["ratio_chromium"], report["peak_kb"] / 1024))
        if documents := data.get("documents"):
            pdf.append(
                (
                    f"{scale}× document set",
                    documents["ratio_time"],
                    documents["weasyprint_peak_kb"] / 1024,
                )
            )
    if pdf:
        ok = all(ratio <= PDF_TARGET and peak <= PDF_PEAK_MB for _n, ratio, peak in pdf)
        lines += [
            f"**3. PDFs** (≤ {PDF_TARGET:g}× headless Chromium, peak ≤ {PDF_PEAK_MB} MB) — "
            f"{_met(ok)}: "
            + "; ".join(f"{name} {ratio:.2f}×, peak {peak:.0f} MB" for name, ratio, peak in pdf)
            + ".",
            "",
        ]

    exports = _per_scale(
        runs, "exports", lambda scale, e: (scale, e["ratio"], e["peak_mb"], e.get("worst", ""))
    )
    uploads = _per_scale(runs, "excel", lambda scale, e: (scale, e["ratio"]))
    if exports or uploads:
        ok = all(r <= EXPORT_TARGET for _s, r, _p, _w in exports) and all(
            r <= UPLOAD_TARGET for _s, r in uploads
        )
        parts = [
            f"export {s}× {r:.1f}× (the highest ratio{f', {w}' if w else ''}; peak {p:.1f} MB)"
            for s, r, p, w in exports
        ]
        parts += [f"upload {s}× {r:.1f}×" for s, r in uploads]
        lines += [
            f"**4. Exports and imports** (export ≤ {EXPORT_TARGET:g}× openpyxl write-only, "
            f"upload ≤ {UPLOAD_TARGET:g}× openpyxl read-only) — {_met(ok)}: "
            + "; ".join(parts)
            + ".",
            "",
        ]

    weights = _per_scale(runs, "weight", lambda scale, w: (scale, w))
    if weights:
        ok = all(all(w["met"].values()) for _s, w in weights)
        lines += [
            f"**5. Weight** — {_met(ok)}: "
            + "; ".join(
                f"{s}× first visit {w['first_visit']['kb']:.0f} KB "
                f"(≤ {w['first_visit_budget_kb']}), signed-in page {w['signed_in']['kb']:.0f} KB "
                f"(≤ {w['signed_in_budget_kb']}), {len(w['outside'])} requests outside"
                for s, w in weights
            )
            + ".",
            "",
        ]

    load = [
        (scale, data["journeys"]["total"], floor.p50_ms)
        for scale, data, _r, floor in runs
        if data.get("journeys") and floor.p50_ms
    ]
    if load:
        ok = all(t["errors"] == 0 and t["p95_ms"] / f <= LOAD_P95_TARGET for _s, t, f in load)
        lines += [
            f"**6. Load** (0 errors, p95 ≤ {LOAD_P95_TARGET:g}× the floor) — {_met(ok)}: "
            + "; ".join(
                f"{s}× {t['errors']} errors, p95 {t['p95_ms'] / f:.1f}×" for s, t, f in load
            )
            + ".",
            "",
        ]
    return lines
