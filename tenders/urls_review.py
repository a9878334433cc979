"""URLs: the project team's review of the answers (per question, Excel, redaction)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
