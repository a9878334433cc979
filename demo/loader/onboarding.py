"""Onboarding in the demo: requests to join that wait for a decision (one for a municipality
without users, decided by the project team; one for Gemeente Utrecht, decided by its
administrator) and a spreadsheet of contacts the project team already invited, with two
refused rows. Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from demo.loader.organisations import DEMO_PASSWORD, DOMAIN
from municipalities.models import BulkInvitation, Municipality, OrganisationJoinRequest
from municipalities.services.bulk_invite import Row, bulk_invite
from portal.models import Membership, User

# (e-mail, name, function, CBS code of the municipality they ask to join)
REQUESTS = [
    (f"nieuw@lopik.{DOMAIN}", "Lotte Lopikker", "Inkoper ICT", "GM0331"),
    (f"ict@utrecht.{DOMAIN}", "Ivo Informatie", "Adviseur werkplek", "GM0344"),
]
# Contacts of municipalities that have no users yet; the last two rows are refused.
CONTACTS = [
    ("GM0308", "Bea Baarn", f"inkoop@baarn.{DOMAIN}", "Beheerder", "nee"),
    ("GM0310", "Dirk de Bilt", f"inkoop@de-bilt.{DOMAIN}", "Beheerder", "ja"),
    ("GM0335", "Mona Montfoort", f"inkoop@montfoort.{DOMAIN}", "Redacteur", "nee"),
    ("GM0313", "", f"info@bunschoten.{DOMAIN}", "Algemeen adres", ""),
    ("GM0317", "Eva Eemnes", f"inkoop@eemnes.{DOMAIN}", "Beheerder", "nee"),
    ("GM9999", "Onbekende Gemeente", f"iemand@onbekend.{DOMAIN}", "Lezer", "nee"),
    ("GM0327", "Lex Leusden", "lex.leusden-at-leusden", "Beheerder", "nee"),
]


def onboarding_load(*, team: User) -> None:
    password = make_password(DEMO_PASSWORD)
    for email, name, function, code in REQUESTS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"name": name, "password": password}
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        organisation = Municipality.objects.get(cbs_code=code).organisation
        if organisation is None or Membership.objects.filter(user=user).exists():
            continue
        OrganisationJoinRequest.objects.get_or_create(
            user=user,
            organisation=organisation,
            status=OrganisationJoinRequest.Status.PENDING,
            defaults={"function": function, "message": "Ik verzorg de inkoop van werkplekken."},
        )
    if BulkInvitation.objects.exists():
        return
    rows = [
        Row(number, dict(zip(("cbs_code", "name", "email", "role", "signatory"), row, strict=True)))
        for number, row in enumerate(CONTACTS, start=2)
    ]
    bulk_invite(
        actor=team,
        rows=rows,
        file_name="contactpersonen-utrecht.xlsx",
        base_url="http://localhost:8000/",
    )


__all__ = ["onboarding_load"]
