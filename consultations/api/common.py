"""What the consultation's API views share: the caller's supplier membership, the request body, and
the documented refusals.

The API scopes as the pages do: everyone else gets 404; a role that may read but not change
gets 403. Writes go through the services; their field errors are 400 (``invalidParams``), their
refusals 409."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import ValidationError

from portal.models import Membership
from suppliers.selectors import user_supplier_membership

READ_ONLY = OpenApiResponse(description="A viewer: may read, not change.")


PROJECT_TEAM_ONLY = OpenApiResponse(
    description="No such consultation or object, or the caller is not in the project team."
)


NOT_A_SUPPLIER = OpenApiResponse(description="The caller is no supplier, or no such consultation.")


def request_body(serializer_class, request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return serializer.validated_data


def supplier_membership(user: Any) -> Membership:
    """The caller's supplier membership; 404 for everyone who is not a supplier's member."""
    membership = user_supplier_membership(user=user)
    if membership is None:
        raise Http404
    return membership
