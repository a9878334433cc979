"""The consultation's tests run on the tenders' fixtures: a programme, its towns and a second
project-team member (a viewer)."""

from tenders.tests.conftest import programme, project_team_viewer, towns  # noqa: F401
