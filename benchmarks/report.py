"""Time the anonymised report of the closed benchmark consultation (data from
benchmarks/generate.py) in the database of the current settings, in process:
``report_request`` (the review check, the disclosure check and the pseudonyms) and
``report_render`` (the document's context and WeasyPrint), with the PDF's page count and size.
Next to it a floor measured in the same run and process: ``portal.pdf.render_pdf`` of the bare
document layout (``pdf/base.html``: the same stylesheet and fonts, one page), the least any
generated PDF costs.

Each run happens in a transaction that is rolled back, so every run starts from the same data
and no render task is queued (the commit that would queue it never happens); the stored PDF is
deleted again. A first floor render warms WeasyPrint and is not counted; the last run also
times the parts of ``report_render`` (context, HTML, WeasyPrint) once more on their own.

Next to it, in the same run: headless Chromium printing the same HTML (the HTML of the last
run, its stylesheet from the same collected static files), one launch, its launch included, and
the peak of its process tree's summed RSS, as the document benchmark does it
(``benchmarks.documents.chromium_print``). The process's own peak RSS (VmHWM) is reset in the
last run after the request, so *peak MB* is this process's peak while the worker's part, the
render, ran (Django and what the request left in memory included).

``python -m benchmarks.report [--runs 5] [--out result.json]``; ``python -m benchmarks`` runs it
once per scale and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

import django

from benchmarks.timing import cli, page_count, summary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.documents import (  # noqa: E402
    chromium_print,
    pdf_facts,
    reset_peak,
    static_html,
    status_kb,
)
from benchmarks.generate_consultation import CLOSED_SLUG  # noqa: E402
from consultations.models import Answer, AnswerReview, Consultation, ConsultationResponse
from consultations.selectors.report_document import TEMPLATE, report_context
from consultations.services.report import report_render, report_request
from portal.models import User  # noqa: E402
from portal.pdf import render_html, render_pdf  # noqa: E402

ACTOR = "0@projectteam.bench.nl"
FLOOR_TEMPLATE = "pdf/base.html"


class Rollback(Exception):
    pass


def one_run(consultation: Consultation, actor: User, *, breakdown: bool) -> dict:
    """Request and render one report version inside a transaction that is rolled back."""
    result: dict = {}
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as request_queries:
                started = time.perf_counter()
                report = report_request(actor=actor, consultation=consultation)
                requested = time.perf_counter()
            if breakdown:
                # The worker renders; the request is made in the web process.
                reset_peak()
            with CaptureQueriesContext(connection) as render_queries:
                report = report_render(report_id=report.pk)
                rendered = time.perf_counter()
            name = report.file.name
            with report.file.open("rb") as handle:
                pdf = handle.read()
            report.file.storage.delete(name)
            result.update(
                request=requested - started,
                render=rendered - requested,
                total=rendered - started,
                request_queries=len(request_queries.captured_queries),
                render_queries=len(render_queries.captured_queries),
                pdf_bytes=len(pdf),
                pages=page_count(pdf),
            )
            if breakdown:
                result["peak_kb"] = status_kb("VmHWM")
                # The parts of report_render: the context (queries, statistics, charts and the
                # disclosure check again), the HTML, and WeasyPrint.
                started = time.perf_counter()
                context = report_context(report=report)
                contextualised = time.perf_counter()
                result["html_text"] = render_html(TEMPLATE, context)
                html = time.perf_counter()
                render_pdf(TEMPLATE, context)
                pdf_done = time.perf_counter()
                result.update(
                    context=contextualised - started,
                    html=html - contextualised,
                    weasyprint=(pdf_done - html) - (html - contextualised),
                )
            raise Rollback
    except Rollback:
        pass
    return result


def bench(runs: int) -> dict:
    """Render under the settings the server runs with (production: the collected, hashed
    static files); a document that cannot be rendered fails the benchmark."""
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    render_pdf(FLOOR_TEMPLATE, {})
    return measure(runs)


def measure(runs: int) -> dict:
    consultation = Consultation.objects.get(slug=CLOSED_SLUG)
    actor = User.objects.get(email=ACTOR)
    samples: list[dict] = []
    floor: list[float] = []
    floor_pages = floor_bytes = 0
    # The first floor render warms WeasyPrint (fonts, stylesheet) and is not counted; the
    # report runs are all counted (at 10x one takes minutes).
    for n in range(runs + 1):
        started = time.perf_counter()
        floor_pdf = render_pdf(FLOOR_TEMPLATE, {})
        floor.append(time.perf_counter() - started)
        floor_pages, floor_bytes = page_count(floor_pdf), len(floor_pdf)
        if n:
            samples.append(one_run(consultation, actor, breakdown=n == runs))
    floor = floor[1:]
    last = samples[-1]
    submitted = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    ).count()
    result = {
        "runs": runs,
        "responses": submitted,
        "answers": Answer.objects.filter(
            response__consultation=consultation,
            response__status=ConsultationResponse.Status.SUBMITTED,
        ).count(),
        "reviews": AnswerReview.objects.filter(answer__response__consultation=consultation).count(),
        "included": AnswerReview.objects.filter(
            answer__response__consultation=consultation, include=True
        ).count(),
        "pages": last["pages"],
        "pdf_kb": last["pdf_bytes"] / 1024,
        "request_queries": last["request_queries"],
        "render_queries": last["render_queries"],
        "floor_pages": floor_pages,
        "floor_kb": floor_bytes / 1024,
    }
    for key in ("request", "render", "total"):
        result[key] = summary([s[key] for s in samples])
    for key in ("context", "html", "weasyprint"):  # measured in the last run only
        result[key] = {"median_ms": last[key] * 1000, "p95_ms": None}
    result["floor"] = summary(floor)
    result["ratio"] = result["total"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    result["peak_kb"] = last["peak_kb"]
    result["chromium"] = chromium(last["html_text"])
    result["ratio_chromium"] = result["render"]["median_ms"] / 1000 / result["chromium"]["seconds"]
    return result


def chromium(html: str) -> dict:
    """Headless Chromium printing ``html`` (launch included), with its pages and size."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        page = directory / "report.html"
        page.write_text(static_html(html, directory))
        printed = directory / "report.chromium.pdf"
        return {**chromium_print(page, printed), **pdf_facts(printed)}


def main() -> None:
    cli(bench, description=__doc__, runs=5)


if __name__ == "__main__":
    main()
