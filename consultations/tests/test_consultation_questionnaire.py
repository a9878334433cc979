"""The questionnaire builder of a market consultation: a question of every type, validated
per type, keys unique per version and stable across versions, published versions
immutable, a new version as a copy of the last, and the builder page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Category
from consultations.services import consultation as services
from consultations.tests.consultation_helpers import T, build, draft_of
from consultations.tests.consultation_helpers import _catalogue as _catalogue
from consultations.tests.consultation_helpers import _media as _media
from consultations.tests.consultation_helpers import consultation as consultation
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Services ---------------------------------------------------------------------------------


def test_builder_adds_a_question_of_every_type(consultation, project_team_user):
    version = build(consultation, project_team_user)
    questions = {q.type: q for q in version.questions.prefetch_related("categories")}
    assert set(questions) == set(T.values)
    assert questions[T.LONG_TEXT].max_length == 2000
    assert questions[T.MULTIPLE_CHOICE].options == ["TCO", "EPEAT"]  # duplicates dropped
    assert questions[T.NUMBER].unit == "dagen"
    assert questions[T.PRICE_PER_ITEM].categories.count() == 2
    assert questions[T.FILE].required is False
    # Fields of other types are not kept.
    assert questions[T.SHORT_TEXT].options == [] and questions[T.SHORT_TEXT].max_length is None
    assert AuditEvent.objects.filter(action="questionnaire.question_added").count() == 9


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": T.SINGLE_CHOICE, "options": ["Alleen"]}, "options"),
        ({"type": T.MULTIPLE_CHOICE, "options": []}, "options"),
        ({"type": T.LONG_TEXT}, "max_length"),
        ({"type": T.PRICE_PER_ITEM, "categories": []}, "categories"),
        ({"type": "essay"}, "type"),
        ({"type": T.SHORT_TEXT, "text": " "}, "text"),
        ({"type": T.SHORT_TEXT, "key": "Geen Slug"}, "key"),
    ],
)
def test_question_add_validates_per_type(consultation, project_team_user, kwargs, field):
    version = draft_of(consultation)
    section = services.section_add(actor=project_team_user, version=version, title="Algemeen")
    kwargs = {"text": "Vraag?", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.question_add(actor=project_team_user, version=version, section=section, **kwargs)
    assert field in exc.value.message_dict
    assert not version.questions.exists()


def test_question_keys_are_unique_per_version(consultation, project_team_user):
    version = draft_of(consultation)
    section = services.section_add(actor=project_team_user, version=version, title="Algemeen")
    services.question_add(
        actor=project_team_user,
        version=version,
        section=section,
        type=T.YES_NO,
        text="A?",
        key="a",
    )
    with pytest.raises(ValidationError) as exc:
        services.question_add(
            actor=project_team_user,
            version=version,
            section=section,
            type=T.YES_NO,
            text="B?",
            key="a",
        )
    assert "key" in exc.value.message_dict


def test_publish_needs_a_question_and_makes_the_version_immutable(consultation, project_team_user):
    version = draft_of(consultation)
    with pytest.raises(ValidationError):
        services.questionnaire_publish(actor=project_team_user, version=version)
    build(consultation, project_team_user)
    services.questionnaire_publish(actor=project_team_user, version=version)
    version.refresh_from_db()
    assert version.status == "published" and version.published_at is not None
    section = version.sections.get()
    with pytest.raises(ValidationError):
        services.question_add(
            actor=project_team_user, version=version, section=section, type=T.YES_NO, text="?"
        )
    with pytest.raises(ValidationError):
        services.section_add(actor=project_team_user, version=version, title="Nog een")
    with pytest.raises(ValidationError):
        services.question_remove(actor=project_team_user, question=version.questions.first())
    with pytest.raises(ValidationError):
        services.questionnaire_publish(actor=project_team_user, version=version)
    assert version.questions.count() == 9


def test_new_version_copies_sections_and_questions_with_the_same_keys(
    consultation, project_team_user
):
    first = build(consultation, project_team_user)
    services.questionnaire_publish(actor=project_team_user, version=first)
    second = services.questionnaire_new_version(actor=project_team_user, consultation=consultation)
    assert second.number == 2 and second.is_draft
    keys = lambda v: sorted(v.questions.values_list("key", flat=True))  # noqa: E731
    assert keys(second) == keys(first)
    assert list(second.sections.values_list("key", flat=True)) == ["algemeen"]
    copied = second.questions.get(type=T.PRICE_PER_ITEM)
    assert copied.categories.count() == 2
    assert second.questions.get(key="visie").max_length == 2000
    # Only one draft at a time.
    with pytest.raises(ValidationError):
        services.questionnaire_new_version(actor=project_team_user, consultation=consultation)


def test_a_question_key_is_stable_across_versions(consultation, project_team_user):
    first = build(consultation, project_team_user)
    services.questionnaire_publish(actor=project_team_user, version=first)
    second = services.questionnaire_new_version(actor=project_team_user, consultation=consultation)
    # Change the draft: remove one question, add a new one.
    services.question_remove(actor=project_team_user, question=second.questions.get(key="product"))
    services.question_add(
        actor=project_team_user,
        version=second,
        section=second.sections.get(),
        type=T.SHORT_TEXT,
        text="Nieuw?",
        key="nieuw",
    )
    services.questionnaire_publish(actor=project_team_user, version=second)
    old, new = first.questions.get(key="visie"), second.questions.get(key="visie")
    assert old.pk != new.pk and old.text == new.text
    assert first.questions.filter(key="product").exists()  # version 1 is untouched
    assert not second.questions.filter(key="product").exists()
    assert not first.questions.filter(key="nieuw").exists()


# --- Views ------------------------------------------------------------------------------------


def test_builder_page_adds_every_question_type(personas, consultation):
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/vragenlijst"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "section", "section-title": "Algemeen"})
    assert response.status_code == 302
    section = draft_of(consultation).sections.get()
    category = Category.objects.filter(is_active=True).first()
    extra = {
        T.LONG_TEXT: {"question-max_length": "500"},
        T.SINGLE_CHOICE: {"question-options": "Ja\nNee\n"},
        T.MULTIPLE_CHOICE: {"question-options": "A\nB\nC"},
        T.NUMBER: {"question-unit": "dagen"},
        T.PRICE_PER_ITEM: {"question-categories": [category.pk]},
    }
    for type_ in T.values:
        data = {
            "action": "question",
            "question-section": section.pk,
            "question-type": type_,
            "question-text": f"Vraag {type_}?",
            "question-required": "on",
            **extra.get(type_, {}),
        }
        assert client.post(url, data).status_code == 302, type_
    assert sorted(draft_of(consultation).questions.values_list("type", flat=True)) == sorted(
        T.values
    )
    html = client.get(url).content.decode()
    assert "Vraag price_per_item?" in html and category.name in html


@pytest.mark.parametrize(
    ("type_", "field", "message"),
    [
        ("single_choice", "options", "minstens twee opties"),
        ("multiple_choice", "options", "minstens twee opties"),
        ("long_text", "max_length", "maximale aantal tekens"),
        ("price_per_item", "categories", "minstens één categorie"),
    ],
)
def test_builder_page_shows_per_type_errors_next_to_the_field(
    personas, consultation, project_team_user, type_, field, message
):
    section = services.section_add(
        actor=project_team_user, version=draft_of(consultation), title="Algemeen"
    )
    client = personas["project_team"].client()
    response = client.post(
        f"/marktconsultaties/{consultation.slug}/vragenlijst",
        {
            "action": "question",
            "question-section": section.pk,
            "question-type": type_,
            "question-text": "Mijn vraag blijft staan?",
            "question-options": "Alleen",
        },
    )
    assert response.status_code == 422
    form = response.context["question_form"]
    assert field in form.errors
    html = response.content.decode()
    assert "Mijn vraag blijft staan?" in html  # nothing entered is lost
    assert f'href="#id_question-{field}' in html
    assert message in " ".join(form.errors[field])


def test_builder_publish_then_new_version(personas, consultation, project_team_user):
    build(consultation, project_team_user)
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/vragenlijst"
    assert client.post(url, {"action": "publish"}).status_code == 302
    assert not consultation.versions.filter(status="draft").exists()
    html = client.get(url).content.decode()
    assert "new_version" in html and "question-remove" not in html
    assert client.post(url, {"action": "new_version"}).status_code == 302
    assert consultation.versions.get(status="draft").number == 2


def test_question_remove_only_in_the_draft(personas, consultation, project_team_user):
    build(consultation, project_team_user)
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/vragenlijst/vragen/product/verwijderen"
    assert client.post(url).status_code == 302
    assert not draft_of(consultation).questions.filter(key="product").exists()
    services.questionnaire_publish(actor=project_team_user, version=draft_of(consultation))
    assert client.post(url.replace("product", "visie")).status_code == 404
