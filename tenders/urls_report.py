"""URLs: The anonymised report of a market consultation."""

from django.urls import path

from tenders import views_report

urlpatterns: list = [
    path(
        "marktconsultaties/<slug:consultation>/verslag/maken",
        views_report.report_generate,
        name="report-generate",
    ),
    path(
        "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/status",
        views_report.report_status,
        name="report-status",
    ),
    path(
        "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/download",
        views_report.report_download,
        name="report-download",
    ),
    path(
        "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/opnieuw",
        views_report.report_retry,
        name="report-retry",
    ),
    path(
        "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/publiceren",
        views_report.report_publish,
        name="report-publish",
    ),
    path(
        "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/intrekken",
        views_report.report_unpublish,
        name="report-unpublish",
    ),
]
