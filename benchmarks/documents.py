"""The tender's document set at the scale of the data (benchmarks/generate_tender.py: every
municipality under both lots), rendered as the worker renders it and printed by headless
Chromium from the same HTML, in the same run.

WeasyPrint: a child process (``--render``) does what a fresh worker process does: Django, one
render of the bare document layout (``pdf/base.html``) to load fonts and stylesheet (timed, not
counted), then ``document_render`` — the worker's task: claim, ``render_version``, store the
file — for each queued version of the tender in the set's order, timed one by one. Before each
document the process's peak RSS (VmHWM) is reset (``/proc/self/clear_refs``), so each row has
the peak of the process while that document was made; the process's peak is the highest of
these and of the peak before the first document (Django and the warm-up). The
bare layout is rendered once more after the set, warm, as a floor. Then (untimed) the child
writes each PDF and the HTML WeasyPrint got (``render_html`` of the same template and context),
its static URLs pointing at the collected static files.

Chromium: the parent prints each HTML file with ``chromium --headless --print-to-pdf`` (the
binary found as the browser tests find it: ``$CHROMIUM``, ``chromium`` or ``chromium-browser``),
one launch per document with a fresh profile, its launch included in the time. Its memory is
sampled every 20 ms: the RSS of every process in its tree (browser, zygotes, renderer, GPU and
utility processes), summed; the peak of that sum. Summing counts shared pages once per process,
so it is an upper bound of what Chromium needs.

The documents' versions are then done, so the tender can be published
(``python -m benchmarks.generate_tender --publish``).

``python -m benchmarks.documents [--out result.json]``; ``python -m benchmarks`` runs it once
per scale, before the pages, and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

from benchmarks.timing import page_count

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from benchmarks.generate_tender import TENDER_REFERENCE  # noqa: E402
from portal.pdf import render_html, render_pdf  # noqa: E402
from tenders.documents.render import (  # noqa: E402
    TEMPLATES,
    extension,
    pdf_context,
    render_version,
)
from tenders.models import DocumentVersion  # noqa: E402
from tenders.models.documents import DOCUMENT_SET_KINDS  # noqa: E402
from tenders.services.documents import document_render  # noqa: E402

BASE = Path(__file__).resolve().parent.parent
FLOOR_TEMPLATE = "pdf/base.html"
FLOOR = "floor"
SAMPLE_SECONDS = 0.02
# As the production worker (docker-compose.yml: ``--concurrency 2``).
WORKER_PROCESSES = 2
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    # Tagged, as WeasyPrint's (portal.pdf renders with pdf_tags=True).
    "--export-tagged-pdf",
]


def status_kb(field: str) -> int:
    """A memory field of this process (VmRSS, VmHWM) in KB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def static_html(html: str, directory: Path) -> str:
    """``html`` with its static URLs relative to ``directory``, where ``static`` links to the
    collected static files (the files WeasyPrint's fetcher serves)."""
    link = directory / "static"
    if not link.exists():
        link.symlink_to(Path(settings.STATIC_ROOT).resolve(), target_is_directory=True)
    return html.replace(f'="{settings.STATIC_URL}', '="static/')


def _process_start() -> None:
    reset_peak()


def _render_job(version: DocumentVersion) -> tuple[int, int]:
    """One document in a process of the pool: its pid and the process's peak so far."""
    render_version(version)
    return os.getpid(), status_kb("VmHWM")


def render_set_in_processes(versions: list[DocumentVersion]) -> dict:
    """The set on ``WORKER_PROCESSES`` processes forked from this one, one job per document:
    the wall time of the whole set and each process's peak RSS."""
    from django.db import connections

    connections.close_all()  # a forked process must not share this one's connection
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(WORKER_PROCESSES, initializer=_process_start) as pool:
        results = pool.map(_render_job, versions, chunksize=1)
    seconds = time.perf_counter() - started
    peaks: dict[int, int] = {}
    for pid, peak in results:
        peaks[pid] = max(peaks.get(pid, 0), peak)
    return {"processes": WORKER_PROCESSES, "seconds": seconds, "peaks_kb": sorted(peaks.values())}


