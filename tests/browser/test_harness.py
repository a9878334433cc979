"""The browser harness itself: the accessibility check fails when it should."""

import pytest

from tests.browser.fixtures import AccessibilityViolation, check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_axe_violation_fails(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text" name="naam"></main></body></html>'
    )
    with pytest.raises(AccessibilityViolation) as excinfo:
        check_accessibility(page)
    message = str(excinfo.value)
    assert "image-alt" in message
    assert "label" in message


def test_duplicate_ids_fail(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<h1>Titel</h1><p id="twee">a</p><p id="twee">b</p></main></body></html>'
    )
    with pytest.raises(AccessibilityViolation, match="duplicate ids"):
        check_accessibility(page)


def test_clean_page_passes(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Goed</title></head><body><main>'
        '<h1>Titel</h1><label for="n">Naam</label><input id="n" type="text"></main></body></html>'
    )
    check_accessibility(page)
