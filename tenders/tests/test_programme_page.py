import pytest

from tenders.models import Programme

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware"


def test_public_page_shows_programme_and_timeline(client, programme):
    Programme.objects.filter(pk=programme.pk).update(description="Laptops en meer.")
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "GT Hardware – werkplek" in content
    assert "Laptops en meer." in content
    assert "<time datetime=" in content
    assert "/deelnemers" not in content  # no project-team links for the public


def test_draft_programme_is_404_except_for_the_project_team(personas, programme):
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.DRAFT)
    for persona in ("anonymous", "editor_a", "supplier_x"):
        assert personas[persona].client().get(URL).status_code == 404, persona
    assert personas["project_team"].client().get(URL).status_code == 200


def test_project_team_sees_links_to_the_overview_and_the_timeline(personas, programme):
    content = personas["project_team"].client().get(URL).content.decode()
    assert 'href="/programmas/gt-hardware/deelnemers"' in content
    assert 'href="/programmas/gt-hardware/tijdlijn/joining_deadline/wijzigen"' in content


def test_project_team_viewer_sees_no_change_links(client, project_team_viewer, programme):
    client.force_login(project_team_viewer)
    content = client.get(URL).content.decode()
    assert 'href="/programmas/gt-hardware/deelnemers"' in content
    assert "/wijzigen" not in content


def test_dashboard_of_the_project_team_links_to_the_overview(personas, programme):
    content = personas["project_team"].client().get("/").content.decode()
    assert 'href="/programmas/gt-hardware/deelnemers"' in content
    content = personas["editor_a"].client().get("/").content.decode()
    assert "/deelnemers" not in content