def render_set(directory: Path) -> dict:
    """The child: the warm-up, each queued document of the tender, the warm floor, then the
    PDFs and the HTML for Chromium into ``directory``."""
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    render_pdf(FLOOR_TEMPLATE, {})
    warm_up = time.perf_counter() - started
    order = {kind: n for n, kind in enumerate(DOCUMENT_SET_KINDS)}
    versions = sorted(
        DocumentVersion.objects.filter(
            document__tender__reference=TENDER_REFERENCE, status=DocumentVersion.Status.QUEUED
        ).select_related("document"),
        key=lambda v: order[v.document.kind],
    )
    if len(versions) != len(order):
        raise RuntimeError(f"expected {len(order)} queued documents, found {len(versions)}")
    before, start_peak = status_kb("VmRSS"), status_kb("VmHWM")
    rows = []
    for version in versions:
        reset_peak()
        started = time.perf_counter()
        document_render(version_id=version.pk)
        rows.append(
            {
                "kind": version.document.kind,
                "seconds": time.perf_counter() - started,
                "peak_kb": status_kb("VmHWM"),
            }
        )
    started = time.perf_counter()
    floor_pdf = render_pdf(FLOOR_TEMPLATE, {})
    floor = time.perf_counter() - started
    in_processes = render_set_in_processes(versions)
    (directory / f"{FLOOR}.pdf").write_bytes(floor_pdf)
    (directory / f"{FLOOR}.html").write_text(
        static_html(render_html(FLOOR_TEMPLATE, {}), directory)
    )
    for version in versions:
        version.refresh_from_db()
        if version.status != DocumentVersion.Status.DONE:
            raise RuntimeError(f"{version.document.kind}: {version.status} {version.error}")
        kind = version.document.kind
        with version.file.open("rb") as handle:
            (directory / f"{kind}.{extension(kind)}").write_bytes(handle.read())
        if kind in TEMPLATES:
            html = render_html(TEMPLATES[kind], pdf_context(version))
            (directory / f"{kind}.html").write_text(static_html(html, directory))
    return {
        "warm_up_seconds": warm_up,
        "floor_seconds": floor,
        "rss_before_kb": before,
        "start_peak_kb": start_peak,
        "documents": rows,
        "in_processes": in_processes,
    }


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (in parentheses) may contain spaces; the parent pid follows it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def tree_rss_kb(root: int) -> int:
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total = 0
    for pid in descendants(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_kb
        except (OSError, IndexError, ValueError):
            continue
    return total


def chromium_path() -> str:
    """As the browser tests find it (tests/browser/fixtures.py)."""
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError("Chromium is needed for the document benchmark: run `make install`.")
    return path


def chromium_print(html: Path, pdf: Path) -> dict:
    """Print ``html`` to ``pdf`` with a fresh headless Chromium: the time from launch to exit
    and the peak of its process tree's summed RSS, sampled."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            chromium_path(),
            *CHROMIUM_ARGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    if process.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"Chromium could not print {html.name} ({process.returncode})")
    return {"seconds": seconds, "peak_kb": peak}


def pdf_facts(path: Path) -> dict:
    content = path.read_bytes()
    return {"pages": page_count(content), "kb": len(content) / 1024}


def compare(directory: Path, kind: str, seconds: float, peak_kb: int | None) -> dict:
    """One document as WeasyPrint made it, next to Chromium printing its HTML (PDFs only)."""
    output = directory / f"{kind}.{extension(kind)}"
    weasyprint = {"seconds": seconds, "peak_kb": peak_kb, "kb": output.stat().st_size / 1024}
    row: dict = {"kind": kind, "weasyprint": weasyprint}
    html = directory / f"{kind}.html"
    if html.exists():
        weasyprint.update(pdf_facts(output))
        printed = directory / f"{kind}.chromium.pdf"
        row["chromium"] = {**chromium_print(html, printed), **pdf_facts(printed)}
    return row


def bench() -> dict:
    """The child renders, the parent measures it and prints the same HTML with Chromium."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        subprocess.run(
            [sys.executable, "-m", "benchmarks.documents", "--render", name], cwd=BASE, check=True
        )
        rendered = json.loads((directory / "rendered.json").read_text())
        rows = [
            compare(directory, row["kind"], row["seconds"], row["peak_kb"])
            for row in rendered["documents"]
        ]
        floor = compare(directory, FLOOR, rendered["floor_seconds"], None)
    pdfs = [row for row in rows if "chromium" in row]
    weasyprint_total = sum(row["weasyprint"]["seconds"] for row in pdfs)
    chromium_total = sum(row["chromium"]["seconds"] for row in pdfs)
    chromium_peak = max(row["chromium"]["peak_kb"] for row in pdfs)
    weasyprint_peak = max(
        rendered["start_peak_kb"], *(row["weasyprint"]["peak_kb"] for row in rows)
    )
    return {
        "reference": TENDER_REFERENCE,
        "authorities": _authorities(),
        "documents": rows,
        "floor": floor,
        "set_seconds": sum(row["weasyprint"]["seconds"] for row in rows),
        "weasyprint_pdf_seconds": weasyprint_total,
        "chromium_pdf_seconds": chromium_total,
        "ratio_time": weasyprint_total / chromium_total,
        "warm_up_seconds": rendered["warm_up_seconds"],
        "rss_before_kb": rendered["rss_before_kb"],
        "weasyprint_peak_kb": weasyprint_peak,
        "chromium_peak_kb": chromium_peak,
        "ratio_memory": weasyprint_peak / chromium_peak,
        "in_processes": rendered["in_processes"],
        "ratio_time_in_processes": rendered["in_processes"]["seconds"] / chromium_total,
    }


def _authorities() -> int:
    from tenders.models import LotAuthority, Tender

    tender = Tender.objects.get(reference=TENDER_REFERENCE)
    return LotAuthority.objects.filter(snapshot_id=tender.snapshot_id).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--render", help="(the child) render into this directory")
    args = parser.parse_args()
    if args.render:
        directory = Path(args.render)
        result = render_set(directory)
        (directory / "rendered.json").write_text(json.dumps(result))
        return
    text = json.dumps(bench(), indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
