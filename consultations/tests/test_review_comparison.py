"""The project team's review of a consultation's answers: each question's answers side by side
(submitted responses only, by key across questionnaire versions), counts per option, the
confidential Excel export (formula injection included), the redaction of open answers for the
anonymised report, the audit of every read, constant query counts, and 404 for everyone
outside the project team."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import AnswerReview, Consultation, ConsultationResponse
from consultations.selectors import redaction
from consultations.selectors import review as selectors
from consultations.services import consultation as consultations
from consultations.services import responses
from consultations.services import review as services
from portal.models import AuditEvent, Organisation, Role
from suppliers.models import SupplierProfile
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/marktconsultaties/mc-review/beoordeling"
QUESTIONS = [
    {"type": "short_text", "text": "Naam van uw product?", "key": "naam"},
    {"type": "long_text", "text": "Wat is uw visie?", "key": "visie", "max_length": 2000},
    {
        "type": "single_choice",
        "text": "Wat is uw rol?",
        "key": "rol",
        "options": ["Fabrikant", "Reseller", "Refurbisher"],
    },
    {
        "type": "multiple_choice",
        "text": "Welke keurmerken?",
        "key": "keurmerk",
        "options": ["TCO", "EPEAT"],
        "required": False,
    },
    {"type": "yes_no", "text": "Levert u refurbished?", "key": "refurb"},
    {
        "type": "number",
        "text": "Levertijd?",
        "key": "levertijd",
        "unit": "dagen",
        "required": False,
    },
]
ANSWERS = {"naam": "Laptop 14", "visie": "Circulair werken.", "rol": "Reseller", "refurb": "ja"}


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-review", name="GT", contract_start_year=2028)
    actor = project_team_user
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-review",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in QUESTIONS:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


@pytest.fixture
def profile_x(supplier_x):
    return SupplierProfile.objects.create(
        organisation=supplier_x,
        kvk_number="12345678",
        street="Stationsplein",
        house_number="1",
        city="Utrecht",
    )


def respond(user, consultation, answers=None, submit=True) -> ConsultationResponse:
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers=answers or ANSWERS)
    if submit:
        responses.response_submit(actor=user, response=response)
    response.refresh_from_db()
    return response


def new_supplier(name: str):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER)
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(email=f"{organisation.slug}@example.nl"),
    ).user
    return organisation, user


def close(consultation, actor) -> Consultation:
    """Let the deadline pass, then close the consultation."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    return consultations.consultation_close(
        actor=actor, consultation=Consultation.objects.get(pk=consultation.pk)
    )


def answer_of(response, key):
    return response.answers.get(question_key=key)


# --- Comparison and counts --------------------------------------------------------------------


