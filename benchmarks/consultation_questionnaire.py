"""The questionnaire of the benchmark consultations (25 questions over 4 sections, every
question type) and the consultations themselves, created, given the questionnaire and published
through the services (see benchmarks/generate_consultation.py)."""

from __future__ import annotations

from typing import Any

from consultations.models import Question
from consultations.services import consultation as consultations

T = Question.Type
# The review benchmark pages: one multiple-choice and one long-text question.
MULTIPLE_CHOICE_KEY = "diensten"
LONG_TEXT_KEY = "visie-circulair"

BRANDS = ["Dell", "HP", "Lenovo", "Apple", "Microsoft", "Samsung", "Fairphone", "Acer"]
SERVICES = [
    "Levering op locatie",
    "Installatie en uitrol",
    "Beheer en monitoring",
    "Inname en hergebruik",
    "Gecertificeerde dataverwijdering",
    "Reparatie op locatie",
    "Servicedesk",
]

# (section title, [question definitions]); 6 + 7 + 6 + 6 = 25 questions.
QUESTIONNAIRE: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Uw organisatie",
        [
            {
                "key": "rol-in-keten",
                "type": T.SHORT_TEXT,
                "text": "Wat is uw rol in de keten (fabrikant, distributeur, reseller, "
                "dienstverlener)?",
            },
            {
                "key": "omvang",
                "type": T.SINGLE_CHOICE,
                "text": "Hoe groot is uw organisatie?",
                "options": [
                    "Minder dan 10 medewerkers",
                    "10 tot 50 medewerkers",
                    "50 tot 250 medewerkers",
                    "250 medewerkers of meer",
                ],
            },
            {
                "key": "medewerkers-overheid",
                "type": T.NUMBER,
                "text": "Hoeveel medewerkers werken voor klanten in de publieke sector?",
                "unit": "fte",
            },
            {
                "key": "iso-27001",
                "type": T.YES_NO,
                "text": "Bent u gecertificeerd voor ISO 27001?",
            },
            {
                "key": "merken",
                "type": T.MULTIPLE_CHOICE,
                "text": "Van welke merken levert u werkplekapparatuur?",
                "options": BRANDS,
            },
            {
                "key": "ervaring-overheid",
                "type": T.LONG_TEXT,
                "text": "Beschrijf uw ervaring met raamovereenkomsten voor overheden.",
                "max_length": 4000,
            },
        ],
    ),
    (
        "Levering en logistiek",
        [
            {
                "key": "levertijd",
                "type": T.NUMBER,
                "text": "Wat is uw gebruikelijke levertijd voor een standaard laptop?",
                "unit": "werkdagen",
            },
            {
                "key": "eerste-levering",
                "type": T.DATE,
                "text": "Vanaf welke datum kunt u leveren aan de deelnemende gemeenten?",
            },
            {
                "key": "leveringsmodel",
                "type": T.SINGLE_CHOICE,
                "text": "Welk leveringsmodel heeft uw voorkeur?",
                "options": [
                    "Centraal magazijn per gemeente",
                    "Levering op de werkplek",
                    "Afhaalpunt per regio",
                ],
            },
            {
                "key": "landelijke-dekking",
                "type": T.YES_NO,
                "text": "Kunt u in alle provincies binnen dezelfde levertijd leveren?",
            },
            {
                "key": "piekleveringen",
                "type": T.LONG_TEXT,
                "text": "Hoe vangt u piekleveringen op, bijvoorbeeld bij een gelijktijdige "
                "vervanging van alle laptops?",
                "max_length": 3000,
            },
            {
                "key": MULTIPLE_CHOICE_KEY,
                "type": T.MULTIPLE_CHOICE,
                "text": "Welke diensten rond de werkplek biedt u aan?",
                "options": SERVICES,
            },
            {
                "key": "magazijn-regio",
                "type": T.SHORT_TEXT,
                "text": "In welke regio ligt uw magazijn?",
                "required": False,
            },
        ],
    ),
    (
        "Circulariteit en duurzaamheid",
        [
            {
                "key": "refurbished",
                "type": T.YES_NO,
                "text": "Kunt u refurbished apparatuur leveren met dezelfde garantie als nieuw?",
            },
            {
                "key": "terugname",
                "type": T.MULTIPLE_CHOICE,
                "text": "Welke terugnamediensten biedt u aan?",
                "options": ["Hergebruik", "Recycling", "Gecertificeerde datavernietiging"],
            },
            {
                "key": "gerecycled-materiaal",
                "type": T.NUMBER,
                "text": "Welk aandeel gerecycled materiaal zit gemiddeld in uw laptops?",
                "unit": "procent",
                "required": False,
            },
            {
                "key": LONG_TEXT_KEY,
                "type": T.LONG_TEXT,
                "text": "Hoe zou u circulariteit in dit contract belonen?",
                "max_length": 4000,
            },
            {
                "key": "co2-prestatieladder",
                "type": T.SINGLE_CHOICE,
                "text": "Op welk niveau van de CO2-prestatieladder bent u gecertificeerd?",
                "options": ["Niet", "Niveau 1 of 2", "Niveau 3", "Niveau 4", "Niveau 5"],
            },
            {
                "key": "duurzaamheidsverslag",
                "type": T.FILE,
                "text": "Voeg uw meest recente duurzaamheidsverslag toe (PDF).",
                "required": False,
            },
        ],
    ),
    (
        "Prijzen en contract",
        [
            {
                "key": "prijzen",
                "type": T.PRICE_PER_ITEM,
                "text": "Wat is uw indicatieve stuksprijs per catalogusitem (excl. btw)?",
            },
            {
                "key": "prijsindexatie",
                "type": T.SINGLE_CHOICE,
                "text": "Welke vorm van prijsindexatie heeft uw voorkeur?",
                "options": [
                    "Vaste prijzen",
                    "Jaarlijkse indexatie (CBS)",
                    "Marktconforme herziening per kwartaal",
                ],
            },
            {
                "key": "perceelindeling",
                "type": T.LONG_TEXT,
                "text": "Wat vindt u van de voorgestelde perceelindeling?",
                "max_length": 3000,
            },
            {
                "key": "prijsgeldigheid",
                "type": T.DATE,
                "text": "Tot welke datum zijn uw indicatieve prijzen geldig?",
            },
            {
                "key": "looptijd-vier-jaar",
                "type": T.YES_NO,
                "text": "Kunt u zich vinden in een looptijd van vier jaar?",
            },
            {
                "key": "betalingstermijn",
                "type": T.SHORT_TEXT,
                "text": "Welke betalingstermijn hanteert u?",
                "required": False,
            },
        ],
    ),
]


def publish_consultation(*, actor, programme, slug, title, opens_at, closes_at, categories):
    """A published consultation with the benchmark questionnaire, through the services."""
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        slug=slug,
        title=title,
        introduction=(
            "De gemeenten willen vóór de aanbesteding weten wat de markt kan bieden: "
            "levertijden, circulaire opties en prijsvorming. Uw antwoorden zijn vertrouwelijk."
        ),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    version = consultation.versions.get()
    for title_, definitions in QUESTIONNAIRE:
        section = consultations.section_add(actor=actor, version=version, title=title_)
        for definition in definitions:
            consultations.question_add(
                actor=actor,
                version=version,
                section=section,
                categories=categories if definition["type"] == T.PRICE_PER_ITEM else None,
                **definition,
            )
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=consultation)
