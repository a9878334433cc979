"""Reads of the catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from catalog.models import Category, ReferencePrice


def categories_with_prices(*, user: Any) -> list[Category]:
    """Every category with its price history (newest first) and the price in force today.
    The project team only: 404 for everyone else."""
    if not (user.is_authenticated and user.is_project_team):
        raise Http404
    today = timezone.localdate()
    categories = list(
        Category.objects.prefetch_related(
            Prefetch(
                "prices",
                queryset=ReferencePrice.objects.select_related("created_by").order_by(
                    "-valid_from", "-id"
                ),
            )
        )
    )
    for category in categories:
        category.current_price = next(
            (p for p in category.prices.all() if p.valid_from <= today), None
        )
    return categories
