"""Rendering one version of a tender document from its stored inputs: a tagged PDF in Dutch
(WeasyPrint, ``portal.pdf``) or, for the prijzenblad, an Excel workbook (``pricesheet``).
Used by the worker only."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from portal.charts import PALETTE, Bar, horizontal_bar_chart
from tenders.documents.pricesheet import price_sheet_xlsx
from tenders.models import DocumentVersion, TenderDocument

K = TenderDocument.Kind
TEMPLATES: dict[str, str] = {
    K.LEIDRAAD: "pdf/tender/leidraad.html",
    K.AUTHORITIES: "pdf/tender/authorities.html",
    K.VOLUMES: "pdf/tender/volumes.html",
    K.REQUIREMENTS: "pdf/tender/requirements.html",
    K.AGREEMENT: "pdf/tender/agreement.html",
    K.NVI: "pdf/tender/nvi.html",
}
# File names (Dutch, as the documents): "<name>-<reference>-v<number>.<extension>".
NAMES: dict[str, str] = {
    K.LEIDRAAD: "aanbestedingsleidraad",
    K.AUTHORITIES: "bijlage-deelnemende-aanbestedende-diensten",
    K.VOLUMES: "bijlage-volumes",
    K.REQUIREMENTS: "programma-van-eisen",
    K.AGREEMENT: "concept-raamovereenkomst",
    K.PRICE_SHEET: "prijzenblad",
    K.NVI: "nota-van-inlichtingen",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def extension(kind: str) -> str:
    return "xlsx" if kind == K.PRICE_SHEET else "pdf"


def content_type(kind: str) -> str:
    return XLSX if kind == K.PRICE_SHEET else "application/pdf"


def file_name(*, kind: str, reference: str, number: int) -> str:
    return f"{NAMES[kind]}-{reference.lower()}-v{number}.{extension(kind)}"


def volume_charts(inputs: dict[str, Any]) -> dict[int, SafeString]:
    """Per lot a bar chart of the estimated and the maximum quantity per contract year."""
    charts = {}
    for lot in inputs["lots"]:
        bars = []
        for row in lot["rows"]:
            if row["year"] == 0:
                continue
            bars.append(Bar(f"{row['year']} geschat", row["quantity"], PALETTE["blue"]))
            bars.append(Bar(f"{row['year']} maximum", row["maximum_quantity"], PALETTE["orange"]))
        charts[lot["number"]] = horizontal_bar_chart(
            chart_id=f"volumes-lot-{lot['number']}",
            title=f"Hoeveelheden per jaar, perceel {lot['number']}",
            description=(
                f"Geschatte en maximale hoeveelheid per contractjaar voor perceel "
                f"{lot['number']} ({lot['title']})."
            ),
            bars=bars,
        )
    return charts


def pdf_context(version: DocumentVersion) -> dict[str, Any]:
    """The template context of a PDF document's ``version``, from its stored inputs (its
    template is ``TEMPLATES[kind]``)."""
    inputs = version.inputs
    context: dict[str, Any] = {"doc": inputs, "version": version}
    kind = version.document.kind
    if kind == K.VOLUMES:
        charts = volume_charts(inputs)
        context["lots"] = [{**lot, "chart": charts[lot["number"]]} for lot in inputs["lots"]]
    elif kind == K.AUTHORITIES:
        context["lots"] = inputs["lots"]
    return context


def render_version(version: DocumentVersion) -> bytes:
    """The content of ``version``: the same inputs give the same document."""
    from portal.pdf import render_pdf

    kind = version.document.kind
    if kind == K.PRICE_SHEET:
        return price_sheet_xlsx(version.inputs, created=version.requested_at)
    return render_pdf(TEMPLATES[kind], pdf_context(version))
