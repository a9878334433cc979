"""The demo programme that `make run` loads: only in the dev configuration, and loading it twice
changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tenders.models import Programme

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=False)
def test_demo_data_is_refused_outside_dev():
    from demo.loader import demo_load

    with pytest.raises(ImproperlyConfigured):
        demo_load()


@override_settings(DEMO_MODE=True)
def test_demo_data_is_idempotent():
    from demo.loader import demo_load
    from municipalities.services import municipality_register_load
    from portal.models import Membership, Organisation, User

    municipality_register_load()
    demo_load()
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    demo_load()
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )
    assert counts[0] == 6
    programme = Programme.objects.get(slug="gt-hardware-werkplek")
    assert programme.milestones.count() == 8
    assert Organisation.objects.get(slug="werkorganisatie-buch").covered_municipalities.count() == 4
    consultation = programme.consultations.get()
    assert consultation.is_open
    assert consultation.versions.get(status="published").questions.count() == 4
