"""Serializers of the demand API, and the parsing of a demand body into the validation core.

A PUT body is not validated field by field by DRF: its values go, with a JSON pointer as their
location (``/lines/3/quantity``), through the same validation as the form and the Excel upload,
so every channel gives the same messages. The input serializers below only describe the body
for the OpenAPI document."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipalities.demand_data import (
    MAX_REVISION,
    Cell,
    DemandData,
    parse_count,
    validate_lines,
)
from municipalities.models import Demand, DemandVersion
from municipalities.selectors import demand_scope, service_slugs

# --- Output ---------------------------------------------------------------------------------


class DemandLineSerializer(serializers.Serializer):
    """A line of the working copy or of a submitted version."""

    municipality = serializers.CharField(source="municipality.cbs_code", help_text="CBS code")
    category = serializers.CharField(source="category.slug", help_text="Category slug")
    year = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=0)
    min = serializers.IntegerField(source="min_quantity", allow_null=True, min_value=0)
    max = serializers.IntegerField(source="max_quantity", allow_null=True, min_value=0)


class DemandOptionSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.cbs_code", help_text="CBS code")
    category = serializers.CharField(source="category.slug", help_text="Category slug")
    services = serializers.ListField(child=serializers.CharField(), help_text="Service slugs")
    remark = serializers.CharField(allow_blank=True)


class DemandProfileSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.cbs_code", help_text="CBS code")
    workplaces = serializers.IntegerField(allow_null=True, min_value=0)
    employees = serializers.IntegerField(allow_null=True, min_value=0)


class DemandVersionSummarySerializer(serializers.ModelSerializer):
    submittedAt = serializers.DateTimeField(source="submitted_at")

    class Meta:
        model = DemandVersion
        fields = ["number", "submittedAt", "sha256", "source"]


class DemandVersionSerializer(DemandVersionSummarySerializer):
    lines = DemandLineSerializer(many=True)

    class Meta(DemandVersionSummarySerializer.Meta):
        fields = [*DemandVersionSummarySerializer.Meta.fields, "lines"]


class DemandSerializer(serializers.ModelSerializer):
    """One participant's demand as the list shows it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    participation = serializers.UUIDField(source="participation.public_id", read_only=True)
    programme = serializers.CharField(source="participation.programme.slug", read_only=True)
    organisation = serializers.CharField(source="participation.organisation.slug", read_only=True)
    deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    deadlineExtendedUntil = serializers.DateTimeField(
        source="deadline_extended_until", read_only=True, allow_null=True
    )
    isOpen = serializers.BooleanField(source="is_open", read_only=True)
    latestVersion = serializers.SerializerMethodField()
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Demand
        fields = [
            "id",
            "participation",
            "programme",
            "organisation",
            "status",
            "revision",
            "deadline",
            "deadlineExtendedUntil",
            "isOpen",
            "latestVersion",
            "updatedAt",
        ]

    def get_latestVersion(self, obj) -> int | None:  # noqa: N802 - API field name
        if hasattr(obj, "latest_version"):
            return obj.latest_version
        versions = list(obj.versions.all())
        return max((v.number for v in versions), default=None)


class DemandDetailSerializer(DemandSerializer):
    """The working copy with its lines, choices of services, profiles and versions."""

    returnComment = serializers.CharField(source="return_comment", read_only=True)
    lines = DemandLineSerializer(many=True, read_only=True)
    options = DemandOptionSerializer(many=True, read_only=True)
    profiles = DemandProfileSerializer(many=True, read_only=True)
    versions = DemandVersionSummarySerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [
            *DemandSerializer.Meta.fields,
            "returnComment",
            "lines",
            "options",
            "profiles",
            "versions",
        ]


# --- Input (schema) -------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 10_000_000, "nullable": True})
class CountField(serializers.Field):
    """A count; the validation core checks it (and gives the message at its location)."""


class DemandLineInputSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code, for example GM0363")
    category = serializers.CharField(help_text="Category slug, for example laptop")
    year = serializers.IntegerField(help_text="A contract year of the programme")
    quantity = CountField()
    min = CountField(required=False)
    max = CountField(required=False)


class DemandOptionInputSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code")
    category = serializers.CharField(help_text="Category slug")
    services = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Service slugs"
    )
    remark = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DemandProfileInputSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code")
    workplaces = CountField(required=False)
    employees = CountField(required=False)


class DemandWriteSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0, help_text="The revision of the working copy these changes are based on"
    )
    lines = DemandLineInputSerializer(many=True)
    options = DemandOptionInputSerializer(many=True, required=False)
    profiles = DemandProfileInputSerializer(many=True, required=False)


class DemandSubmitSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0, help_text="The revision of the working copy to submit"
    )


# --- Parsing --------------------------------------------------------------------------------

Errors = dict[str, list[str]]