def test_comparison_shows_each_submitted_answer_and_not_drafts(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    respond(
        personas["supplier_y"].user,
        consultation,
        {**ANSWERS, "rol": "Fabrikant", "naam": "Geheim concept"},
        submit=False,
    )
    page = personas["project_team"].client().get(f"{BASE}/vragen/naam")
    assert page.status_code == 200
    rows = page.context["comparison"].rows
    assert [(row.response.organisation.name, row.display) for row in rows] == [
        ("Leverancier X B.V.", "Laptop 14")
    ]
    html = page.content.decode()
    assert f'data-response="{x.public_id}"' in html
    assert "Laptop 14" in html
    assert "Leverancier Y" not in html and "Geheim concept" not in html

    counts = personas["project_team"].client().get(f"{BASE}/vragen/rol").context["comparison"]
    assert [(c.label, c.count, c.share) for c in counts.counts] == [
        ("Fabrikant", 0, 0),
        ("Reseller", 1, 100),
        ("Refurbisher", 0, 0),
    ]


def test_counts_per_option_for_closed_questions(personas, consultation):
    respond(personas["supplier_x"].user, consultation, {**ANSWERS, "keurmerk": ["TCO", "EPEAT"]})
    respond(
        personas["supplier_y"].user,
        consultation,
        {**ANSWERS, "rol": "Fabrikant", "refurb": "nee", "keurmerk": ["TCO"]},
    )
    _, third = new_supplier("Derde Leverancier")
    respond(third, consultation, {**ANSWERS, "refurb": "nee"})

    overview = selectors.review_overview(consultation=consultation)
    by_key = {item.key: item for item in overview.questions}
    assert overview.response_count == 3
    assert [(c.label, c.count) for c in by_key["refurb"].counts] == [("Ja", 1), ("Nee", 2)]
    assert [(c.label, c.count) for c in by_key["rol"].counts] == [
        ("Fabrikant", 1),
        ("Reseller", 2),
        ("Refurbisher", 0),
    ]
    assert [(c.label, c.count, c.share) for c in by_key["keurmerk"].counts] == [
        ("TCO", 2, 100),
        ("EPEAT", 1, 50),
    ]
    assert by_key["keurmerk"].answered == 2 and by_key["naam"].answered == 3
    assert by_key["naam"].counts == [] and by_key["visie"].open_total == 3

    page = personas["project_team"].client().get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ja: 1; Nee: 2" in html
    assert f'href="{BASE}/vragen/refurb"' in html
    comparison = personas["project_team"].client().get(f"{BASE}/vragen/refurb")
    assert 'role="img"' in comparison.content.decode()  # the bar chart


def test_answers_are_compared_by_key_across_versions(personas, consultation, project_team_user):
    respond(personas["supplier_x"].user, consultation, {**ANSWERS, "levertijd": "14"})
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_remove(
        actor=project_team_user, question=draft.questions.get(key="levertijd")
    )
    consultations.question_add(
        actor=project_team_user,
        version=draft,
        section=draft.sections.get(),
        type="yes_no",
        text="Neemt u apparaten terug?",
        key="terugname",
    )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)
    y = respond(personas["supplier_y"].user, consultation, {**ANSWERS, "terugname": "ja"})
    assert y.version.number == 2

    keys = [item.key for item in selectors.review_questions(consultation=consultation)]
    assert keys == ["naam", "visie", "rol", "keurmerk", "refurb", "terugname", "levertijd"]

    client = personas["project_team"].client()
    rows = client.get(f"{BASE}/vragen/naam").context["comparison"].rows
    assert [(r.response.organisation.name, r.response.version.number, r.display) for r in rows] == [
        ("Leverancier X B.V.", 1, "Laptop 14"),
        ("Leverancier Y B.V.", 2, "Laptop 14"),
    ]
    older = client.get(f"{BASE}/vragen/levertijd")
    rows = older.context["comparison"].rows
    assert [(r.display, r.question is None) for r in rows] == [("14 dagen", False), ("", True)]
    assert "Niet gesteld in versie 2" in older.content.decode()
    assert client.get(f"{BASE}/vragen/bestaat-niet").status_code == 404


# --- Excel ------------------------------------------------------------------------------------


