"""The project team invites contacts from a spreadsheet and sees every refused row named."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from municipalities.models import BulkInvitation, Municipality, OrganisationContact
from municipalities.services import municipality_register_load
from portal.models import Invitation
from portal.spreadsheets import workbook_bytes

pytestmark = pytest.mark.django_db

HEADER = ["CBS-code", "Naam", "E-mailadres", "Rol", "Tekenbevoegd"]


def contacts_workbook(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


def twenty_rows_two_bad():
    codes = list(Municipality.objects.order_by("cbs_code").values_list("cbs_code", flat=True)[:18])
    rows = [
        [code, f"Contact {i}", f"contact{i}@gemeente{i}.nl", "Beheerder", "nee"]
        for i, code in enumerate(codes)
    ]
    rows.insert(5, ["GM9999", "Onbekend", "iemand@nergens.nl", "Lezer", "nee"])
    rows.insert(12, [codes[3], "Fout Adres", "geen-adres", "Lezer", "ja"])
    return rows


def _upload(client, content: bytes, name="contacten.xlsx"):
    return client.post(
        reverse("municipalities:bulk-invitation"),
        {"file": SimpleUploadedFile(name, content)},
    )


@override_settings(
    ATTEMPT_LIMITS=settings.ATTEMPT_LIMITS
    | {"invitation_user": (3, 3600, 0), "invitation_organisation": (3, 3600, 0)}
)
def test_twenty_contacts_with_two_bad_rows(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    municipality_register_load()
    team = personas["project_team"].client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(team, contacts_workbook(twenty_rows_two_bad()))
    assert response.status_code == 302, response.content.decode()[:2000]
    bulk = BulkInvitation.objects.get()
    assert (bulk.rows_sent, bulk.rows_refused) == (18, 2)
    # The per-invitation limit (3 an hour here) does not stop a bulk invitation.
    assert Invitation.objects.count() == 18
    assert len(mailoutbox) == 18
    assert OrganisationContact.objects.count() == 18
    page = team.get(response["Location"]).content.decode()
    assert "GM9999" in page and "geen-adres" in page
    refused = [entry for entry in bulk.report if not entry["sent"]]
    assert [entry["row"] for entry in refused] == [7, 14]
    assert all(entry["reason"] for entry in refused)


def test_a_csv_with_semicolons_works_and_a_missing_column_changes_nothing(personas):
    municipality_register_load()
    team = personas["project_team"].client()
    content = (
        "CBS-code;Naam;E-mailadres;Rol;Tekenbevoegd\n"
        "GM0355;Ria;ria@zeist.nl;Lezer;ja\n"
        "355;;info@zeist.nl;Algemeen adres;\n"
    )
    response = _upload(team, content.encode("utf-8-sig"), name="c.csv")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organisation.name, invitation.is_signatory) == ("Gemeente Zeist", True)
    # The general address is kept for reminders, not invited.
    general = OrganisationContact.objects.get(email="info@zeist.nl")
    assert general.kind == OrganisationContact.Kind.GENERAL
    assert BulkInvitation.objects.get().general_addresses == 1

    response = _upload(team, b"Naam;Rol\nRia;Lezer\n", name="c.csv")
    assert response.status_code == 422
    assert "Missing" in response.content.decode() or "Ontbreekt" in response.content.decode()
    assert BulkInvitation.objects.count() == 1


@override_settings(BULK_INVITATION_MAX_ROWS=5)
def test_too_many_rows_are_refused_as_a_whole(personas):
    municipality_register_load()
    rows = [["GM0355", "X", f"x{i}@zeist.nl", "Lezer", "nee"] for i in range(6)]
    response = _upload(personas["project_team"].client(), contacts_workbook(rows))
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_only_the_project_teams_editors_may_invite_in_bulk(personas):
    for name in ("admin_a", "supplier_x"):
        client = personas[name].client()
        assert client.get(reverse("municipalities:bulk-invitation")).status_code == 404
        response = _upload(client, contacts_workbook([]))
        assert response.status_code == 404
    assert not BulkInvitation.objects.exists()


def test_not_a_spreadsheet_is_refused(personas):
    response = _upload(personas["project_team"].client(), b"PK\x03\x04 nonsense")
    assert response.status_code == 422
    assert not BulkInvitation.objects.exists()
