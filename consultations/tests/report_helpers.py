"""The world of the anonymised-report tests (the browser test uses it too): a closed
consultation answered by three suppliers and one draft, with names, numbers, addresses and
people that must never reach the report; the reviews of its open answers; report versions in
a given state; and the checks that a text or a PDF names nobody.

The test modules import the fixtures below as ``from ... import name as name``: pytest finds
a fixture by its name in the module, and the redundant alias marks the import as used."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.models import Answer, AnswerReview, ConsultationReport
from consultations.services import consultation as consultations
from consultations.services import report as services
from consultations.services import responses
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import Organisation, Role
from suppliers.models import SupplierProfile
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

R = ConsultationReport.Status
SLUG = "mc-verslag"
MANAGE = f"/marktconsultaties/{SLUG}/beheer"
PUBLIC = f"/marktconsultaties/{SLUG}"

# Three suppliers that submit and one that leaves a draft, with names, numbers, addresses and
# people that must never reach the report.
SUPPLIERS = [
    {
        "key": "zilvermeeuw",
        "name": "Zilvermeeuw Computers B.V.",
        "kvk": "81234567",
        "email": "jolien@zilvermeeuw.nl",
        "person": "Jolien Zeegers-Vermaat",
        "answers": {
            "rol": "Fabrikant",
            "keurmerk": ["TCO Certified", "EPEAT"],
            "refurb": "ja",
            "levertijd": "10",
            "vanaf": "01-03-2027",
            "naam": "Zilvermeeuw Book 14",
            "visie": "Zilvermeeuw Computers ziet circulaire laptops als de toekomst. "
            "Mail jolien@zilvermeeuw.nl of bel ons.",
        },
        "prices": ("850,00", "1.200,00"),
        "file": True,
    },
    {
        "key": "kraanvogel",
        "name": "Kraanvogel ICT Diensten B.V.",
        "kvk": "72345678",
        "email": "bram@kraanvogel-ict.nl",
        "person": "Bram Kwakernaak",
        "answers": {
            "rol": "Reseller",
            "keurmerk": ["TCO Certified"],
            "refurb": "nee",
            "levertijd": "20",
            "vanaf": "01-06-2027",
            "naam": "Kraanvogel Desk",
            "visie": "Bij Kraanvogel ICT Diensten (KvK 72345678) leveren we binnen tien dagen.",
        },
        "prices": ("900", ""),
        "file": False,
    },
    {
        "key": "roerdomp",
        "name": "Roerdomp Refurbished B.V.",
        "kvk": "63456789",
        "email": "info@roerdomp-refurbished.nl",
        "person": "Ria Rietveld-Oosterbroek",
        "answers": {
            "rol": "Fabrikant",
            "keurmerk": ["TCO Certified", "Energielabel A"],
            "refurb": "ja",
            "levertijd": "15,5",
            "vanaf": "01-04-2027",
            "visie": "Roerdomp Refurbished geeft laptops een tweede leven.",
        },
        "prices": ("700", "1000"),
        "file": True,
    },
]
DRAFT_SUPPLIER = {
    "key": "grutto",
    "name": "Grutto Hardware B.V.",
    "kvk": "54567890",
    "email": "gert@grutto-hardware.nl",
    "person": "Gert Gruttering",
    "answers": {"rol": "Reseller", "refurb": "nee", "levertijd": "99"},
}
# What the project team publishes of the open answers (None: left out).
REVIEWS = {
    ("zilvermeeuw", "visie"): "Wij zien circulaire laptops als de toekomst.",
    ("kraanvogel", "visie"): "Wij leveren binnen tien dagen.",
    ("roerdomp", "visie"): None,
    ("zilvermeeuw", "naam"): "Een laptop van 14 inch.",
    ("kraanvogel", "naam"): None,
}


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    # With a worker, both processes already share the worker fixture's media directory.
    if "celery_worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def make_supplier(data: dict) -> dict:
    organisation = OrganisationFactory(
        name=data["name"], slug=data["key"], kind=Organisation.Kind.SUPPLIER
    )
    SupplierProfile.objects.create(
        organisation=organisation,
        kvk_number=data["kvk"],
        street="Havenweg",
        house_number="1",
        postcode="1234 AB",
        city="Zwolle",
        verification_status="verified",
    )
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(email=data["email"], name=data["person"]),
    ).user
    return {**data, "organisation": organisation, "user": user}


def build_consultation(actor):
    catalog_load_reference()
    programme = Programme.objects.create(
        slug="gt-verslag", name="GT Hardware – werkplek", contract_start_year=2028
    )
    now = timezone.now()
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek 2028",
        slug=SLUG,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    version = consultation.versions.get()
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "slug")[:2])
    add = consultations.question_add
    organisation = consultations.section_add(actor=actor, version=version, title="Uw organisatie")
    delivery = consultations.section_add(actor=actor, version=version, title="Levering")
    vision = consultations.section_add(actor=actor, version=version, title="Visie")
    for section, kwargs in [
        (organisation, {"type": "single_choice", "text": "Wat is uw rol?", "key": "rol",
                        "options": ["Fabrikant", "Reseller", "Refurbisher"]}),
        (organisation, {"type": "multiple_choice", "text": "Welke keurmerken?", "key": "keurmerk",
                        "options": ["TCO Certified", "EPEAT", "Energielabel A"]}),
        (organisation, {"type": "yes_no", "text": "Levert u refurbished?", "key": "refurb"}),
        (delivery, {"type": "number", "text": "Levertijd?", "key": "levertijd",
                    "unit": "werkdagen"}),
        (delivery, {"type": "date", "text": "Leverbaar vanaf?", "key": "vanaf"}),
        (delivery, {"type": "price_per_item", "text": "Indicatieve prijs?", "key": "prijs",
                    "categories": categories, "required": False}),
        (delivery, {"type": "file", "text": "Uw brochure", "key": "brochure", "required": False}),
        (vision, {"type": "short_text", "text": "Naam van uw product?", "key": "naam",
                  "required": False}),
        (vision, {"type": "long_text", "text": "Wat is uw visie?", "key": "visie",
                  "max_length": 2000}),
    ]:  # fmt: skip
        add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    consultation = consultations.consultation_publish(actor=actor, consultation=consultation)
    return consultation, categories


def answer(consultation, supplier: dict, categories, *, submit: bool = True):
    user = supplier["user"]
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    data = dict(supplier["answers"])
    if "prices" in supplier:
        data["prijs"] = {str(c.pk): p for c, p in zip(categories, supplier["prices"], strict=True)}
    responses.response_save(actor=user, response=response, answers=data)
    if supplier.get("file"):
        Answer.objects.create(
            response=response,
            question_key="brochure",
            file=ContentFile(MINIMAL_PDF, name=f"brochure-{supplier['key']}.pdf"),
        )
    if submit:
        responses.response_submit(actor=user, response=response)
    return response


def close(consultation, actor):
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultations.consultation_close(actor=actor, consultation=consultation)


def review_all(consultation, actor, reviews=REVIEWS):
    for (key, question_key), text in reviews.items():
        found = Answer.objects.get(
            response__consultation=consultation,
            response__organisation__slug=key,
            question_key=question_key,
        )
        AnswerReview.objects.create(
            answer=found, include=text is not None, redacted_text=text or "", reviewed_by=actor
        )


@pytest.fixture
def world(project_team_user):
    """A closed consultation answered by three suppliers (and one draft), not yet reviewed."""
    consultation, categories = build_consultation(project_team_user)
    suppliers = {s["key"]: make_supplier(s) for s in [*SUPPLIERS, DRAFT_SUPPLIER]}
    for data in SUPPLIERS:
        answer(consultation, suppliers[data["key"]], categories)
    answer(consultation, suppliers["grutto"], categories, submit=False)
    close(consultation, project_team_user)
    return {"consultation": consultation, "suppliers": suppliers, "categories": categories}


@pytest.fixture
def reviewed(world, project_team_user):
    review_all(world["consultation"], project_team_user)
    return world


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    return " ".join(out.stdout.decode("utf-8").split())


def forbidden_strings(world) -> list[str]:
    """Everything that identifies a supplier or its people, and the unredacted answers."""
    found = []
    for supplier in world["suppliers"].values():
        found += [
            supplier["name"],
            supplier["name"].split()[0],  # "Zilvermeeuw"
            supplier["kvk"],
            supplier["email"],
            supplier["person"],
            supplier["key"],
        ]
        for key in ("visie", "naam"):
            if key in supplier["answers"]:
                found.append(supplier["answers"][key])
    return found


def assert_anonymous(text: str, world) -> None:
    lowered = text.casefold()
    leaks = [s for s in forbidden_strings(world) if s.casefold() in lowered]
    assert not leaks, f"The report discloses: {leaks}"
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text), "an e-mail address"
    assert "brochure-" not in lowered  # no file names either


def done_report(consultation, number: int, actor) -> ConsultationReport:
    report = ConsultationReport(
        consultation=consultation,
        number=number,
        status=R.DONE,
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
        requested_by=actor,
        generated_at=timezone.now(),
    )
    report.file.save("verslag.pdf", ContentFile(MINIMAL_PDF), save=False)
    report.save()
    return report


NOTE_REQUIRED = "Geef aan wat er in deze versie anders is."


def failed_report(consultation, actor) -> ConsultationReport:
    """A version whose last attempt failed (as the task leaves it)."""
    report = services.report_request(actor=actor, consultation=consultation)
    services.report_mark_failed(report_id=report.pk, error="OSError: WeasyPrint gave up")
    report.refresh_from_db()
    assert report.status == R.FAILED
    return report
