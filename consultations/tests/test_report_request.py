"""The anonymised report of a market consultation: only after closing and after every open
answer was reviewed; suppliers as fixed pseudonyms; closed questions as counts, numbers, dates
and prices as statistics, open answers only as their reviewed texts; rendered by a real worker
into a PDF that names no supplier, KvK number, e-mail address or person; one published version
at a time, public; the others the project team's alone."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.models import Answer, AnswerReview, ConsultationReport, ConsultationResponse
from consultations.selectors import report_disclosure as disclosure
from consultations.selectors import report_document as document
from consultations.services import consultation as consultations
from consultations.services import report as services
from consultations.services import responses
from consultations.tasks import report_render_task
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, Organisation, Role
from portal.pdf import render_html
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


def pdf_info(path) -> str:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout.decode("utf-8")


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


def letter_of(report, world, key) -> str:
    response = ConsultationResponse.objects.get(
        consultation=world["consultation"], organisation__slug=key
    )
    return report.pseudonyms[str(response.pk)]


# --- Rules of the request ---------------------------------------------------------------------


@pytest.mark.django_db
def test_pseudonym_letters_continue_after_z():
    assert [document.pseudonym_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_open_consultation_gets_no_report(project_team_user):
    consultation, _ = build_consultation(project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=consultation)
    assert "gesloten" in exc.value.messages[0]
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_unreviewed_open_answers_refuse_the_report_with_their_count(world, project_team_user):
    consultation = world["consultation"]
    # Five open answers of submitted responses (the draft's do not count); review two.
    review_all(consultation, project_team_user, dict(list(REVIEWS.items())[:2]))
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=consultation)
    assert exc.value.messages == [
        "3 open antwoorden zijn nog niet beoordeeld. Beoordeel alle open antwoorden voordat u "
        "het verslag maakt."
    ]
    assert not ConsultationReport.objects.exists()

    review_all(consultation, project_team_user, dict(list(REVIEWS.items())[2:]))
    report = services.report_request(actor=project_team_user, consultation=consultation)
    assert report.status == R.PENDING and report.number == 1
    event = AuditEvent.objects.get(action="consultation_report.requested")
    assert event.actor == project_team_user and event.data["responses"] == 3


@pytest.mark.django_db
def test_only_project_team_editors_request_and_publish(
    reviewed, project_team_viewer, personas, project_team_user
):
    consultation = reviewed["consultation"]
    for actor in (project_team_viewer, personas["supplier_x"].user, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.report_request(actor=actor, consultation=consultation)
    report = services.report_request(actor=project_team_user, consultation=consultation)
    ConsultationReport.objects.filter(pk=report.pk).update(status=R.DONE)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=project_team_viewer, report=report)
    report.refresh_from_db()
    assert not report.is_published


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Kraanvogel levert binnen tien dagen.",  # its own brand
        "Net als Zilvermeeuw Computers leveren wij snel.",  # another respondent
        "Bel Jolien Zeegers-Vermaat voor meer informatie.",
        "Ons KvK-nummer is 8123 4567.",
        "Mail naar iemand@example.org.",
    ],
)
def test_a_text_for_the_report_that_still_names_a_supplier_is_refused(
    world, project_team_user, text
):
    reviews = dict(REVIEWS)
    reviews[("kraanvogel", "visie")] = text
    review_all(world["consultation"], project_team_user, reviews)
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=world["consultation"])
    assert "Kraanvogel ICT Diensten B.V." in exc.value.messages[0]  # for the project team
    assert "“visie”" in exc.value.messages[0]
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_another_suppliers_brand_alone_may_be_mentioned(world, project_team_user):
    # A reseller may write which brands it sells; only the full name gives a supplier away.
    reviews = dict(REVIEWS)
    reviews[("kraanvogel", "visie")] = "Wij leveren ook laptops van Zilvermeeuw."
    review_all(world["consultation"], project_team_user, reviews)
    report = services.report_request(actor=project_team_user, consultation=world["consultation"])
    assert report.number == 1


def _disclosing_one_pattern_each(responses) -> list[tuple[int, str]]:
    """The rules of the disclosure check written out plainly, one pattern per name, number,
    person and address (too slow for thousands of suppliers): what the check must find."""
    from portal.models import Membership

    def bounded(literal):
        return re.compile(r"(?<!\w)" + re.escape(literal) + r"(?!\w)", re.I)

    def stem(name):
        stem = disclosure.LEGAL_SUFFIX_RE.sub("", (name or "").strip()).strip()
        return bounded(stem) if len(stem) >= 4 else None

    shared, own = [], {}
    organisations = [r.organisation for r in responses]
    for organisation in organisations:
        if pattern := stem(organisation.name):
            shared.append(pattern)
        words = disclosure.LEGAL_SUFFIX_RE.sub("", organisation.name.strip()).split()
        own[organisation.pk] = (
            [bounded(words[0])]
            if len(words) > 1
            and len(words[0]) >= 4
            and words[0].casefold() not in disclosure.GENERIC_NAME_WORDS
            else []
        )
        profile = organisation.supplier_profile
        for number in (profile.kvk_number, profile.foreign_registration_number, profile.vat_number):
            if number and len(number) >= 6:
                shared.append(bounded(number))
    for membership in Membership.objects.filter(organisation__in=organisations):
        if pattern := stem(membership.user.name):
            shared.append(pattern)
        shared.append(re.compile(re.escape(membership.user.email), re.I))
    found = []
    by_id = {r.pk: r for r in responses}
    for answer in Answer.objects.filter(response__in=responses, review__include=True):
        text = answer.review.redacted_text
        compact = re.sub(r"(?<=\d)[\s.](?=\d)", "", text)
        patterns = shared + own[by_id[answer.response_id].organisation_id]
        if disclosure.EMAIL_RE.search(text) or any(
            p.search(text) or p.search(compact) for p in patterns
        ):
            found.append((answer.response_id, answer.question_key))
    return sorted(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("author", "text", "disclosing"),
    [
        ("kraanvogel", "Wij leveren ook laptops van Zilvermeeuw.", False),  # another's brand
        ("zilvermeeuw", "Zilvermeeuw levert binnen een week.", True),  # its own brand
        ("kraanvogel", "Net als Roerdomp Refurbished B.V. leveren wij.", True),  # legal form
        ("kraanvogel", "ROERDOMP REFURBISHED levert ook.", True),
        ("zilvermeeuw", "Onze Roerdomp Refurbishedlijn is klaar.", False),  # part of a word
        ("roerdomp", "Onze Roerdomp Refurbishedlijn is klaar.", True),  # its brand, though
        ("kraanvogel", "Wij zijn Kraanvogel ICT Diensten.", True),
        ("kraanvogel", "Zie KvK 6345 6789.", True),  # another's KvK number, with a space
        ("kraanvogel", "Het nummer 63.45.67.89 staat erop.", True),
        ("kraanvogel", "Bestelnummer 634567891.", False),  # a longer number
        ("roerdomp", "Mail BRAM@KRAANVOGEL-ICT.NL voor meer.", True),
        ("roerdomp", "Contact: iemand.anders@example.org", True),  # any e-mail address
        ("roerdomp", "Bel Bram Kwakernaak.", True),  # a person of another supplier
        ("roerdomp", "Kwakernaak is een achternaam.", False),
        ("roerdomp", "Grutto Hardware levert ook.", False),  # a draft: not a respondent
        ("zilvermeeuw", "Btw-nummer nl123456789b01.", True),
        ("zilvermeeuw", "Registratie HRB 987654 in Duitsland.", True),
        ("zilvermeeuw", "Registratie HRB 9876543 in Duitsland.", False),
        ("zilvermeeuw", "Wij leveren 2.000 laptops per jaar.", False),
    ],
)
def test_the_disclosure_check_finds_names_numbers_and_addresses(
    world, project_team_user, author, text, disclosing
):
    SupplierProfile.objects.filter(organisation__slug="roerdomp").update(
        vat_number="NL123456789B01", foreign_registration_number="HRB 987654"
    )
    reviews = dict(REVIEWS)
    reviews[(author, "visie")] = text
    review_all(world["consultation"], project_team_user, reviews)
    responses_ = disclosure.submitted_responses(world["consultation"])
    found = sorted(
        (response.pk, answer.question_key)
        for response, answer in disclosure.disclosing_answers(responses_)
    )
    author_response = next(r for r in responses_ if r.organisation.slug == author)
    assert found == ([(author_response.pk, "visie")] if disclosing else [])
    assert found == _disclosing_one_pattern_each(responses_)
    if disclosing:
        with pytest.raises(ValidationError):
            services.report_request(actor=project_team_user, consultation=world["consultation"])
    else:
        assert (
            services.report_request(
                actor=project_team_user, consultation=world["consultation"]
            ).number
            == 1
        )


@pytest.mark.django_db
def test_the_disclosure_check_with_many_suppliers_finds_what_each_pattern_finds(
    world, project_team_user
):
    """Forty more respondents with names that share their beginnings, people and numbers;
    texts that name some of them (or almost)."""
    consultation = world["consultation"]
    type(consultation).objects.filter(pk=consultation.pk).update(
        status="published", closes_at=timezone.now() + timedelta(days=1)
    )
    consultation.refresh_from_db()
    extra = []
    for n in range(40):
        data = {
            "key": f"leverancier-{n}",
            "name": f"Leverancier {n} {'Noord' if n % 2 else 'Zuid'} B.V.",
            "kvk": f"{90_000_000 + n:08d}",
            "email": f"verkoop{n}@leverancier-{n}.nl",
            "person": f"Persoon {n} Achternaam",
            "answers": {**SUPPLIERS[0]["answers"], "naam": "Product", "visie": "Tekst."},
        }
        extra.append(data)
        answer(consultation, make_supplier(data), world["categories"])
    close(consultation, project_team_user)
    texts = [
        "Leverancier 7 Noord levert.",  # 7 is odd: its name
        "Leverancier 8 Noord levert.",  # 8 is Zuid: no name
        "Leverancier 1 levert.",  # the brand-less start of a name
        "Leverancier 12 Zuidelijk.",
        "Persoon 3 Achternaam belt.",
        "Persoon 3 Achternamen.",
        "KvK 9000 0021.",
        "KvK 900000211.",
        "Zilvermeeuw en Kraanvogel leveren.",
        "Gewoon een tekst.",
    ]
    for index, data in enumerate(extra):
        found = Answer.objects.get(
            response__consultation=consultation,
            response__organisation__slug=data["key"],
            question_key="visie",
        )
        AnswerReview.objects.create(
            answer=found,
            include=True,
            redacted_text=texts[index % len(texts)],
            reviewed_by=project_team_user,
        )
    review_all(consultation, project_team_user)
    responses_ = disclosure.submitted_responses(consultation)
    found = sorted(
        (response.pk, answer.question_key)
        for response, answer in disclosure.disclosing_answers(responses_)
    )
    assert found == _disclosing_one_pattern_each(responses_)
    assert len(found) == 3 * 4  # texts 0, 4 and 6, each reviewed for four suppliers


def test_one_regex_for_many_literals_matches_like_one_regex_each():
    words = {"abc", "abcd ef", "ab", "Jan", "Jan Jansen", "12345678", "Müller", "é-word"}
    anywhere = {"jan@example.nl", "a.b@c.nl"}
    combined = disclosure.literals_regex(words=words, anywhere=anywhere)
    texts = [
        "abcd", "abcd ef", "xabc", "ab.", "ABC!", "abcd efg", "Jan Janssen", "JAN JANSEN,",
        "jan", "janjansen", "123456789", "1234567", "(12345678)", "MÜLLER", "müllers",
        "é-word", "xé-word", "noreply@example.nl", "xa.b@c.nlx", "", "Janab",
    ]  # fmt: skip
    for text in texts:
        expected = any(
            re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, re.I) for w in words
        ) or any(re.search(re.escape(a), text, re.I) for a in anywhere)
        assert bool(combined.search(text)) == expected, text
    assert disclosure.literals_regex(words=set(), anywhere=set()) is None


@pytest.mark.django_db
def test_pseudonyms_cover_exactly_the_submitted_responses(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    submitted = ConsultationResponse.objects.filter(status="submitted")
    assert set(report.pseudonyms) == {str(pk) for pk in submitted.values_list("pk", flat=True)}
    assert sorted(report.pseudonyms.values()) == ["A", "B", "C"]
    draft = ConsultationResponse.objects.get(organisation__slug="grutto")
    assert str(draft.pk) not in report.pseudonyms


@pytest.mark.django_db
def test_pseudonyms_are_assigned_in_a_random_order(reviewed, project_team_user):
    # Not by name or by time of answering: ten requests do not all agree (chance 6^-9).
    mappings = {
        tuple(
            sorted(
                services.report_request(
                    actor=project_team_user,
                    consultation=reviewed["consultation"],
                    change_note=f"Poging {attempt}",
                ).pseudonyms.items()
            )
        )
        for attempt in range(10)
    }
    assert len(mappings) > 1
    assert list(
        ConsultationReport.objects.order_by("number").values_list("number", flat=True)
    ) == list(range(1, 11))


@pytest.mark.django_db
def test_the_context_summarises_without_identifying_anyone(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    context = document.report_context(report=report)
    questions = {q["text"]: q for section in context["sections"] for q in section["questions"]}
    assert context["respondents"] == 3
    assert context["pseudonyms"] == ["Leverancier A", "Leverancier B", "Leverancier C"]
    # The draft (Reseller, 99 werkdagen) is not counted.
    assert questions["Wat is uw rol?"]["rows"] == [
        {"label": "Fabrikant", "count": 2},
        {"label": "Reseller", "count": 1},
        {"label": "Refurbisher", "count": 0},
    ]
    assert [r["count"] for r in questions["Welke keurmerken?"]["rows"]] == [3, 1, 1]
    assert questions["Levert u refurbished?"]["rows"] == [
        {"label": "Ja", "count": 2},
        {"label": "Nee", "count": 1},
    ]
    assert questions["Levertijd?"]["stats"] == {
        "count": 3, "min": "10", "median": "15,5", "max": "20",
    }  # fmt: skip
    assert questions["Levertijd?"]["unit"] == "werkdagen"
    dates = questions["Leverbaar vanaf?"]["stats"]
    assert (str(dates["min"]), str(dates["median"]), str(dates["max"])) == (
        "2027-03-01", "2027-04-01", "2027-06-01",
    )  # fmt: skip
    first, second = questions["Indicatieve prijs?"]["prices"]
    assert (first["count"], first["min"], first["median"], first["max"]) == (
        3, "€ 700,00", "€ 850,00", "€ 900,00",
    )  # fmt: skip
    assert (second["count"], second["min"], second["median"], second["max"]) == (
        2, "€ 1.000,00", "€ 1.100,00", "€ 1.200,00",
    )  # fmt: skip
    assert questions["Uw brochure"]["files"] == 2
    zilvermeeuw = letter_of(report, reviewed, "zilvermeeuw")
    kraanvogel = letter_of(report, reviewed, "kraanvogel")
    assert questions["Wat is uw visie?"]["texts"] == sorted(
        [
            {
                "supplier": f"Leverancier {zilvermeeuw}",
                "order": (1, zilvermeeuw),
                "text": "Wij zien circulaire laptops als de toekomst.",
            },
            {
                "supplier": f"Leverancier {kraanvogel}",
                "order": (1, kraanvogel),
                "text": "Wij leveren binnen tien dagen.",
            },
        ],
        key=lambda t: t["order"],
    )
    assert [t["text"] for t in questions["Naam van uw product?"]["texts"]] == [
        "Een laptop van 14 inch."
    ]
    assert_anonymous(render_html(document.TEMPLATE, context), reviewed)


@pytest.mark.django_db
def test_rendering_is_idempotent_and_stable(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    first = services.report_render(report_id=report.pk)
    assert first.status == R.DONE and first.generated_at is not None
    content = first.file.read()
    first.file.close()
    assert content.startswith(b"%PDF-")
    assert first.sha256 == hashlib.sha256(content).hexdigest()

    again = services.report_render(report_id=report.pk)
    assert (again.file.name, again.sha256, again.generated_at) == (
        first.file.name,
        first.sha256,
        first.generated_at,
    )
    # Forced to render again (a redelivered task), the stored pseudonyms give the same bytes.
    ConsultationReport.objects.filter(pk=report.pk).update(status=R.RENDERING)
    assert services.report_render(report_id=report.pk).sha256 == first.sha256


@pytest.mark.django_db
def test_the_last_failed_attempt_marks_the_report_failed(reviewed, project_team_user, monkeypatch):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])

    def broken(template_name, context):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("portal.pdf.render_pdf", broken)
    result = report_render_task.apply(args=(report.pk,), retries=report_render_task.max_retries)
    assert result.failed()
    report.refresh_from_db()
    assert report.status == R.FAILED
    assert "could not lay out the page" in report.error
    assert (report.file.name, report.sha256) == ("", "")


@pytest.mark.django_db
def test_a_name_added_to_a_review_after_the_request_fails_without_retrying(
    reviewed, project_team_user
):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    AnswerReview.objects.filter(redacted_text="Wij leveren binnen tien dagen.").update(
        redacted_text="Kraanvogel ICT Diensten levert binnen tien dagen."
    )
    result = report_render_task.apply(args=(report.pk,))  # first attempt
    assert result.failed()
    report.refresh_from_db()
    assert report.status == R.FAILED
    assert "ReportDisclosureError" in report.error and "visie" in report.error
    assert "Kraanvogel" not in report.error
    assert not report.file


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


@pytest.mark.django_db
def test_publishing_switches_the_published_report(world, project_team_user):
    consultation = world["consultation"]
    first = done_report(consultation, 1, project_team_user)
    second = done_report(consultation, 2, project_team_user)
    pending = ConsultationReport.objects.create(consultation=consultation, number=3)

    services.report_publish(actor=project_team_user, report=first)
    services.report_publish(actor=project_team_user, report=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_published and first.published_by is None
    assert second.is_published and second.published_by == project_team_user
    events = AuditEvent.objects.filter(action="consultation_report.published").order_by("id")
    assert [e.data["replaces"] for e in events] == [None, 1]

    with pytest.raises(ValidationError):
        services.report_publish(actor=project_team_user, report=pending)
    services.report_unpublish(actor=project_team_user, report=second)
    assert not ConsultationReport.objects.filter(published_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        services.report_unpublish(actor=project_team_user, report=second)


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manage_page_tells_how_many_reviews_are_missing(world, personas):
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert "5 open antwoorden zijn nog niet beoordeeld." in page
    assert f'href="/marktconsultaties/{SLUG}/beoordeling/anonimiseren"' in page
    assert "Verslag maken" not in page

    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken", follow=True)
    assert "5 open antwoorden zijn nog niet beoordeeld." in response.content.decode()
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_generate_from_the_page_and_poll_its_status(reviewed, personas):
    client = personas["project_team"].client()
    assert "Verslag maken" in client.get(MANAGE).content.decode()

    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken")
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}#consultation-report"
    report = ConsultationReport.objects.get()
    status_url = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    fragment = client.get(status_url).content.decode()
    assert fragment.lstrip().startswith("<tr")
    assert 'hx-trigger="every 2s"' in fragment and "In de wachtrij" in fragment

    services.report_render(report_id=report.pk)
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment
    assert "Versie 1 downloaden (PDF)" in fragment and "Versie 1 publiceren" in fragment
    assert "Nieuwe versie van het verslag maken" in client.get(MANAGE).content.decode()


@pytest.mark.django_db
def test_a_viewer_of_the_project_team_sees_reports_but_cannot_generate_or_publish(
    reviewed, project_team_viewer, project_team_user
):
    from django.test import Client

    report = done_report(reviewed["consultation"], 1, project_team_user)
    client = Client()
    client.force_login(project_team_viewer)
    page = client.get(MANAGE).content.decode()
    assert "Versie 1 downloaden (PDF)" in page
    assert "Verslag maken" not in page and "Versie 1 publiceren" not in page
    assert client.post(f"/marktconsultaties/{SLUG}/verslag/maken").status_code == 403
    publish = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/publiceren"
    assert client.post(publish).status_code == 403
    assert not ConsultationReport.objects.filter(published_at__isnull=False).exists()


@pytest.mark.django_db
def test_only_the_published_report_is_public(world, personas, project_team_user):
    consultation = world["consultation"]
    report = done_report(consultation, 1, project_team_user)
    download = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/download"
    supplier = personas["supplier_x"].client()
    anonymous = personas["anonymous"].client()

    assert supplier.get(download).status_code == 404
    assert anonymous.get(download).status_code == 404
    assert "Verslag van de marktconsultatie" not in anonymous.get(PUBLIC).content.decode()
    team = personas["project_team"].client().get(download)
    assert team.status_code == 200 and "no-store" in team["Cache-Control"]
    assert b"".join(team.streaming_content) == MINIMAL_PDF

    response = (
        personas["project_team"]
        .client()
        .post(f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/publiceren")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published

    page = anonymous.get(PUBLIC).content.decode()
    assert "Verslag van de marktconsultatie" in page
    assert f'href="{download}"' in page
    got = anonymous.get(download)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert f'filename="verslag-{SLUG}-v1.pdf"' in got["Content-Disposition"]
    assert b"".join(got.streaming_content) == MINIMAL_PDF
    assert supplier.get(download).status_code == 200
    # A second, unpublished version stays the project team's.
    newer = done_report(consultation, 2, project_team_user)
    newer_download = f"/marktconsultaties/{SLUG}/verslag/{newer.public_id}/download"
    assert anonymous.get(newer_download).status_code == 404
    status = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    assert supplier.get(status).status_code == 404


@pytest.mark.django_db
def test_a_report_that_is_not_done_cannot_be_downloaded(world, personas):
    report = ConsultationReport.objects.create(consultation=world["consultation"], number=1)
    download = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/download"
    assert personas["project_team"].client().get(download).status_code == 404


@pytest.mark.django_db
def test_the_manage_page_query_count_does_not_grow_with_reports(world, personas):
    from django.db import connection

    client = personas["project_team"].client()
    done_report(world["consultation"], 1, personas["project_team"].user)
    client.get(MANAGE)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MANAGE).status_code == 200
    for number in range(2, 7):
        report = done_report(world["consultation"], number, personas["project_team"].user)
        ConsultationReport.objects.filter(pk=report.pk).update(
            change_note=f"Wijziging {number}", status=R.FAILED if number in (3, 5) else R.DONE
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(MANAGE)
    content = page.content.decode()
    assert "Versie 6 downloaden (PDF)" in content and "Wijziging 5" in content
    assert content.count("Opnieuw proberen") == 2
    assert len(many) == len(few)


# --- Change notes ----------------------------------------------------------------------------

NOTE_REQUIRED = "Geef aan wat er in deze versie anders is."


@pytest.mark.django_db
def test_a_change_note_is_required_from_the_second_version(reviewed, project_team_user):
    consultation = reviewed["consultation"]
    first = services.report_request(actor=project_team_user, consultation=consultation)
    assert (first.number, first.change_note) == (1, "")

    for note in ("", "   \n "):
        with pytest.raises(ValidationError) as exc:
            services.report_request(
                actor=project_team_user, consultation=consultation, change_note=note
            )
        assert exc.value.message_dict == {"change_note": [NOTE_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        services.report_request(
            actor=project_team_user, consultation=consultation, change_note="x" * 201
        )
    assert exc.value.message_dict == {
        "change_note": ["Gebruik hoogstens 200 tekens (u gebruikte er 201)."]
    }
    assert ConsultationReport.objects.count() == 1

    second = services.report_request(
        actor=project_team_user,
        consultation=consultation,
        change_note="  Antwoord van Leverancier B ingekort.  ",
    )
    second.refresh_from_db()
    assert (second.number, second.change_note) == (2, "Antwoord van Leverancier B ingekort.")
    events = AuditEvent.objects.filter(action="consultation_report.requested").order_by("id")
    assert [e.data["change_note"] for e in events] == ["", "Antwoord van Leverancier B ingekort."]


@pytest.mark.django_db
def test_a_first_version_may_have_a_change_note(reviewed, project_team_user):
    report = services.report_request(
        actor=project_team_user, consultation=reviewed["consultation"], change_note=" Concept "
    )
    report.refresh_from_db()
    assert report.change_note == "Concept"


@pytest.mark.django_db
def test_the_colophon_shows_version_date_and_change_note(reviewed, project_team_user):
    from django.utils import dateformat, translation

    consultation = reviewed["consultation"]
    first = services.report_request(actor=project_team_user, consultation=consultation)
    second = services.report_request(
        actor=project_team_user,
        consultation=consultation,
        change_note="Antwoord over levertijden aangevuld.",
    )
    with translation.override("nl"):
        day = dateformat.format(timezone.localtime(second.requested_at), "j F Y")
    text = pdf_text(services.report_render(report_id=second.pk).file.path)
    assert (
        f"Colofon Versie 2 Datum {day} Wijziging in deze versie "
        "Antwoord over levertijden aangevuld." in text
    )
    assert_anonymous(text, reviewed)
    text = pdf_text(services.report_render(report_id=first.pk).file.path)
    assert "Colofon Versie 1" in text and "Wijziging in deze versie Eerste versie" in text


@pytest.mark.django_db
def test_a_new_version_from_the_page_needs_a_change_note(reviewed, personas, project_team_user):
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert (
        '<label class="utrecht-form-label" for="id_report_change_note">Wat is er anders in '
        "deze versie? (niet verplicht)</label>" in page
    )
    client.post(f"/marktconsultaties/{SLUG}/verslag/maken")
    services.report_render(report_id=ConsultationReport.objects.get().pk)

    page = client.get(MANAGE).content.decode()
    assert "Wat is er anders in deze versie?</label>" in page
    assert 'aria-required="true"' in page and "id_report_change_note-error" not in page

    # Without a note: back to the page, the error in the messages and next to the field.
    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken", {"change_note": "  "})
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}#consultation-report"
    page = client.get(response["Location"]).content.decode()
    assert (
        f'<p class="utrecht-form-field__error-message utrecht-form-field-error-message" '
        f'id="id_report_change_note-error">{NOTE_REQUIRED}</p>' in page
    )
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_report_change_note-hint id_report_change_note-error"' in page
    assert ConsultationReport.objects.count() == 1
    # The error is shown once: the page after that is clean again.
    assert NOTE_REQUIRED not in client.get(MANAGE).content.decode()

    response = client.post(
        f"/marktconsultaties/{SLUG}/verslag/maken",
        {"change_note": "Tekst van vraag 3.2 ingekort."},
        follow=True,
    )
    content = response.content.decode()
    assert "Versie 2 van het verslag wordt gemaakt." in content
    second = ConsultationReport.objects.get(number=2)
    assert second.change_note == "Tekst van vraag 3.2 ingekort."
    assert '<td class="utrecht-table__cell">Tekst van vraag 3.2 ingekort.</td>' in content
    status_url = f"/marktconsultaties/{SLUG}/verslag/{second.public_id}/status"
    assert "Tekst van vraag 3.2 ingekort." in client.get(status_url).content.decode()


# --- Retry ------------------------------------------------------------------------------------


def failed_report(consultation, actor) -> ConsultationReport:
    """A version whose last attempt failed (as the task leaves it)."""
    report = services.report_request(actor=actor, consultation=consultation)
    services.report_mark_failed(report_id=report.pk, error="OSError: WeasyPrint gave up")
    report.refresh_from_db()
    assert report.status == R.FAILED
    return report


@pytest.mark.django_db
def test_retrying_a_failed_version_renders_the_same_version(
    reviewed, project_team_user, django_capture_on_commit_callbacks
):
    report = failed_report(reviewed["consultation"], project_team_user)
    pseudonyms = dict(report.pseudonyms)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retried = services.report_retry(actor=project_team_user, report=report)
    assert len(callbacks) == 1  # the render task, queued after the commit
    retried.refresh_from_db()
    assert (retried.pk, retried.number, retried.status, retried.error) == (
        report.pk, 1, R.PENDING, "",
    )  # fmt: skip
    assert retried.pseudonyms == pseudonyms
    event = AuditEvent.objects.get(action="consultation_report.retried")
    assert event.actor == project_team_user and event.data["number"] == 1
    assert "WeasyPrint gave up" in event.data["error"]

    result = report_render_task.apply(args=(report.pk,))  # what the worker runs
    assert result.successful()
    retried.refresh_from_db()
    assert retried.status == R.DONE and retried.sha256 and retried.generated_at
    assert ConsultationReport.objects.count() == 1


@pytest.mark.django_db
def test_only_a_failed_version_is_retried(reviewed, project_team_user):
    consultation = reviewed["consultation"]
    pending = services.report_request(actor=project_team_user, consultation=consultation)
    done = done_report(consultation, 2, project_team_user)
    for report, status in ((pending, R.PENDING), (done, R.DONE)):
        with pytest.raises(ValidationError) as exc:
            services.report_retry(actor=project_team_user, report=report)
        assert exc.value.messages == [
            "Alleen een versie die is mislukt, kan opnieuw worden gemaakt."
        ]
        report.refresh_from_db()
        assert report.status == status
    assert not AuditEvent.objects.filter(action="consultation_report.retried").exists()


@pytest.mark.django_db
def test_only_project_team_editors_retry(
    reviewed, project_team_user, project_team_viewer, personas
):
    report = failed_report(reviewed["consultation"], project_team_user)
    for actor in (project_team_viewer, personas["supplier_x"].user, personas["admin_a"].user):
        with pytest.raises(PermissionDenied):
            services.report_retry(actor=actor, report=report)
    report.refresh_from_db()
    assert report.status == R.FAILED and report.error


@pytest.mark.django_db
def test_retry_from_the_page(reviewed, personas, project_team_user, project_team_viewer):
    from django.test import Client

    report = failed_report(reviewed["consultation"], project_team_user)
    retry = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/opnieuw"
    status_url = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert "Het maken van het verslag is mislukt. Probeer het opnieuw." in page
    assert f'action="{retry}"' in page
    assert 'Opnieuw proberen<span class="visually-hidden"> (versie 1)</span>' in page
    fragment = client.get(status_url).content.decode()
    assert f'action="{retry}"' in fragment and "hx-trigger" not in fragment

    # A viewer of the project team sees the failure but cannot retry.
    viewer = Client()
    viewer.force_login(project_team_viewer)
    assert f'action="{retry}"' not in viewer.get(MANAGE).content.decode()
    assert f'action="{retry}"' not in viewer.get(status_url).content.decode()
    assert viewer.post(retry).status_code == 403
    report.refresh_from_db()
    assert report.status == R.FAILED

    response = client.post(retry, follow=True)
    assert response.redirect_chain == [(f"{MANAGE}#consultation-report", 302)]
    assert "Versie 1 van het verslag wordt opnieuw gemaakt." in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.error) == (R.PENDING, "")
    fragment = client.get(status_url).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and f'action="{retry}"' not in fragment

    # Once it is no longer failed, the retry is refused with a message.
    response = client.post(retry, follow=True)
    assert "Alleen een versie die is mislukt, kan opnieuw worden gemaakt." in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1


# --- The real worker --------------------------------------------------------------------------


@pytest.mark.celery
def test_worker_renders_an_anonymous_report(celery_worker, project_team_user, personas):
    consultation, categories = build_consultation(project_team_user)
    suppliers = {s["key"]: make_supplier(s) for s in [*SUPPLIERS, DRAFT_SUPPLIER]}
    for data in SUPPLIERS:
        answer(consultation, suppliers[data["key"]], categories)
    answer(consultation, suppliers["grutto"], categories, submit=False)
    close(consultation, project_team_user)
    review_all(consultation, project_team_user)
    world = {"consultation": consultation, "suppliers": suppliers}

    with transaction.atomic():
        report = services.report_request(actor=project_team_user, consultation=consultation)

    def finished():
        report.refresh_from_db()
        if report.status == R.FAILED:
            pytest.fail(f"Rendering failed: {report.error}\n{celery_worker.log()}")
        return report.status == R.DONE

    celery_worker.wait_for(finished, timeout=90, what="the consultation report")
    assert "consultations.report_render_task[" in celery_worker.log(since_start_of_test=True)
    content = report.file.read()
    report.file.close()
    assert report.sha256 == hashlib.sha256(content).hexdigest()

    text = pdf_text(report.file.path)
    assert "Verslag van de marktconsultatie" in text
    assert "Marktconsultatie werkplek 2028" in text
    for letter in ("A", "B", "C"):
        assert f"Leverancier {letter}" in text
    assert "Leverancier D" not in text  # the draft has no pseudonym
    assert "Leveranciers die de vragenlijst hebben ingediend 3" in text
    # Closed questions as counts (table rows), statistics with the unit, prices, files.
    assert "Fabrikant 2 Reseller 1 Refurbisher 0" in text
    assert "TCO Certified 3 EPEAT 1 Energielabel A 1" in text
    assert "Ja 2 Nee 1" in text
    assert "10 15,5 20 werkdagen" in text
    assert "1 maart 2027 1 april 2027 1 juni 2027" in text
    assert "€ 700,00 € 850,00 € 900,00" in text
    assert "2 bestanden ontvangen" in text
    # Open answers: only the reviewed texts that were included, under the right pseudonym.
    zilvermeeuw = letter_of(report, world, "zilvermeeuw")
    kraanvogel = letter_of(report, world, "kraanvogel")
    assert f"Leverancier {zilvermeeuw} Wij zien circulaire laptops als de toekomst." in text
    assert f"Leverancier {kraanvogel} Wij leveren binnen tien dagen." in text
    assert f"Leverancier {zilvermeeuw} Een laptop van 14 inch." in text
    assert "tweede leven" not in text  # left out by the review
    assert_anonymous(text, world)

    info = pdf_info(report.file.path)
    assert "Title: Verslag marktconsultatie – Marktconsultatie werkplek 2028" in " ".join(
        info.split()
    )
    assert "Author: Vereniging van Nederlandse Gemeenten" in " ".join(info.split())
    assert_anonymous(info, world)
    for person in (project_team_user.name, project_team_user.email):
        assert person not in info and person not in text
