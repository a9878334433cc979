"""The demo programme that `make run` loads: only in the dev configuration, fast enough, and
loading it twice changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from consultations.models import Consultation, ConsultationResponse
from municipalities.models import Demand, DemandLine, DemandVersion, MandateDocument, Participation
from portal.models import AuditEvent, Membership, Organisation, OutboxMessage, User
from suppliers.models import SupplierProfile
from tenders.models import (
    AggregationRun,
    AggregationSnapshot,
    DocumentVersion,
    Enquiry,
    EnquiryRound,
    Lot,
    Milestone,
    OcdsRelease,
    Programme,
    PublicationRequest,
    Subscription,
    Tender,
)

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=False)
def test_demo_data_is_refused_outside_dev():
    from demo.loader import demo_load

    with pytest.raises(ImproperlyConfigured):
        demo_load()


def _state():
    return {
        "rows": [
            model.objects.count()
            for model in (
                User,
                Organisation,
                Membership,
                Participation,
                MandateDocument,
                Demand,
                DemandLine,
                DemandVersion,
                AggregationRun,
                AggregationSnapshot,
                Consultation,
                ConsultationResponse,
                SupplierProfile,
                Lot,
                Tender,
                DocumentVersion,
                PublicationRequest,
                OcdsRelease,
                Subscription,
                Enquiry,
                EnquiryRound,
                OutboxMessage,
                AuditEvent,
            )
        ],
        "milestones": sorted(Milestone.objects.values_list("kind", "due_at")),
        "programme": list(Programme.objects.values_list("status", "contract_start_year")),
        "tender": list(Tender.objects.values_list("status", "published_at")),
        "enquiries": sorted(Enquiry.objects.values_list("status", "asked_at", "round__number")),
    }


def test_loading_twice_changes_nothing(demo):
    from demo.loader import demo_load

    before = _state()
    with override_settings(DEMO_MODE=True):
        demo_load()

    assert _state() == before