def test_excel_export_has_a_row_per_supplier_and_counts(personas, consultation, profile_x):
    respond(
        personas["supplier_x"].user,
        consultation,
        {
            **ANSWERS,
            "naam": '=HYPERLINK("http://example.com","klik")',
            "visie": "@SUM(1+1)",
            "levertijd": "12,5",
        },
    )
    respond(personas["supplier_y"].user, consultation, {**ANSWERS, "naam": "-2+3"})
    _, draft_user = new_supplier("Concept Leverancier")
    respond(draft_user, consultation, submit=False)

    download = personas["project_team"].client().get(f"{BASE}/export.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "vertrouwelijk" in download["Content-Disposition"]
    workbook = load_workbook(BytesIO(download.content))
    assert workbook.sheetnames == ["Antwoorden", "Vragen", "Aantallen per optie"]

    sheet = workbook["Antwoorden"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Leverancier", "KvK-nummer", "Versie van de vragenlijst", "Ingediend op"]
    assert header[4] == "naam: Naam van uw product?"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Leverancier X B.V.", "Leverancier Y B.V."}  # no draft
    x = rows["Leverancier X B.V."]
    assert x[1].value == "12345678" and x[2].value == 1
    column = {key: index for index, key in enumerate(h.split(":")[0] for h in header)}
    assert x[column["rol"]].value == "Reseller"
    assert x[column["refurb"]].value == "Ja"
    assert float(x[column["levertijd"]].value) == 12.5
    # Formula injection: the text stays text, with Excel's quote prefix.
    for cell, text in [
        (x[column["naam"]], '=HYPERLINK("http://example.com","klik")'),
        (x[column["visie"]], "@SUM(1+1)"),
        (rows["Leverancier Y B.V."][column["naam"]], "-2+3"),
    ]:
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix is True

    counts = [
        [cell.value for cell in row] for row in workbook["Aantallen per optie"].iter_rows(min_row=2)
    ]
    assert ["rol", "Wat is uw rol?", "Reseller", 2, 100] in counts
    assert ["refurb", "Levert u refurbished?", "Nee", 0, 0] in counts
    questions = [cell.value for cell in workbook["Vragen"]["A"]][1:]
    assert questions == ["naam", "visie", "rol", "keurmerk", "refurb", "levertijd"]

    event = AuditEvent.objects.get(action="review.answers_exported")
    assert event.actor == personas["project_team"].user
    assert event.data == {"consultation": "mc-review", "responses": 2}


def test_the_formula_guard_leaves_plain_text_alone(personas, consultation):
    from openpyxl import Workbook

    from consultations.exports import append_row

    sheet = Workbook().active
    append_row(sheet, ["Gewoon", "=1+1", "+31 6 12345678", 5, None])
    cells = list(sheet[1])
    assert cells[0].data_type == "s" and not cells[0].quotePrefix
    assert cells[1].data_type == "s" and cells[1].quotePrefix
    assert cells[2].quotePrefix and cells[3].data_type == "n"


def test_many_rows_keep_their_order_and_the_formula_guard(tmp_path):
    from openpyxl import Workbook

    from consultations.exports import WRAP, append_row, styled

    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, ["Nummer", "Tekst", "Opgemaakt"])
    for n in range(1, 1201):
        text = f"=SUM({n}+1)" if n % 3 == 0 else f"Antwoord {n}"
        append_row(
            sheet, [n, text, styled(sheet, f"@{n}" if n % 2 else f"Tekst {n}", alignment=WRAP)]
        )
    path = tmp_path / "many.xlsx"
    workbook.save(path)

    reloaded = load_workbook(path).active
    assert reloaded.max_row == 1201
    for row in reloaded.iter_rows(min_row=2):
        n = row[0].value
        assert row[0].row == n + 1  # every row where it belongs
        assert row[1].data_type == "s"
        assert row[1].quotePrefix is (n % 3 == 0)
        assert row[1].value == (f"=SUM({n}+1)" if n % 3 == 0 else f"Antwoord {n}")
        assert row[2].data_type == "s" and row[2].quotePrefix is (n % 2 == 1)
        assert row[2].alignment.wrap_text is True


def test_excel_export_with_many_suppliers_guards_every_formula(personas, consultation):
    names = [f"Leverancier {index:02d}" for index in range(12)]
    for index, name in enumerate(names):
        _, user = new_supplier(name)
        respond(
            user,
            consultation,
            {**ANSWERS, "naam": f'=HYPERLINK("http://example.com/{index}")', "visie": f"+{index}"},
        )
    download = personas["project_team"].client().get(f"{BASE}/export.xlsx")
    sheet = load_workbook(BytesIO(download.content))["Antwoorden"]
    header = [cell.value.split(":")[0] for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == names
    for index, row in enumerate(rows):
        naam, visie = row[header.index("naam")], row[header.index("visie")]
        assert naam.value == f'=HYPERLINK("http://example.com/{index}")'
        assert visie.value == f"+{index}"
        for cell in (naam, visie):
            assert cell.data_type == "s" and cell.quotePrefix is True
            assert cell.alignment.wrap_text is True
        assert row[3].number_format == "dd-mm-yyyy hh:mm"
    questions = {
        row[0].value: row[6].value
        for row in load_workbook(BytesIO(download.content))["Vragen"].iter_rows(min_row=2)
    }
    assert questions["naam"] == 12 and questions["levertijd"] == 0


# --- Reviewing open answers -------------------------------------------------------------------


def test_review_is_refused_before_closing(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(x, "visie"),
            include=True,
            redacted_text="Circulair werken.",
        )
    assert exc.value.code == "not_closed"
    assert not AnswerReview.objects.exists()


def test_review_is_refused_for_answers_that_are_not_text(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    for key in ("rol", "refurb"):
        with pytest.raises(ValidationError):
            services.answer_review(
                actor=project_team_user, answer=answer_of(x, key), include=True, redacted_text="x"
            )
    assert not AnswerReview.objects.exists()


def test_review_is_refused_for_a_draft(personas, consultation, project_team_user):
    y = respond(personas["supplier_y"].user, consultation, submit=False)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError):
        services.answer_review(actor=project_team_user, answer=answer_of(y, "visie"), include=False)
    assert not AnswerReview.objects.exists()


def test_included_without_text_is_refused(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user, answer=answer_of(x, "visie"), include=True, redacted_text="  "
        )
    assert list(exc.value.message_dict) == ["redacted_text"]
    assert not AnswerReview.objects.exists()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bij Leverancier X werken we circulair.", "Leverancier X"),
        ("LEVERANCIER X B.V. werkt circulair.", "LEVERANCIER X B.V."),
        ("Ons KvK-nummer is 1234 5678.", "1234 5678"),
        ("Mail naar verkoop@example.nl voor meer.", "verkoop@example.nl"),
    ],
)
def test_included_text_with_identifying_content_is_refused(
    personas, consultation, project_team_user, profile_x, text, found
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user, answer=answer_of(x, "visie"), include=True, redacted_text=text
        )
    messages = exc.value.message_dict["redacted_text"]
    assert any(found in message for message in messages), messages
    assert not AnswerReview.objects.exists()


