"""What the API answers to ``OPTIONS``: the resource's name, description and media types, and
the methods it allows (in the ``Allow`` header). The OpenAPI document describes the fields.

DRF's default also describes each write's fields by building the view's serializer outside a
request's normal flow; views whose serializer needs what their handler sets up first (the
consultation of a report list) then fail with a 500."""

from __future__ import annotations

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        # No actions: SimpleMetadata leaves the key out when they are empty.
        return {}
