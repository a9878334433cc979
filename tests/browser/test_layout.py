"""Layout in a real Chromium: the pages fit 320 px (the harness checks every page for that),
header and content share one column, a select shows its arrow and a checked radio its dot, and
the API documentation is an accessible portal page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.models import Role
from tests.browser.sessions import log_in_browser
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pixels(locator) -> Image.Image:
    return Image.open(io.BytesIO(locator.screenshot())).convert("L")


def dark_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels in a part of the image (box in fractions of its size)."""
    width, height = image.size
    part = image.crop(
        (int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height))
    )
    values = list(part.get_flattened_data())
    return sum(1 for value in values if value < 128) / len(values)


def test_public_pages_and_the_api_documentation(visitor):
    for path in ("/", "/toegankelijkheid", "/accounts/login/", "/accounts/signup/"):
        visitor.goto(path)
        assert visitor.page.locator('footer a[href="/api/docs/"]').count() == 0
    visitor.goto("/api/docs/")
    page = visitor.page
    assert page.get_attribute("html", "lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "API-documentatie"
    assert page.get_by_role("link", name="Het OpenAPI-document (JSON)").get_attribute("href") == (
        "/api/v1/openapi.json"
    )
    assert page.get_by_role("region").count() >= 1


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_header_and_content_line_up_with_side_padding(visitor, width):
    visitor.goto("/toegankelijkheid")
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 800})
    logo = page.locator(".portal-logo").bounding_box()
    heading = page.locator("main h1").bounding_box()
    footer = page.locator(".portal-footer p").first.bounding_box()
    assert abs(logo["x"] - heading["x"]) <= 1
    assert abs(footer["x"] - heading["x"]) <= 1
    assert heading["x"] >= 12
    assert heading["x"] + heading["width"] <= width - 12


def test_select_shows_an_arrow_and_a_checked_radio_a_dot(visitor, admin_a, org_a, org_b):
    MembershipFactory(user=admin_a, organisation=org_b, role=Role.VIEWER)
    log_in_browser(visitor, admin_a)
    visitor.goto("/")
    select = visitor.page.get_by_label("Werkzaam voor")
    image = pixels(select)
    # The arrow sits in the right-hand part of the box, clear of the border.
    assert dark_share(image, (0.85, 0.3, 0.97, 0.7)) > 0.05

    visitor.goto(f"/organisaties/{org_a.slug}/uitnodigen")
    page = visitor.page
    page.get_by_label("Redacteur").check()
    checked = pixels(page.get_by_label("Redacteur"))
    unchecked = pixels(page.get_by_label("Beheerder"))
    centre = (0.4, 0.4, 0.6, 0.6)
    assert dark_share(checked, centre) > 0.9
    assert dark_share(unchecked, centre) < 0.1
