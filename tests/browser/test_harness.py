"""The browser harness itself: the accessibility check fails when it should."""

import pytest

from tests.browser.fixtures import (
    AccessibilityViolation,
    LayoutViolation,
    check_accessibility,
    check_breadcrumbs,
    check_reflow,
)

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


def test_page_wider_than_320_px_fails(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<h1>Titel</h1><table><tr><td style="min-width:600px">breed</td></tr></table>'
        "</main></body></html>"
    )
    with pytest.raises(LayoutViolation, match="reflow"):
        check_reflow(page)
    assert page.viewport_size["width"] == 1280


def test_wide_table_in_its_own_region_passes(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<h1>Titel</h1><div role="region" aria-label="Tabel" tabindex="0" style="overflow-x:auto">'
        '<table><tr><td style="min-width:600px">breed</td></tr></table></div></main></body></html>'
    )
    check_reflow(page)


BREADCRUMB_CSS = (
    '.utrecht-breadcrumb-nav__item + .utrecht-breadcrumb-nav__item::before { content: "/" / ""; }'
)


def breadcrumb_page(first: str, css: str = BREADCRUMB_CSS) -> str:
    return (
        f'<!DOCTYPE html><html lang="nl"><head><base href="http://portal.test/"><title>x</title><style>{css}</style></head><body>'
        '<nav class="utrecht-breadcrumb-nav"><ol>'
        f'<li class="utrecht-breadcrumb-nav__item">{first}</li>'
        '<li class="utrecht-breadcrumb-nav__item"><a href="/a/">A</a></li></ol></nav>'
        "<main><h1>Titel</h1></main></body></html>"
    )


def test_breadcrumb_with_another_root_fails(page):
    page.set_content(breadcrumb_page('<a href="/deelnames/">Deelnames</a>'))
    with pytest.raises(LayoutViolation, match="root"):
        check_breadcrumbs(page)


def test_breadcrumb_without_separator_fails(page):
    page.set_content(breadcrumb_page('<a href="/">Home</a>', css=""))
    with pytest.raises(LayoutViolation, match="separator"):
        check_breadcrumbs(page)


def test_breadcrumb_from_home_with_separators_passes(page):
    page.set_content(breadcrumb_page('<a href="/">Home</a>'))
    check_breadcrumbs(page)
