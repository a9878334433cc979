"""Rendering one version of a tender document from its stored inputs: a tagged PDF in Dutch
(WeasyPrint, ``portal.pdf``) or, for the prijzenblad, an Excel workbook (``pricesheet``).
Used by the worker only."""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from django.template.loader import get_template
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
# What a PDF is made from besides its inputs: its template and every template it extends or
# includes, the print stylesheet and the renderer (see ``version_hash``).
STYLESHEET = "pdf/document.css"
TEMPLATE_REFERENCE = re.compile(r"""{%\s*(?:extends|include)\s+["']([^"']+)["']""")


def extension(kind: str) -> str:
    return "xlsx" if kind == K.PRICE_SHEET else "pdf"


def content_type(kind: str) -> str:
    return XLSX if kind == K.PRICE_SHEET else "application/pdf"


def file_name(*, kind: str, reference: str, number: int) -> str:
    return f"{NAMES[kind]}-{reference.lower()}-v{number}.{extension(kind)}"


def _template_sources(name: str) -> list[tuple[str, bytes]]:
    """``name`` and every template it extends or includes (by a literal name), recursively,
    with their source."""
    found: dict[str, bytes] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        origin = get_template(current).origin
        source = Path(origin.name).read_bytes()
        found[current] = source
        todo += TEMPLATE_REFERENCE.findall(source.decode("utf-8"))
    return sorted(found.items())


def render_fingerprint(kind: str) -> str:
    """SHA-256 of what a document of ``kind`` is rendered with besides its inputs: for a PDF
    its templates, the print stylesheet and WeasyPrint's version; for the price sheet
    openpyxl's version. Read from the files each time (a request reads a few small files)."""
    from portal.pdf import static_file_path

    digest = hashlib.sha256()
    if kind == K.PRICE_SHEET:
        digest.update(f"openpyxl {package_version('openpyxl')}".encode())
        return digest.hexdigest()
    digest.update(f"weasyprint {package_version('weasyprint')}".encode())
    for name, source in _template_sources(TEMPLATES[kind]):
        digest.update(f"\0{name}\0".encode())
        digest.update(source)
    stylesheet = static_file_path(STYLESHEET)
    digest.update(f"\0{STYLESHEET}\0".encode())
    digest.update(Path(stylesheet).read_bytes() if stylesheet else b"(missing)")
    return digest.hexdigest()


def version_hash(kind: str, inputs_hash: str) -> str:
    """The hash stored with a version (``DocumentVersion.input_hash``): its inputs' hash
    (``tenders.documents.inputs.input_hash``) with ``render_fingerprint``. Equal hashes give
    the same document, so a document whose hash did not change is not rendered again; a
    changed template or stylesheet renders every document that uses it once more."""
    return hashlib.sha256(f"{inputs_hash}:{render_fingerprint(kind)}".encode()).hexdigest()


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
