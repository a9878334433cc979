"""Supplier responses to a market consultation: confidential per supplier, saved and resumed,
submitted before the deadline, validated per question type, read by the project team with an
audit trail, and carried over to a newer questionnaire version by question key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.models import ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses as services
from portal.models import AuditEvent, Role
from tenders.models import Programme
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/marktconsultaties/mc-resp/antwoorden"


@pytest.fixture(autouse=True)
def _catalogue(db):
    catalog_load_reference()


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-resp", name="GT", contract_start_year=2028)
    actor = project_team_user
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-resp",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    categories = list(Category.objects.filter(is_active=True)[:2])
    for kwargs in [
        {"type": "short_text", "text": "Productnaam?", "key": "naam"},
        {"type": "long_text", "text": "Visie?", "key": "visie", "max_length": 20},
        {
            "type": "single_choice",
            "text": "Rol?",
            "key": "rol",
            "options": ["Fabrikant", "Reseller"],
        },
        {
            "type": "multiple_choice",
            "text": "Keurmerken?",
            "key": "keurmerk",
            "options": ["TCO", "EPEAT"],
            "required": False,
        },  # fmt: skip
        {"type": "yes_no", "text": "Refurbished?", "key": "refurb"},
        {
            "type": "number",
            "text": "Levertijd?",
            "key": "levertijd",
            "unit": "dagen",
            "required": False,
        },  # fmt: skip
        {"type": "date", "text": "Leverbaar vanaf?", "key": "vanaf", "required": False},
        {"type": "file", "text": "Brochure?", "key": "brochure", "required": False},
        {
            "type": "price_per_item",
            "text": "Prijs?",
            "key": "prijs",
            "categories": categories,
            "required": False,
        },  # fmt: skip
    ]:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


COMPLETE = {"naam": "Laptop 14", "visie": "Circulair", "rol": "Reseller", "refurb": "ja"}


def test_save_and_resume(personas, consultation):
    user = personas["supplier_x"].user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    services.response_save(actor=user, response=response, answers={"naam": "Laptop 14"})
    again = services.response_get_or_create(actor=user, consultation=consultation)
    assert again.pk == response.pk
    assert again.answers.get().value == "Laptop 14"
    assert again.status == "draft"


def test_submit_requires_required_answers_then_revises(personas, consultation):
    user = personas["supplier_x"].user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    with pytest.raises(ValidationError) as exc:
        services.response_submit(actor=user, response=response)
    assert set(exc.value.message_dict) == {"naam", "visie", "rol", "refurb", "prijs"} - {"prijs"}
    services.response_save(actor=user, response=response, answers=COMPLETE)
    first = services.response_submit(actor=user, response=response).submitted_at
    # Saving the same answers again changes nothing: still submitted.
    services.response_save(actor=user, response=response, answers={"naam": "Laptop 14"})
    response.refresh_from_db()
    assert response.status == "submitted"
    # A changed answer makes it a draft until it is submitted again.
    services.response_save(actor=user, response=response, answers={"naam": "Laptop 15"})
    response.refresh_from_db()
    assert (response.status, response.submitted_at) == ("draft", first)
    page = personas["supplier_x"].client().get(f"/marktconsultaties/{consultation.slug}/antwoorden")
    assert "Concept: gewijzigd na uw laatste indiening." in page.content.decode()
    assert "Dien ze opnieuw in" in page.content.decode()
    second = services.response_submit(actor=user, response=response)
    assert second.status == "submitted" and second.submitted_at > first


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("visie", "x" * 21),
        ("naam", "x" * 201),
        ("rol", "Leverancier"),
        ("keurmerk", ["TCO", "Blauwe Engel"]),
        ("refurb", "misschien"),
        ("levertijd", "twaalf"),
        ("vanaf", "2035-03-01"),
        ("vanaf", "31-02-2035"),
    ],
)
def test_invalid_answer_is_reported_at_its_key_and_nothing_saved(personas, consultation, key, raw):
    user = personas["supplier_x"].user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=user, response=response, answers={"naam": "Goed", key: raw})
    assert list(exc.value.message_dict) == [key]
    assert not response.answers.exists()


def test_price_per_item_needs_non_negative_prices(personas, consultation):
    user = personas["supplier_x"].user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    pk = str(consultation.versions.get().questions.get(key="prijs").categories.first().pk)
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=user, response=response, answers={"prijs": {pk: "-1"}})
    assert list(exc.value.message_dict) == ["prijs"]
    services.response_save(
        actor=user,
        response=response,
        answers={"prijs": {pk: "1.234,50"}, "levertijd": "12,5", "vanaf": "01-03-2035"},
    )
    values = {a.question_key: a.value for a in response.answers.all()}
    assert values == {"prijs": {pk: "1234.50"}, "levertijd": "12.5", "vanaf": "2035-03-01"}


def test_every_write_is_refused_after_the_deadline(personas, consultation):
    user = personas["supplier_x"].user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    for write in (
        lambda: services.response_save(actor=user, response=response, answers=COMPLETE),
        lambda: services.response_submit(actor=user, response=response),
    ):
        with pytest.raises(ValidationError) as exc:
            write()
        assert exc.value.code == "closed"
    page = personas["supplier_x"].client().post(URL, {**COMPLETE, "submit": "1"})
    assert page.status_code == 422
    assert not response.answers.exists()


def test_viewer_of_the_supplier_reads_but_cannot_write(personas, consultation):
    viewer = MembershipFactory(
        organisation=personas["supplier_x"].organisation,
        role=Role.VIEWER,
        user=UserFactory(email="kijker@leverancier-x.nl"),
    ).user
    with pytest.raises(PermissionDenied):
        services.response_get_or_create(actor=viewer, consultation=consultation)
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    assert client.get(URL).status_code == 200
    assert client.post(URL, COMPLETE).status_code == 403


def test_supplier_page_saves_and_submits(personas, consultation):
    client = personas["supplier_x"].client()
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"naam": "Laptop", "save": "1"}).status_code == 302
    page = client.get(URL)
    assert b'value="Laptop"' in page.content
    invalid = client.post(URL, {"levertijd": "veel", "save": "1"})
    assert invalid.status_code == 422
    assert client.post(URL, {**COMPLETE, "submit": "1"}).status_code == 302
    response = ConsultationResponse.objects.get()
    assert response.status == "submitted"
    assert response.organisation == personas["supplier_x"].organisation


def test_supplier_never_sees_another_suppliers_response(personas, consultation):
    x = personas["supplier_x"]
    response = services.response_get_or_create(actor=x.user, consultation=consultation)
    services.response_save(actor=x.user, response=response, answers={"naam": "Geheim X"})
    y = personas["supplier_y"].client()
    own = y.get(URL)
    assert own.status_code == 200 and b"Geheim X" not in own.content
    detail = f"{URL}/{response.public_id}"
    assert y.get(detail).status_code == 404
    assert x.client().get(detail).status_code == 404  # the supplier uses its own page


@pytest.mark.parametrize("persona", ["admin_a", "editor_b", "joint_body", "project_team"])
def test_buyers_and_project_team_have_no_supplier_page(personas, consultation, persona):
    assert personas[persona].client().get(URL).status_code == 404


def test_project_team_read_is_audited(personas, consultation):
    x = personas["supplier_x"]
    response = services.response_get_or_create(actor=x.user, consultation=consultation)
    services.response_save(actor=x.user, response=response, answers={"naam": "Laptop X"})
    client = personas["project_team"].client()
    for _ in range(2):
        page = client.get(f"{URL}/{response.public_id}")
        assert page.status_code == 200 and b"Laptop X" in page.content
    events = AuditEvent.objects.filter(action="response.read", target_id=str(response.public_id))
    assert events.count() == 2
    assert events.first().actor == personas["project_team"].user


def test_upgrade_keeps_answers_of_unchanged_keys(personas, consultation, project_team_user):
    x = personas["supplier_x"].user
    response = services.response_get_or_create(actor=x, consultation=consultation)
    services.response_save(actor=x, response=response, answers=COMPLETE)
    services.response_submit(actor=x, response=response)
    old_version = response.version
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_remove(
        actor=project_team_user, question=draft.questions.get(key="visie")
    )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)

    upgraded = services.response_get_or_create(actor=x, consultation=consultation)
    assert upgraded.pk == response.pk
    assert upgraded.version == draft != old_version
    answers = {a.question_key: a.value for a in upgraded.answers.all()}
    assert answers == {"naam": "Laptop 14", "rol": "Reseller", "refurb": True}
    assert upgraded.status == "draft"
    # What was submitted to version 1 stays tied to version 1, the removed question included.
    submission = upgraded.submissions.get()
    assert (submission.number, submission.version) == (1, old_version)
    assert submission.answers == {
        "naam": "Laptop 14",
        "rol": "Reseller",
        "refurb": True,
        "visie": "Circulair",
    }
    with pytest.raises(ValueError, match="immutable"):
        submission.save()
    # Submitting again, to version 2, is a second submission next to the first.
    services.response_save(actor=x, response=upgraded, answers={"naam": "Laptop 15"})
    services.response_submit(actor=x, response=upgraded)
    second = upgraded.submissions.get(number=2)
    assert second.version == draft and second.answers["naam"] == "Laptop 15"
    assert "visie" not in second.answers
    submission.refresh_from_db()
    assert submission.answers["naam"] == "Laptop 14"


def test_project_team_reads_an_earlier_submission_against_its_own_version(
    personas, consultation, project_team_user
):
    x = personas["supplier_x"].user
    response = services.response_get_or_create(actor=x, consultation=consultation)
    services.response_save(actor=x, response=response, answers=COMPLETE)
    services.response_submit(actor=x, response=response)
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_remove(
        actor=project_team_user, question=draft.questions.get(key="visie")
    )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)
    services.response_get_or_create(actor=x, consultation=consultation)  # now version 2

    client = personas["project_team"].client()
    detail = client.get(f"{URL}/{response.public_id}").content.decode()
    assert "Inzending 1 (vragenlijst versie 1)" in detail
    assert "Visie?" not in detail  # the current version no longer asks it
    page = client.get(f"{URL}/{response.public_id}/inzendingen/1")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Visie?" in html and "Circulair" in html  # as submitted to version 1
    event = AuditEvent.objects.filter(action="response.read").latest("id")
    assert event.data == {"consultation": consultation.slug, "submission": 1}
    assert client.get(f"{URL}/{response.public_id}/inzendingen/2").status_code == 404
    # The supplier itself, and other suppliers, read no submission pages.
    for persona in ("supplier_x", "supplier_y"):
        assert (
            personas[persona].client().get(f"{URL}/{response.public_id}/inzendingen/1").status_code
            == 404
        )
