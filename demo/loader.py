"""Demo data for the embedded/dev configuration: the programme, organisations and one user per
kind. Never loaded outside DEMO_MODE; idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from catalog.models import Category, ReferencePrice
from consultations.models import Question
from municipalities.models import (
    ContactPerson,
    CoveredMunicipality,
    Demand,
    DemandLine,
    JointBodyMunicipality,
    MandateSignature,
    Municipality,
    Participation,
)
from portal.models import Membership, Organisation, Role, User
from tenders.models import Lot, Milestone, Programme

AMS = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "Demo-wachtwoord-2026"
# Base32 TOTP secret of the project-team demo user. Add it to an authenticator app, or run
# `make totp` to print the current code.
DEMO_TOTP_SECRET = "GTPORTAALDEMOTOTPGEHEIM2345672AB"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation: str
    role: str
    is_signatory: bool = False
    mfa: bool = False


ORGANISATIONS = [
    (
        "vng-projectteam-gt",
        "VNG Kenniscentrum Inkoop – projectteam GT",
        Organisation.Kind.PROJECT_TEAM,
    ),
    ("gemeente-utrecht", "Gemeente Utrecht", Organisation.Kind.MUNICIPALITY),
    ("gemeente-amersfoort", "Gemeente Amersfoort", Organisation.Kind.MUNICIPALITY),
    ("gemeente-zeist", "Gemeente Zeist", Organisation.Kind.MUNICIPALITY),
    ("werkorganisatie-buch", "Werkorganisatie BUCH", Organisation.Kind.JOINT_BODY),
    ("voorbeeld-hardware-bv", "Voorbeeld Hardware B.V.", Organisation.Kind.SUPPLIER),
    ("tweede-leven-it-bv", "Tweede Leven IT B.V.", Organisation.Kind.SUPPLIER),
]
MUNICIPALITY_ORGS = {
    "gemeente-utrecht": "GM0344",
    "gemeente-amersfoort": "GM0307",
    "gemeente-zeist": "GM0355",
}
# Bergen (NH.), Uitgeest, Castricum and Heiloo share one werkorganisatie.
JOINT_BODY_MUNICIPALITIES = {"werkorganisatie-buch": ["GM0373", "GM0450", "GM0383", "GM0399"]}

USERS = [
    DemoUser(
        "projectteam@demo.gt-portaal.nl",
        "Petra Projectleider",
        "vng-projectteam-gt",
        Role.ADMIN,
        mfa=True,
    ),
    DemoUser(
        "inkoper@utrecht.demo.gt-portaal.nl",
        "Ilse Inkoper",
        "gemeente-utrecht",
        Role.ADMIN,
        is_signatory=True,
    ),
    DemoUser("lezer@utrecht.demo.gt-portaal.nl", "Luuk Lezer", "gemeente-utrecht", Role.VIEWER),
    DemoUser(
        "inkoper@amersfoort.demo.gt-portaal.nl",
        "Anne Amersfoort",
        "gemeente-amersfoort",
        Role.EDITOR,
    ),
    DemoUser(
        "inkoper@buch.demo.gt-portaal.nl",
        "Bas Werkorganisatie",
        "werkorganisatie-buch",
        Role.ADMIN,
        is_signatory=True,
    ),
    DemoUser(
        "verkoop@voorbeeldhardware.demo.gt-portaal.nl",
        "Sanne Leverancier",
        "voorbeeld-hardware-bv",
        Role.ADMIN,
    ),
]


def _at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


PROGRAMME = {
    "slug": "gt-hardware-werkplek",
    "name": "GT Hardware – werkplek",
    "description": (
        "Gezamenlijke aanbesteding van laptops, desktops, tablets, smartphones, randapparatuur "
        "en de diensten daaromheen voor Nederlandse gemeenten."
    ),
    "status": Programme.Status.JOINING,
    "contract_start_year": 2028,
    "contract_years": 4,
}
MILESTONES = {
    Milestone.Kind.JOINING_OPENS: _at(2026, 9, 1, 9, 0),
    Milestone.Kind.CONSULTATION_START: _at(2027, 1, 11, 9, 0),
    Milestone.Kind.JOINING_DEADLINE: _at(2027, 1, 29),
    Milestone.Kind.CONSULTATION_END: _at(2027, 2, 12),
    Milestone.Kind.DEMAND_DEADLINE: _at(2027, 3, 26),
    Milestone.Kind.FREEZE: _at(2027, 5, 14),
    Milestone.Kind.PLANNED_PUBLICATION: _at(2027, 6, 1, 9, 0),
    Milestone.Kind.CONTRACT_START: _at(2028, 1, 1, 0, 1),
}


# Indicative reference prices (EUR excl. VAT) for the demo; the project team maintains real ones.
DEMO_PRICES = {
    "laptop": "950.00",
    "desktop": "800.00",
    "tablet": "550.00",
    "smartphone": "450.00",
    "monitor": "220.00",
    "docking-station": "180.00",
    "headset": "90.00",
    "keyboard-mouse": "45.00",
    "delivery": "15.00",
    "installation": "60.00",
    "management": "120.00",
    "take-back-data-erasure": "25.00",
}

LOTS = [
    (
        1,
        "Werkplekapparatuur",
        ["laptop", "desktop", "monitor", "docking-station", "keyboard-mouse", "headset"],
    ),
    (2, "Mobiele apparaten", ["tablet", "smartphone"]),
    (
        3,
        "Diensten rond de werkplek",
        ["delivery", "installation", "management", "take-back-data-erasure"],
    ),
]


@transaction.atomic
def demo_load() -> dict[str, int]:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only loaded in the embedded/dev configuration.")
    programme, _ = Programme.objects.update_or_create(
        slug=PROGRAMME["slug"], defaults={k: v for k, v in PROGRAMME.items() if k != "slug"}
    )
    for kind, due_at in MILESTONES.items():
        Milestone.objects.update_or_create(
            programme=programme, kind=kind, defaults={"due_at": due_at}
        )
    for number, name, slugs in LOTS:
        lot, _ = Lot.objects.update_or_create(
            programme=programme, number=number, defaults={"name": name}
        )
        lot.categories.set(Category.objects.filter(slug__in=slugs))
    for slug, price in DEMO_PRICES.items():
        category = Category.objects.filter(slug=slug).first()
        if category is not None:
            ReferencePrice.objects.get_or_create(
                category=category,
                valid_from=date(2026, 9, 1),
                defaults={"unit_price": Decimal(price), "source": "Indicatief (demo)"},
            )
    organisations = {}
    for slug, name, kind in ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
    for slug, code in MUNICIPALITY_ORGS.items():
        Municipality.objects.filter(cbs_code=code).update(organisation=organisations[slug])
    for slug, codes in JOINT_BODY_MUNICIPALITIES.items():
        for municipality in Municipality.objects.filter(cbs_code__in=codes):
            JointBodyMunicipality.objects.get_or_create(
                joint_body=organisations[slug], municipality=municipality
            )
    for demo in USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(demo.email, DEMO_PASSWORD, name=demo.name)
        EmailAddress.objects.update_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.update_or_create(
            user=user,
            organisation=organisations[demo.organisation],
            defaults={"role": demo.role, "is_signatory": demo.is_signatory},
        )
        if (
            demo.mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    _demo_participation(programme, organisations["gemeente-utrecht"])
    _demo_consultation(programme, User.objects.get(email=USERS[0].email))
    return {"organisations": len(ORGANISATIONS), "users": len(USERS)}


def _demo_participation(programme, organisation) -> None:
    """Utrecht has joined and been approved, so the demand inventory can be tried out;
    Amersfoort and the joint body have not joined yet, so joining can be tried out too."""
    if Participation.objects.filter(programme=programme, organisation=organisation).exists():
        return
    municipality = Municipality.objects.filter(organisation=organisation).first()
    if municipality is None:  # the register is loaded by load_reference_data first
        return
    participation = Participation.objects.create(
        programme=programme,
        organisation=organisation,
        status=Participation.Status.APPROVED,
        current_contract_end=date(2027, 12, 31),
    )
    CoveredMunicipality.objects.create(
        participation=participation, municipality=municipality, programme=programme
    )
    ContactPerson.objects.create(
        participation=participation,
        kind=ContactPerson.Kind.PROCUREMENT,
        name="Ilse Inkoper",
        email="inkoper@utrecht.demo.gt-portaal.nl",
    )
    MandateSignature.objects.create(
        participation=participation,
        method=MandateSignature.Method.UPLOAD,
        sha256="0" * 64,
        signatory_name="Demo Burgemeester",
        signatory_function="burgemeester",
    )
    demand = Demand.objects.create(participation=participation)
    laptops = Category.objects.filter(slug="laptop").first()
    if laptops is not None:
        DemandLine.objects.bulk_create(
            [
                DemandLine(
                    demand=demand, municipality=municipality, category=laptops, year=y, quantity=q
                )
                for y, q in zip(programme.years, (1200, 900, 950, 1100), strict=False)
            ]
        )


DEMO_CONSULTATION_SLUG = "marktconsultatie-gt-werkplek"


def _demo_consultation(programme, actor) -> None:
    """An open market consultation with a published questionnaire, so suppliers can answer,
    ask questions and book a talk, and the project team can follow along."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation
    from consultations.services import consultation as consultations

    if Consultation.objects.filter(slug=DEMO_CONSULTATION_SLUG).exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        slug=DEMO_CONSULTATION_SLUG,
        title="Marktconsultatie GT Hardware – werkplek",
        introduction=(
            "De gemeenten willen vóór de aanbesteding weten wat de markt kan bieden: "
            "levertijden, circulaire opties en prijsvorming. Uw antwoorden zijn vertrouwelijk."
        ),
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=28),
    )
    version = consultation.versions.get()
    general = consultations.section_add(actor=actor, version=version, title="Uw organisatie")
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        key="levertijd",
        type=Question.Type.NUMBER,
        text="Wat is uw gebruikelijke levertijd voor een standaard laptop?",
        unit="werkdagen",
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        key="refurbished",
        type=Question.Type.YES_NO,
        text="Kunt u refurbished apparatuur leveren met dezelfde garantie als nieuw?",
    )
    circular = consultations.section_add(actor=actor, version=version, title="Circulariteit")
    consultations.question_add(
        actor=actor,
        version=version,
        section=circular,
        key="terugname",
        type=Question.Type.MULTIPLE_CHOICE,
        text="Welke terugnamediensten biedt u aan?",
        options=["Hergebruik", "Recycling", "Gecertificeerde datavernietiging"],
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=circular,
        key="visie-circulair",
        type=Question.Type.LONG_TEXT,
        text="Hoe zou u circulariteit in dit contract belonen?",
        max_length=2000,
        required=False,
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    consultations.consultation_publish(actor=actor, consultation=consultation)
