"""The project team's supplier verification page shows a bounded batch of the waiting KvK
extracts and open disputes (the oldest first, each with its form) and says how many wait."""

from __future__ import annotations

import pytest

from suppliers import identity_views
from tests.test_query_budgets import add_identity_checks

pytestmark = pytest.mark.django_db


def test_extracts_and_disputes_are_shown_in_a_bounded_batch(personas, monkeypatch):
    monkeypatch.setattr(identity_views, "REVIEW_BATCH", 2)
    add_identity_checks({}, 3)
    page = personas["project_team"].client().get("/projectteam/leveranciers")
    assert page.status_code == 200
    assert len(page.context["extracts"]) == 2 and page.context["extracts_total"] == 3
    assert len(page.context["disputes"]) == 2 and page.context["disputes_total"] == 3
    uploaded = [extract.uploaded_at for extract in page.context["extracts"]]
    assert uploaded == sorted(uploaded)
    html = page.content.decode()
    assert "De 2 oudste van 3 wachtende uittreksels" in html
    assert "De 2 oudste van 3 open geschillen" in html
