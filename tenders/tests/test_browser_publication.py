# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Publishing with four eyes in a real Chromium, every page axe-checked: the team member who
asks cannot confirm; a second member publishes; the public page shows the tender and its
documents."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from conftest import TOTP_SECRET
from portal.models import Role
from tenders.models import Tender
from tenders.services.documents import document_render, documents_request
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.browser.sessions import log_in_browser
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def click(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_the_team_publishes_with_four_eyes(visitor, setup, personas, project_team_user):
    tender = make_tender(setup, personas)
    for version in documents_request(actor=project_team_user, tender=tender):
        document_render(version_id=version.pk)
    page = visitor.page
    url = "/programmas/gt-agg/aanbesteding"

    log_in_browser(visitor, project_team_user)
    visitor.goto(url)
    assert "Niets staat de publicatie in de weg." in page.locator("main").inner_text()
    click(visitor, page.get_by_role("button", name="Vragen de aanbesteding te publiceren"))
    assert page.get_by_role("button", name="Bevestigen: aanbesteding publiceren").count() == 0
    assert Tender.objects.get().is_draft

    second = MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user
    TOTP.activate(second, TOTP_SECRET)
    log_in_browser(visitor, second)
    visitor.goto(url)
    click(visitor, page.get_by_role("button", name="Bevestigen: aanbesteding publiceren"))
    assert "De aanbesteding is gepubliceerd." in page.locator("body").inner_text()
    assert Tender.objects.get().status == "published"

    page.context.clear_cookies()
    visitor.goto(f"/aanbestedingen/{tender.reference}")
    main = page.locator("main").inner_text()
    assert tender.title in main
    assert page.get_by_role("link", name="Aanbestedingsleidraad", exact=False).count() >= 1
