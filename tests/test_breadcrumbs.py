"""Breadcrumbs: every page's trail starts at the same root, "Voorpagina" (the home page), whichever
part of the portal it belongs to. Walks every GET route of the permission matrix as the
personas that see the most pages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests.permission_matrix import GLOBS, MATRIX
from tests.test_permission_matrix import PERSONA_FIXTURES, fill
from tests.test_permission_matrix import world as world

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="utrecht-breadcrumb-nav".*?</nav>', re.S)
FIRST_LINK = re.compile(
    r'<li class="utrecht-breadcrumb-nav__item">\s*<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>'
)


def breadcrumb_roots(html: str) -> list[tuple[str, str]]:
    roots = []
    for nav in NAV.findall(html):
        match = FIRST_LINK.search(nav)
        roots.append((match.group(1), match.group(2).strip()) if match else ("", ""))
    return roots


def test_the_root_is_read_from_the_trail():
    html = render_to_string(
        "municipalities/_breadcrumb.html", {"current": "Stap"}, request=RequestFactory().get("/x")
    )
    with translation.override("nl"):
        assert breadcrumb_roots(html)[0][0] == "/"
    other_root = (
        '<nav class="utrecht-breadcrumb-nav"><ol><li class="utrecht-breadcrumb-nav__item">'
        '<a href="/deelnames/">Deelnames</a></li></ol></nav>'
    )
    assert breadcrumb_roots(other_root) == [("/deelnames/", "Deelnames")]


def test_every_breadcrumb_starts_at_home(world):
    rows = [(route, None) for route, method, _ in MATRIX if method == "GET"]
    rows += [(glob, sample) for glob, sample, method, _ in GLOBS if method == "GET"]
    wrong, seen = [], 0
    for persona in ("anon", "admA", "supX", "pt"):
        client = world["personas"][PERSONA_FIXTURES[persona]].client()
        for route, sample in rows:
            path = sample or fill(route, "GET", world)[0]
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="nl")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for href, label in breadcrumb_roots(response.content.decode()):
                seen += 1
                if (href, label) != ("/", "Voorpagina"):
                    wrong.append(f"{path} as {persona}: root {label!r} -> {href!r}")
    assert seen > 20, "the walk found hardly any breadcrumbs"
    assert not wrong, "\n".join(sorted(set(wrong)))
