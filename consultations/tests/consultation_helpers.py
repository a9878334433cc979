"""What the consultation tests share: media in a temporary folder, the reference
catalogue, a draft consultation, and its questionnaire with a question of every type.

The test modules import the fixtures below as ``from ... import name as name``: pytest finds
a fixture by its name in the module, and the redundant alias marks the import as used."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.models import Question, QuestionnaireVersion
from consultations.services import consultation as services

T = Question.Type


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _catalogue(db):
    catalog_load_reference()


@pytest.fixture
def consultation(programme, project_team_user):
    now = timezone.now()
    return services.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Marktconsultatie werkplek",
        introduction="Wij horen graag uw visie.",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=30),
        slug="mc-werkplek",
    )


def draft_of(consultation) -> QuestionnaireVersion:
    return consultation.versions.get(status="draft")


def every_type_kwargs() -> list[dict]:
    """Valid input for a question of every type."""
    categories = list(Category.objects.filter(is_active=True)[:2])
    return [
        {"type": T.SHORT_TEXT, "text": "Naam van uw product?", "key": "product"},
        {"type": T.LONG_TEXT, "text": "Beschrijf uw visie.", "max_length": 2000, "key": "visie"},
        {"type": T.SINGLE_CHOICE, "text": "Rol?", "options": ["Fabrikant", "Reseller"]},
        {"type": T.MULTIPLE_CHOICE, "text": "Keurmerken?", "options": ["TCO", "EPEAT", "TCO"]},
        {"type": T.YES_NO, "text": "Levert u refurbished?"},
        {"type": T.NUMBER, "text": "Levertijd?", "unit": "dagen"},
        {"type": T.DATE, "text": "Vanaf wanneer leverbaar?"},
        {"type": T.FILE, "text": "Voeg uw brochure toe.", "required": False},
        {"type": T.PRICE_PER_ITEM, "text": "Indicatieve prijs?", "categories": categories},
    ]


def build(consultation, actor) -> QuestionnaireVersion:
    version = draft_of(consultation)
    section = services.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in every_type_kwargs():
        services.question_add(actor=actor, version=version, section=section, **kwargs)
    return version
