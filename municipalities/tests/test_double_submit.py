"""A double click or a resent form creates one object and says it was already done: the
mandate request (one version, one PDF job) and the demand submit (one version, no conflict
with oneself)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.services import catalog_load_reference
from municipalities.models import DemandVersion, MandateDocument, Participation
from municipalities.services.demand import demand_for_participation
from portal.models import IdempotencyKey

pytestmark = pytest.mark.django_db

# The version names the signer recorded for the registration; the form carries nothing else.
SIGNATORY: dict[str, str] = {}


def key_in(page) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page.content.decode())
    assert match, "the form carries no idempotency key"
    return match.group(1)


def test_a_double_clicked_mandate_request_makes_one_version(personas, participation_a):
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    data = {**SIGNATORY, "idempotency_key": key_in(client.get(url))}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert MandateDocument.objects.filter(participation=participation_a).count() == 1
    assert "Dit was al gedaan" in second.content.decode()
    record = IdempotencyKey.objects.get(key=data["idempotency_key"])
    assert record.object_id == MandateDocument.objects.get().pk
    # A new form is a new request: once a new version is due (the registration changed), the
    # page offers the form again with a fresh key.
    MandateDocument.objects.update(outdated_at=timezone.now(), outdated_reason="gewijzigd")
    fresh = key_in(client.get(url))
    assert fresh != data["idempotency_key"]
    client.post(url, {**SIGNATORY, "idempotency_key": fresh})
    assert MandateDocument.objects.filter(participation=participation_a).count() == 2


def test_a_refused_mandate_request_keeps_its_key_free(personas, participation_a, editor_a):
    from municipalities.models import SigningAuthority
    from municipalities.tests.conftest import record_authority

    SigningAuthority.objects.filter(participation=participation_a).delete()
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    # Before step 1 is done the page offers no form to generate the mandate; a request sent
    # anyway is refused, and the form comes back with the error and the same key.
    assert 'name="idempotency_key"' not in client.get(url).content.decode()
    key = str(uuid.uuid4())
    refused = client.post(url, {"idempotency_key": key})
    assert refused.status_code == 422
    assert "Leg eerst het collegebesluit vast" in refused.content.decode()
    assert key_in(refused) == key
    assert not IdempotencyKey.objects.exists()
    record_authority(participation_a, actor=editor_a, signer=personas["admin_a"].user)
    assert client.post(url, {**SIGNATORY, "idempotency_key": key}).status_code == 302
    assert MandateDocument.objects.count() == 1


def test_another_users_key_is_not_theirs(personas, participation_a):
    """Keys are per user: the same value from a colleague is a request of its own."""
    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    key = key_in(personas["editor_a"].client().get(url))
    personas["editor_a"].client().post(url, {**SIGNATORY, "idempotency_key": key})
    personas["admin_a"].client().post(url, {**SIGNATORY, "idempotency_key": key})
    assert MandateDocument.objects.count() == 2


@pytest.fixture
def demand(participation_a):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status="approved")
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


def test_a_repeated_demand_submit_makes_one_version(personas, demand):
    client = personas["editor_a"].client()
    url = reverse("municipalities:demand-check", args=[demand.public_id])
    data = {"revision": demand.revision}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert DemandVersion.objects.filter(demand=demand).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "Dit was al gedaan" in page
    assert "nadat u haar opende" not in page


def test_a_colleagues_submit_in_between_is_still_a_conflict(personas, demand):
    """Only one's own first submit counts as done; a colleague's is the edit conflict."""
    url = reverse("municipalities:demand-check", args=[demand.public_id])
    revision = demand.revision
    assert personas["admin_a"].client().post(url, {"revision": revision}).status_code == 302
    response = personas["editor_a"].client().post(url, {"revision": revision})
    assert response.status_code == 422
    assert "nadat u haar opende" in response.content.decode()
    assert DemandVersion.objects.filter(demand=demand).count() == 1


def test_a_retried_api_submit_answers_the_first_version(personas, demand):
    client = personas["editor_a"].client()
    url = f"/api/v1/demands/{demand.public_id}/submit"
    first = client.post(url, {"revision": demand.revision}, content_type="application/json")
    second = client.post(url, {"revision": demand.revision}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"] == 1
    assert DemandVersion.objects.filter(demand=demand).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_mandate_requests_make_one_version(personas, participation_a):
    """A real double click: both requests in flight at once, each on its own connection; the
    second waits on the first's key and then answers that it was already done."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    clients = [personas["editor_a"].client(), personas["editor_a"].client()]
    data = {**SIGNATORY, "idempotency_key": key_in(clients[0].get(url))}

    def post(client):
        try:
            return client.post(url, data).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(post, clients))
    assert codes == [302, 302]
    assert MandateDocument.objects.filter(participation=participation_a).count() == 1
    messages = [clients[0].get(url).content.decode(), clients[1].get(url).content.decode()]
    assert sum("Dit was al gedaan" in page for page in messages) == 1
