"""URLs: 1-on-1 talk slots of a market consultation."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
