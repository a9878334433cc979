"""Generate benchmark data at ``--scale`` times the size of the Netherlands, in the database
of the current settings, and write session cookies for the benchmark personas.

Scale 1: 342 municipalities (the real register), ~40 joint bodies, ~200 suppliers,
~1,500 users, and a market consultation (open, and a closed copy) answered by 60 suppliers
(benchmarks/generate_consultation.py), and a second programme in which every municipality takes
part, with its published tender, documents and notes of clarification
(benchmarks/generate_tender.py). Scale 10: ten times that (synthetic municipalities beyond the
register).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from benchmarks.demand_versions import write_submitted_demand  # noqa: E402
from benchmarks.generate_consultation import consultation_paths, generate_consultations  # noqa: E402
from benchmarks.generate_tender import generate_tender, no_worker, tender_paths  # noqa: E402
from catalog.models import Category, ReferencePrice  # noqa: E402
from catalog.services import catalog_load_reference  # noqa: E402
from municipalities.models import (  # noqa: E402
    CoveredMunicipality,
    Demand,
    DemandVersionLine,
    JointBodyMunicipality,
    Municipality,
    Participation,
    Province,
)
from municipalities.services import municipality_register_load  # noqa: E402
from portal.models import Invitation, Membership, Organisation, Role, User, hash_token  # noqa: E402
from tenders.models import Lot, Milestone, Programme  # noqa: E402

AMS = ZoneInfo("Europe/Amsterdam")


@transaction.atomic
def generate(scale: int) -> dict:
    rng = random.Random(42)
    municipality_register_load()
    catalog_load_reference()
    real = list(Municipality.objects.all())
    provinces = Province.values
    extra = [
        Municipality(
            cbs_code=f"GM{5000 + i:04d}",
            name=f"Testgemeente {i}",
            province=provinces[i % len(provinces)],
            population=rng.randint(5_000, 200_000),
        )
        for i in range(len(real) * (scale - 1))
    ]
    Municipality.objects.bulk_create(extra, batch_size=2000)
    municipalities = list(Municipality.objects.order_by("cbs_code"))

    project_team = Organisation.objects.create(
        slug="projectteam", name="VNG projectteam", kind=Organisation.Kind.PROJECT_TEAM
    )
    orgs = [
        Organisation(
            slug=f"gemeente-{m.cbs_code.lower()}",
            name=f"Gemeente {m.name}",
            kind=Organisation.Kind.MUNICIPALITY,
        )
        for m in municipalities
        if m.organisation_id is None  # the register's municipalities have theirs already
    ]
    # The register's municipalities have organisations of their own (named after the place):
    # they get the benchmark's slugs, so that every municipality is found the same way, and
    # users like every other municipality.
    register_orgs = list(
        Organisation.objects.filter(
            municipality__isnull=False, kind=Organisation.Kind.MUNICIPALITY
        ).select_related("municipality")
    )
    for org in register_orgs:
        org.slug = f"gemeente-{org.municipality.cbs_code.lower()}"
    Organisation.objects.bulk_update(register_orgs, ["slug"], batch_size=2000)
    orgs += register_orgs
    orgs += [
        Organisation(
            slug=f"werkorganisatie-{i}",
            name=f"Werkorganisatie {i}",
            kind=Organisation.Kind.JOINT_BODY,
        )
        for i in range(40 * scale)
    ]
    orgs += [
        Organisation(
            slug=f"leverancier-{i}", name=f"Leverancier {i} B.V.", kind=Organisation.Kind.SUPPLIER
        )
        for i in range(200 * scale)
    ]
    Organisation.objects.bulk_create([o for o in orgs if o.pk is None], batch_size=2000)
    by_slug = {o.slug: o for o in Organisation.objects.all()}
    for m in municipalities:
        if m.organisation_id is None:
            m.organisation = by_slug[f"gemeente-{m.cbs_code.lower()}"]
    Municipality.objects.bulk_update(municipalities, ["organisation"], batch_size=2000)
    links = []
    for i in range(40 * scale):
        for m in rng.sample(municipalities, 3):
            links.append(
                JointBodyMunicipality(joint_body=by_slug[f"werkorganisatie-{i}"], municipality=m)
            )
    JointBodyMunicipality.objects.bulk_create(links, ignore_conflicts=True)

    password = make_password("Bench-wachtwoord-2026")
    users, memberships = [], []
    # Every municipality's organisation, the register's own (named after the municipality)
    # and those made above.
    plan = [
        (o, 3)
        for o in sorted(by_slug.values(), key=lambda o: o.slug)
        if o.kind == Organisation.Kind.MUNICIPALITY
    ]
    plan += [(o, 2) for o in orgs if o.kind == Organisation.Kind.JOINT_BODY]
    # Suppliers have 1 to 3 users (leverancier-1, the benchmark supplier, has 2).
    plan += [
        (o, 1 + int(o.slug.rsplit("-", 1)[1]) % 3)
        for o in orgs
        if o.kind == Organisation.Kind.SUPPLIER
    ]
    plan.append((project_team, 5))
    roles = [Role.ADMIN, Role.EDITOR, Role.VIEWER]
    for org, count in plan:
        for n in range(count):
            user = User(email=f"{n}@{org.slug}.bench.nl", name=f"Gebruiker {n}", password=password)
            users.append(user)
            memberships.append((user, org, roles[n % 3], n == 0))
    User.objects.bulk_create(users, batch_size=2000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=o, role=r, is_signatory=s) for u, o, r, s in memberships],
        batch_size=2000,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                organisation=o,
                email=f"nieuw@{o.slug}.bench.nl",
                role=Role.VIEWER,
                token_hash=hash_token(f"bench-{o.slug}"),
                expires_at=Invitation.default_expiry(),
            )
            for o in orgs[::10]
        ],
        batch_size=2000,
    )
    programme = Programme.objects.create(
        slug="gt-hardware-werkplek",
        name="GT Hardware – werkplek",
        status=Programme.Status.JOINING,
        contract_start_year=2028,
    )
    for day, kind in enumerate(Milestone.Kind):
        Milestone.objects.create(
            programme=programme, kind=kind, due_at=datetime(2027, 1, 1 + day, 17, 0, tzinfo=AMS)
        )
    _generate_participations(programme, municipalities, by_slug, scale, rng)
    _generate_lots(programme)
    pt_user = User.objects.get(email="0@projectteam.bench.nl")
    TOTP.activate(pt_user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    consultation_counts = generate_consultations(
        programme=programme, scale=scale, rng=rng, actor=pt_user
    )
    tender_counts = generate_tender(scale=scale, actor=pt_user)
    return {
        "municipalities": len(municipalities),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        **consultation_counts,
        **tender_counts,
    }


def _generate_participations(programme, municipalities, by_slug, scale, rng) -> None:
    """Every other joint body joins for its municipalities, then about a third of the
    remaining municipalities join themselves, in every status of the workflow."""
    # Most participants are approved (and so state demand); every other status occurs too.
    statuses = [Participation.Status.APPROVED] * 4 + list(Participation.Status)
    covered: set[int] = set()
    # The benchmark's municipal editor (GM0344) takes part itself, approved, with demand.
    own = next(m for m in municipalities if m.cbs_code == "GM0344")
    plans_first = [(own.organisation, [own], Participation.Status.APPROVED)]
    covered.add(own.pk)
    plans: list[tuple[Organisation, list[Municipality], str]] = plans_first
    links: dict[int, list[Municipality]] = {}
    by_id = {m.pk: m for m in municipalities}
    for joint_body_id, municipality_id in JointBodyMunicipality.objects.values_list(
        "joint_body_id", "municipality_id"
    ):
        links.setdefault(joint_body_id, []).append(by_id[municipality_id])
    for i in range(0, 40 * scale, 2):
        joint_body = by_slug[f"werkorganisatie-{i}"]
        chosen = [m for m in links.get(joint_body.pk, []) if m.pk not in covered]
        if chosen:
            plans.append((joint_body, chosen, statuses[i % len(statuses)]))
            covered |= {m.pk for m in chosen}
    for i, m in enumerate(municipalities):
        if m.pk not in covered and rng.random() < 0.35:
            plans.append((m.organisation, [m], statuses[i % len(statuses)]))
            covered.add(m.pk)
    now = datetime.now(tz=AMS)
    participations = Participation.objects.bulk_create(
        [
            Participation(
                programme=programme,
                organisation=organisation,
                status=status,
                submitted_at=None if status == Participation.Status.DRAFT else now,
                withdrawn_at=now if status == Participation.Status.WITHDRAWN else None,
            )
            for organisation, _chosen, status in plans
        ],
        batch_size=2000,
    )
    CoveredMunicipality.objects.bulk_create(
        [
            CoveredMunicipality(
                participation=participation,
                municipality=m,
                programme=programme,
                is_active=participation.status != Participation.Status.WITHDRAWN,
            )
            for participation, (_organisation, chosen, _status) in zip(
                participations, plans, strict=True
            )
            for m in chosen
        ],
        batch_size=2000,
    )
    _generate_demand(participations, plans, rng)


def _generate_demand(participations, plans, rng) -> None:
    """Demand for every catalogue item × every contract year for each approved participant:
    a working copy and one submitted version, as rows (what aggregation reads)."""
    categories = list(Category.objects.exclude(kind=Category.Kind.SERVICE))
    approved = [
        (participation, chosen)
        for participation, (_organisation, chosen, status) in zip(
            participations, plans, strict=True
        )
        if status == Participation.Status.APPROVED
    ]
    demands = Demand.objects.bulk_create(
        [
            Demand(participation=participation, status=Demand.Status.SUBMITTED, revision=1)
            for participation, _chosen in approved
        ],
        batch_size=2000,
    )
    years = range(2028, 2032)
    quantities = [
        {
            (m, category, year): rng.randint(0, 400)
            for m in chosen
            for category in categories
            for year in years
        }
        for _participation, chosen in approved
    ]
    write_submitted_demand(demands, [p for p, _chosen in approved], quantities, years)


# Reference unit prices (EUR excl. VAT) for the aggregation benchmark; 250 for the others.
BENCH_PRICES = {"laptop": 950, "desktop": 800, "tablet": 600, "smartphone": 450, "monitor": 180}
MOBILE = ("tablet", "smartphone")


def _generate_lots(programme) -> None:
    """Two lots covering every device and peripheral category (mobile devices apart), and a
    reference price for each category that has none, so aggregation has values to compute."""
    categories = list(Category.objects.exclude(kind=Category.Kind.SERVICE))
    workplace, _ = Lot.objects.get_or_create(
        programme=programme, number=1, defaults={"name": "Werkplek"}
    )
    mobile, _ = Lot.objects.get_or_create(
        programme=programme, number=2, defaults={"name": "Mobiel"}
    )
    workplace.categories.add(*[c for c in categories if c.slug not in MOBILE])
    mobile.categories.add(*[c for c in categories if c.slug in MOBILE])
    priced = set(ReferencePrice.objects.values_list("category_id", flat=True))
    ReferencePrice.objects.bulk_create(
        [
            ReferencePrice(
                category=c,
                unit_price=BENCH_PRICES.get(c.slug, 250),
                valid_from=datetime(2026, 1, 1).date(),
                source="benchmark",
            )
            for c in categories
            if c.pk not in priced
        ]
    )


def demand_path_of(email: str) -> str:
    user = User.objects.get(email=email)
    demand = Demand.objects.filter(participation__organisation__memberships__user=user).first()
    return f"/inventarisatie/{demand.public_id}/" if demand else "/"


def persona_paths(personas: dict[str, str]) -> dict[str, str]:
    """URL parts of the personas' own objects: the editor's demand and participation (main
    programme), a person the project team may remove (the editor), an organisation the editor
    may ask to join (another municipality), the supplier's company."""
    editor = User.objects.get(email=personas["municipal editor"])
    demand = Demand.objects.filter(
        participation__organisation__memberships__user=editor,
        participation__programme__slug="gt-hardware-werkplek",
    ).select_related("participation")[0]
    supplier = Membership.objects.get(user__email=personas["supplier"]).organisation
    other = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(
        memberships__user=editor
    )[0]
    return {
        "demand_id": str(demand.public_id),
        "participation": str(demand.participation.public_id),
        "person": str(editor.public_id),
        "join_organisation": str(other.public_id),
        "supplier": supplier.slug,
    }


def session_cookie(email: str) -> str:
    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    no_worker()
    counts = generate(args.scale)
    own = Municipality.objects.select_related("organisation").get(cbs_code="GM0344")
    personas = {
        "municipal editor": f"1@{own.organisation.slug}.bench.nl",
        "supplier": "0@leverancier-1.bench.nl",
        "project team": "0@projectteam.bench.nl",
    }
    cookies = {name: session_cookie(email) for name, email in personas.items()}
    # A second session of the editor, for the hostile uploads of benchmarks/bounded.py.
    cookies["municipal editor (upload)"] = session_cookie(personas["municipal editor"])
    counts["demand lines"] = DemandVersionLine.objects.filter(
        version__demand__participation__programme__slug="gt-hardware-werkplek"
    ).count()
    paths = {
        "demand": demand_path_of(personas["municipal editor"]),
        "own_organisation": own.organisation.slug,
        **persona_paths(personas),
        **consultation_paths(),
        **tender_paths(),
    }
    with open(args.out, "w") as handle:
        json.dump({"counts": counts, "cookies": cookies, "paths": paths}, handle)


if __name__ == "__main__":
    main()
