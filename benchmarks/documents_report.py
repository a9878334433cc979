"""The document benchmark (benchmarks/documents.py) in BENCHMARKS.md and on the console; no
Django here (the page benchmark imports it)."""

from __future__ import annotations

LABELS = {
    "leidraad": "Aanbestedingsleidraad",
    "authorities": "Annex of participating authorities",
    "volumes": "Volume annex",
    "requirements": "Programma van eisen",
    "agreement": "Draft framework agreement",
    "price_sheet": "Prijzenblad (Excel, no Chromium counterpart)",
    "floor": "**Floor: the bare layout (`pdf/base.html`), warm**",
}


def mb(kb: float | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f}"


def documents_line(documents: dict) -> str:
    return (
        f"{documents['authorities']} authorities: the set in "
        f"{documents['set_seconds']:.1f} s, peak RSS {mb(documents['weasyprint_peak_kb'])} MB; "
        f"the PDFs {documents['weasyprint_pdf_seconds']:.1f} s against Chromium "
        f"{documents['chromium_pdf_seconds']:.1f} s (ratio {documents['ratio_time']:.2f}), "
        f"Chromium's peak {mb(documents['chromium_peak_kb'])} MB"
    )


def _row(row: dict) -> str:
    weasyprint, chromium = row["weasyprint"], row.get("chromium")
    cells = [
        LABELS.get(row["kind"], row["kind"]),
        str(weasyprint.get("pages", "–")),
        f"{weasyprint['kb']:.0f}",
        f"{weasyprint['seconds'] * 1000:.0f}",
        mb(weasyprint["peak_kb"]),
    ]
    if chromium:
        cells += [
            str(chromium["pages"]),
            f"{chromium['kb']:.0f}",
            f"{chromium['seconds'] * 1000:.0f}",
            mb(chromium["peak_kb"]),
            f"{weasyprint['seconds'] / chromium['seconds']:.2f}",
        ]
    else:
        cells += ["–"] * 5
    return "| " + " | ".join(cells) + " |"


def documents_report(documents: dict) -> list[str]:
    """The document set next to Chromium, one row per document, then the totals."""
    lines = [
        f"Tender document set of `{documents['reference']}` ({documents['authorities']} "
        "authorities: every municipality under both lots), one run. WeasyPrint: "
        "`document_render` (the worker's task: claim, `render_version`, store) of each "
        "document in a fresh child process after one warm-up render (the bare layout, "
        f"{documents['warm_up_seconds'] * 1000:.0f} ms, not counted); *peak MB* is the "
        "process's peak RSS while that document was made (VmHWM, reset before each document; "
        f"the process held {mb(documents['rss_before_kb'])} MB before the first). Chromium: "
        "`chromium --headless --print-to-pdf` of the HTML WeasyPrint got (its stylesheet from "
        "the same collected static files), one launch per document, launch included; *peak "
        "MB* is the highest sum of the RSS of its process tree, sampled every 20 ms (shared "
        "pages counted once per process, so an upper bound). *Ratio* = WeasyPrint ms / "
        "Chromium ms.",
        "",
        "| document | pages | KB | WeasyPrint ms | peak MB | Chromium pages | Chromium KB "
        "| Chromium ms | Chromium peak MB | ratio time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(row) for row in documents["documents"]]
    lines.append(_row(documents["floor"]))
    lines += [
        "",
        f"Whole set (six documents): {documents['set_seconds'] * 1000:.0f} ms. The five PDFs: "
        f"WeasyPrint {documents['weasyprint_pdf_seconds'] * 1000:.0f} ms, Chromium "
        f"{documents['chromium_pdf_seconds'] * 1000:.0f} ms, ratio "
        f"{documents['ratio_time']:.2f}. Peak memory: the rendering process "
        f"{mb(documents['weasyprint_peak_kb'])} MB (Django and the warm-up included), "
        f"Chromium's process tree {mb(documents['chromium_peak_kb'])} MB at most, ratio "
        f"{documents['ratio_memory']:.2f}.",
        "",
    ]
    if parallel := documents.get("in_processes"):
        peaks = ", ".join(mb(kb) for kb in parallel["peaks_kb"])
        lines += [
            f"The set as the worker makes it with `--concurrency {parallel['processes']}` (one "
            f"job per document, in the order they are queued, on {parallel['processes']} "
            "processes forked from the rendering process; `render_version` only, nothing "
            f"stored): {parallel['seconds'] * 1000:.0f} ms from the first job to the last, "
            f"against Chromium's {documents['chromium_pdf_seconds'] * 1000:.0f} ms for the "
            f"five PDFs one after another (ratio {documents['ratio_time_in_processes']:.2f}); "
            f"peak RSS per process {peaks} MB.",
            "",
        ]
    return lines