def parse_revision(body: Any, errors: Errors) -> int | None:
    raw = body.get("revision") if isinstance(body, dict) else None
    # Form-encoded bodies carry text: the one number parser reads it (length capped first).
    value, error = (
        (None, "") if raw is None else parse_count(raw, required=False, maximum=MAX_REVISION)
    )
    if error is not None or value is None:
        errors["/revision"].append(
            _("Give the revision of the inventory your changes are based on, as a whole number.")
        )
        return None
    return value


def _list(body: dict, name: str, errors: Errors, *, required: bool) -> list:
    if name not in body:
        if required:
            errors[f"/{name}"].append(_("Give a list, which may be empty."))
        return []
    value = body[name]
    if not isinstance(value, list):
        errors[f"/{name}"].append(_("Give a list, which may be empty."))
        return []
    return value


class _Scope:
    def __init__(self, demand: Demand) -> None:
        municipalities, categories, years = demand_scope(demand)
        self.municipalities = {m.cbs_code: m.pk for m in municipalities}
        self.categories = {c.slug: c.pk for c in categories}
        self.years = years
        self.services = set(service_slugs())

    def municipality(self, item: dict, where: str, errors: Errors) -> int | None:
        pk = self.municipalities.get(item.get("municipality"))
        if pk is None:
            errors[f"{where}/municipality"].append(
                _(
                    "Unknown municipality: give the CBS code of a municipality this "
                    "inventory covers."
                )
            )
        return pk

    def category(self, item: dict, where: str, errors: Errors) -> int | None:
        pk = self.categories.get(item.get("category"))
        if pk is None:
            errors[f"{where}/category"].append(
                _("Unknown category: give the code of an active device category.")
            )
        return pk

    def year(self, item: dict, where: str, errors: Errors) -> int | None:
        year = item.get("year")
        if isinstance(year, bool) or year not in self.years:
            errors[f"{where}/year"].append(
                _("Give one of the contract years %(first)s to %(last)s.")
                % {"first": self.years[0], "last": self.years[-1]}
            )
            return None
        return year


def parse_demand_body(*, demand: Demand, body: Any) -> tuple[int | None, DemandData, Errors]:
    """The revision and the clean demand of a PUT body, or the problems, each at its JSON
    pointer. Nothing is returned as clean when there is any problem."""
    errors: Errors = defaultdict(list)
    data = DemandData()
    if not isinstance(body, dict):
        errors[""].append(_("Send a JSON object."))
        return None, data, errors
    revision = parse_revision(body, errors)
    scope = _Scope(demand)

    cells: dict = {}
    for index, item in enumerate(_list(body, "lines", errors, required=True)):
        where = f"/lines/{index}"
        if not isinstance(item, dict):
            errors[where].append(_("Give each line as an object."))
            continue
        key = (
            scope.municipality(item, where, errors),
            scope.category(item, where, errors),
            scope.year(item, where, errors),
        )
        if "quantity" not in item:
            errors[f"{where}/quantity"].append(_("Enter the quantity."))
            continue
        if None in key:
            continue
        if key in cells:
            errors[where].append(
                _("This municipality, category and year already appear in an earlier line.")
            )
            continue
        cells[key] = (
            Cell(f"{where}/quantity", item["quantity"]),
            Cell(f"{where}/min", item["min"]) if "min" in item else None,
            Cell(f"{where}/max", item["max"]) if "max" in item else None,
        )
    data.lines, problems = validate_lines(cells)
    for problem in problems:
        errors[problem.location].append(problem.message)

    for index, item in enumerate(_list(body, "options", errors, required=False)):
        where = f"/options/{index}"
        if not isinstance(item, dict):
            errors[where].append(_("Give each choice of services as an object."))
            continue
        key = (scope.municipality(item, where, errors), scope.category(item, where, errors))
        services = item.get("services", [])
        if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
            errors[f"{where}/services"].append(_("Give the services as a list of codes."))
            continue
        unknown = sorted(set(services) - scope.services)
        if unknown:
            errors[f"{where}/services"].append(
                _("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        remark = item.get("remark", "")
        if not isinstance(remark, str) or len(remark) > 500:
            errors[f"{where}/remark"].append(
                _("Give the remark as text of at most 500 characters.")
            )
            continue
        if None in key or unknown:
            continue
        if key in data.options:
            errors[where].append(
                _("This municipality and category already appear in an earlier choice.")
            )
            continue
        data.options[key] = (sorted(set(services)), remark.strip())

    for index, item in enumerate(_list(body, "profiles", errors, required=False)):
        where = f"/profiles/{index}"
        if not isinstance(item, dict):
            errors[where].append(_("Give each profile as an object."))
            continue
        municipality = scope.municipality(item, where, errors)
        counts = []
        for name in ("workplaces", "employees"):
            value, error = parse_count(item.get(name), required=False)
            if error:
                errors[f"{where}/{name}"].append(error)
            counts.append(value)
        if municipality is None:
            continue
        if municipality in data.profiles:
            errors[where].append(_("This municipality already appears in an earlier profile."))
            continue
        data.profiles[municipality] = (counts[0], counts[1])
    return revision, data, errors