def test_review_saves_and_updates_with_an_audit_event(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    answer = answer_of(x, "visie")
    first = services.answer_review(
        actor=project_team_user, answer=answer, include=True, redacted_text="Een leverancier."
    )
    again = services.answer_review(actor=project_team_user, answer=answer, include=False)
    assert first.pk == again.pk and AnswerReview.objects.count() == 1
    again.refresh_from_db()
    assert again.include is False and again.reviewed_by == project_team_user
    events = AuditEvent.objects.filter(action="answer.reviewed").order_by("id")
    assert [e.data["include"] for e in events] == [True, False]
    assert events[0].data["question"] == "visie" and events[0].target_id == str(x.public_id)


def test_only_project_team_editors_review(
    personas, consultation, project_team_user, project_team_viewer
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    viewer = project_team_viewer
    for actor in (viewer, personas["supplier_x"].user, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.answer_review(
                actor=actor, answer=answer_of(x, "visie"), include=True, redacted_text="Tekst."
            )
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    client = personas["project_team"].client()
    client.force_login(viewer)
    assert client.get(path).status_code == 200
    assert client.post(path, {"include": "yes", "redacted_text": "Tekst."}).status_code == 403
    assert not AnswerReview.objects.exists()


def test_identifying_hints(supplier_x, profile_x):
    text = (
        "Leverancier X levert via www.leverancier-x.nl. Bel 06-12345678 of mail "
        "info@leverancier-x.nl. KvK 12345678; order 87654321."
    )
    hints = services.identifying_hints(text, supplier_x)
    assert hints == [
        "De naam van de leverancier: “Leverancier X”.",
        "Het KvK-nummer van de leverancier: 12345678.",
        "Een e-mailadres: info@leverancier-x.nl.",
        "Een telefoonnummer: 06-12345678.",
        "Een webadres: www.leverancier-x.nl.",
        "Een getal van 8 cijfers dat een KvK-nummer kan zijn: 87654321.",
    ]
    assert services.identifying_hints("Wij leveren 2.000 laptops per jaar.", supplier_x) == []


# --- Pages ------------------------------------------------------------------------------------


def test_redaction_page_refuses_identifying_text_next_to_the_field(
    personas, consultation, project_team_user, profile_x
):
    x = respond(
        personas["supplier_x"].user,
        consultation,
        {**ANSWERS, "visie": "Leverancier X werkt circulair. Mail info@x.nl."},
    )
    close(consultation, project_team_user)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Leverancier X werkt circulair. Mail info@x.nl.</textarea>" in html  # the suggestion
    assert 'id="identifying-hints"' in html and "info@x.nl" in html

    refused = client.post(path, {"include": "yes", "redacted_text": "Leverancier X werkt."})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_redacted_text-error"' in html
    assert "Verwijder de naam van de leverancier uit de tekst" in html
    assert not AnswerReview.objects.exists()

    missing = client.post(path, {"redacted_text": "Een leverancier werkt circulair."})
    assert missing.status_code == 422 and 'id="id_include-error"' in missing.content.decode()

    saved = client.post(
        path, {"include": "yes", "redacted_text": "Een leverancier werkt circulair."}
    )
    # On to the next open answer that has no review yet (the short text "naam").
    assert (
        saved.status_code == 302 and saved["Location"] == f"{BASE}/anonimiseren/{x.public_id}/naam"
    )
    review = AnswerReview.objects.get()
    assert review.include and review.redacted_text == "Een leverancier werkt circulair."
    assert "De beoordeling is opgeslagen." in client.get(saved["Location"]).content.decode()
    listing = client.get(f"{BASE}/anonimiseren")
    assert listing.context["reviewed"] == 1
    assert "Opnieuw beoordelen" in listing.content.decode()
    # The last one reviewed: back to the list.
    last = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert last.status_code == 302 and last["Location"] == f"{BASE}/anonimiseren"


def test_leaving_an_answer_out_needs_no_text_but_including_does(
    personas, consultation, project_team_user
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/naam"
    empty = client.post(path, {"include": "yes", "redacted_text": " "})
    assert empty.status_code == 422
    assert 'id="id_redacted_text-error"' in empty.content.decode()
    assert not AnswerReview.objects.exists()
    assert client.post(path, {"include": "no", "redacted_text": ""}).status_code == 302
    review = AnswerReview.objects.get()
    assert review.include is False and review.redacted_text == ""


def test_redaction_page_before_closing_shows_no_form(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    page = client.get(path)
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    refused = client.post(path, {"include": "yes", "redacted_text": "Tekst."})
    assert refused.status_code == 422
    assert not AnswerReview.objects.exists()


def test_redaction_page_404_for_drafts_closed_questions_and_unanswered(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    y = respond(personas["supplier_y"].user, consultation, submit=False)
    client = personas["project_team"].client()
    assert client.get(f"{BASE}/anonimiseren/{y.public_id}/visie").status_code == 404
    assert client.get(f"{BASE}/anonimiseren/{x.public_id}/rol").status_code == 404
    assert client.get(f"{BASE}/anonimiseren/{x.public_id}/bestaat-niet").status_code == 404


def test_manage_page_shows_the_review_part(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    services.answer_review(
        actor=project_team_user, answer=answer_of(x, "visie"), include=False, redacted_text=""
    )
    page = personas["project_team"].client().get("/marktconsultaties/mc-review/beheer")
    assert page.status_code == 200
    assert page.context["review_response_count"] == 1
    redaction = page.context["review_redaction"]
    assert (redaction.reviewed, redaction.total) == (1, 2)  # naam and visie are open text
    html = page.content.decode()
    for href in (BASE, f"{BASE}/export.xlsx", f"{BASE}/anonimiseren"):
        assert f'href="{href}"' in html


# --- The list of open answers: pages and filters --------------------------------------------


@pytest.fixture
def three_answered(personas, consultation, project_team_user, monkeypatch):
    """Three suppliers submitted (six open answers: naam and visie each), the consultation is
    closed, two answers are reviewed; two rows per page."""
    monkeypatch.setattr(redaction, "REDACTION_PAGE_SIZE", 2)
    _, third = new_supplier("Aalscholver Leverancier")
    made = {
        "a": respond(third, consultation),
        "x": respond(personas["supplier_x"].user, consultation),
        "y": respond(personas["supplier_y"].user, consultation),
    }
    close(consultation, project_team_user)
    services.answer_review(
        actor=project_team_user, answer=answer_of(made["x"], "naam"), include=False
    )
    services.answer_review(
        actor=project_team_user,
        answer=answer_of(made["a"], "visie"),
        include=True,
        redacted_text="Circulair werken.",
    )
    return made


def _listed(page) -> list[tuple[str, str]]:
    return [(row.response.organisation.name, row.question.key) for row in page.context["rows"]]


def test_open_answers_are_paged_with_the_progress_over_all_pages(personas, three_answered):
    client = personas["project_team"].client()
    pages = [client.get(f"{BASE}/anonimiseren", {"pagina": n}) for n in (1, 2, 3)]
    # By question (in the order of the questionnaire), then by supplier.
    assert [_listed(page) for page in pages] == [
        [("Aalscholver Leverancier", "naam"), ("Leverancier X B.V.", "naam")],
        [("Leverancier Y B.V.", "naam"), ("Aalscholver Leverancier", "visie")],
        [("Leverancier X B.V.", "visie"), ("Leverancier Y B.V.", "visie")],
    ]
    for number, page in enumerate(pages, start=1):
        html = page.content.decode()
        assert (
            '<p class="utrecht-paragraph" id="redaction-progress">'
            "2 van 6 open antwoorden beoordeeld.</p>"
        ) in html
        assert f"Pagina {number} van 3" in html
    assert 'href="?pagina=2"' in pages[0].content.decode()
    assert 'href="?pagina=1"' in pages[1].content.decode()
    assert 'rel="next"' not in pages[2].content.decode()
    # A page number out of range shows the last page, nonsense the first.
    assert _listed(client.get(f"{BASE}/anonimiseren", {"pagina": 99})) == _listed(pages[2])
    assert _listed(client.get(f"{BASE}/anonimiseren", {"pagina": "x"})) == _listed(pages[0])
    # The states of the rows on a page.
    html = pages[1].content.decode()
    assert html.count("Nog niet beoordeeld") == 1 and "Opgenomen" in html


def test_open_answers_filter_by_question_and_review_state(personas, three_answered):
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren"
    visie = client.get(path, {"vraag": "visie"})
    assert _listed(visie) == [
        ("Aalscholver Leverancier", "visie"),
        ("Leverancier X B.V.", "visie"),
    ]
    html = visie.content.decode()
    assert '<option value="visie" selected>' in html
    assert "(3 voldoen aan het filter)" in html
    assert 'href="?vraag=visie&amp;pagina=2"' in html  # the filter stays on the next page
    assert _listed(client.get(path, {"vraag": "visie", "pagina": 2})) == [
        ("Leverancier Y B.V.", "visie")
    ]
    # Progress is over all open answers, not over the filter.
    assert "2 van 6 open antwoorden beoordeeld." in html

    to_review = [
        row
        for n in (1, 2)
        for row in _listed(client.get(path, {"status": "te-beoordelen", "pagina": n}))
    ]
    assert to_review == [
        ("Aalscholver Leverancier", "naam"),
        ("Leverancier Y B.V.", "naam"),
        ("Leverancier X B.V.", "visie"),
        ("Leverancier Y B.V.", "visie"),
    ]
    reviewed = client.get(path, {"status": "beoordeeld"})
    assert _listed(reviewed) == [
        ("Leverancier X B.V.", "naam"),
        ("Aalscholver Leverancier", "visie"),
    ]
    assert '<option value="beoordeeld" selected>' in reviewed.content.decode()

    both = client.get(path, {"vraag": "visie", "status": "te-beoordelen"})
    assert _listed(both) == [("Leverancier X B.V.", "visie"), ("Leverancier Y B.V.", "visie")]
    assert "(2 voldoen aan het filter)" in both.content.decode()
    one = client.get(path, {"vraag": "naam", "status": "beoordeeld", "pagina": 1})
    assert _listed(one) == [("Leverancier X B.V.", "naam")]

    # A closed question or an unknown key or state is no filter.
    for params in ({"vraag": "rol"}, {"vraag": "bestaat-niet"}, {"status": "alles"}):
        page = client.get(path, params)
        assert page.status_code == 200
        assert _listed(page) == [
            ("Aalscholver Leverancier", "naam"),
            ("Leverancier X B.V.", "naam"),
        ]
        assert " selected>" not in page.content.decode()
        assert "voldoen aan het filter" not in page.content.decode()


def test_an_empty_filter_says_so(personas, three_answered, project_team_user):
    for response in three_answered.values():
        for key in ("naam", "visie"):
            services.answer_review(
                actor=project_team_user, answer=answer_of(response, key), include=False
            )
    page = (
        personas["project_team"].client().get(f"{BASE}/anonimiseren", {"status": "te-beoordelen"})
    )
    assert page.status_code == 200 and page.context["rows"] == []
    html = page.content.decode()
    assert "Geen open antwoorden voldoen aan dit filter." in html
    assert "6 van 6 open antwoorden beoordeeld." in html


def test_query_count_is_the_same_on_every_page_and_filter(personas, three_answered):
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren"
    client.get(path)  # session and user caches warm
    counts = {
        query: _count(client, f"{path}?{query}")
        for query in (
            "pagina=1",
            "pagina=2",
            "pagina=3",
            "vraag=visie",
            "vraag=visie&pagina=2",
            "status=te-beoordelen&pagina=2",
            "vraag=naam&status=beoordeeld",
        )
    }
    assert len(set(counts.values())) == 1, counts


def test_after_saving_the_next_answer_to_review_is_the_first_in_the_list(personas, three_answered):
    client = personas["project_team"].client()
    x, y, a = three_answered["x"], three_answered["y"], three_answered["a"]
    saved = client.post(
        f"{BASE}/anonimiseren/{y.public_id}/visie", {"include": "no", "redacted_text": ""}
    )
    # The first answer without a review, whatever page it is on: Aalscholver's "naam".
    assert saved["Location"] == f"{BASE}/anonimiseren/{a.public_id}/naam"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren/{y.public_id}/naam"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren/{x.public_id}/visie"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren"  # all reviewed
    assert AnswerReview.objects.count() == 6


def test_hints_are_shown_for_the_rows_of_the_page(personas, consultation, project_team_user):
    respond(
        personas["supplier_x"].user,
        consultation,
        {**ANSWERS, "visie": "Leverancier X werkt circulair. Mail info@x.nl."},
    )
    close(consultation, project_team_user)
    page = personas["project_team"].client().get(f"{BASE}/anonimiseren", {"vraag": "visie"})
    (row,) = page.context["rows"]
    assert row.hints == [
        "De naam van de leverancier: “Leverancier X”.",
        "Een e-mailadres: info@x.nl.",
    ]
    assert "2 waarschuwingen" in page.content.decode()


# --- Audit of reads ---------------------------------------------------------------------------


def test_reading_answers_is_audited(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    client.get(f"{BASE}/vragen/rol")
    event = AuditEvent.objects.get(action="review.answers_read")
    assert event.actor == personas["project_team"].user
    assert event.data == {"consultation": "mc-review", "question": "rol", "view": "question"}

    client.get(f"{BASE}/anonimiseren/{x.public_id}/visie")
    event = AuditEvent.objects.filter(action="review.answers_read").latest("id")
    assert event.data["question"] == "visie" and event.data["view"] == "answer"
    assert event.target_id == str(x.public_id) and event.organisation == x.organisation


# --- Query counts -----------------------------------------------------------------------------


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_suppliers(personas, consultation, project_team_user):
    users = []
    for index in range(8):
        _, user = new_supplier(f"Leverancier {index:02d}")
        users.append(user)
    for user in users[:2]:
        respond(user, consultation, {**ANSWERS, "keurmerk": ["TCO"], "levertijd": "3"})
    close(consultation, project_team_user)
    first = ConsultationResponse.objects.filter(status="submitted").first()
    services.answer_review(
        actor=project_team_user, answer=answer_of(first, "visie"), include=True, redacted_text="A."
    )
    client = personas["project_team"].client()
    paths = [BASE, f"{BASE}/vragen/visie", f"{BASE}/vragen/keurmerk", f"{BASE}/anonimiseren"]
    client.get(BASE)  # session and user caches warm
    few = [_count(client, path) for path in paths]

    # Six more suppliers answer (reopen the deadline for a moment, as the data setup).
    Consultation.objects.filter(pk=consultation.pk).update(
        status="published", closes_at=timezone.now() + timedelta(days=1)
    )
    for user in users[2:]:
        respond(user, consultation, {**ANSWERS, "keurmerk": ["EPEAT"], "levertijd": "5"})
    close(consultation, project_team_user)
    for response in ConsultationResponse.objects.filter(status="submitted")[:4]:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(response, "naam"),
            include=True,
            redacted_text="B.",
        )
    assert ConsultationResponse.objects.filter(status="submitted").count() == 8
    many = [_count(client, path) for path in paths]
    assert few == many, dict(zip(paths, zip(few, many, strict=True), strict=True))


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["admin_a", "editor_a", "editor_b", "joint_body", "supplier_x", "supplier_y"]
)
def test_everyone_outside_the_project_team_gets_404(personas, consultation, persona):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas[persona].client()
    for path in (
        BASE,
        f"{BASE}/vragen/naam",
        f"{BASE}/export.xlsx",
        f"{BASE}/anonimiseren",
        f"{BASE}/anonimiseren/{x.public_id}/visie",
    ):
        assert client.get(path).status_code == 404, path
    post = client.post(f"{BASE}/anonimiseren/{x.public_id}/visie", {"include": "no"})
    assert post.status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_anonymous_is_sent_to_the_login_page(personas, consultation):
    response = personas["anonymous"].client().get(f"{BASE}/vragen/naam")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
