"""URLs: The anonymised report of a market consultation."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
