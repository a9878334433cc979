"""The demo programme that `make run` loads: only in the dev configuration, fast enough, and
loading it twice changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from consultations.models import Consultation
from municipalities.models import Demand, DemandLine, DemandVersion, MandateDocument, Participation
from portal.models import AuditEvent, Membership, Organisation, User
from tenders.models import AggregationRun, AggregationSnapshot, Lot, Milestone, Programme

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
                Lot,
                AuditEvent,
            )
        ],
        "milestones": sorted(Milestone.objects.values_list("kind", "due_at")),
        "programme": list(Programme.objects.values_list("status", "contract_start_year")),
    }


def test_loading_twice_changes_nothing(demo):
    from demo.loader import demo_load

    before = _state()
    with override_settings(DEMO_MODE=True):
        demo_load()

    assert _state() == before
