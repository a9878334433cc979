"""The participants overview as the export writes it: one tuple of values per municipality,
in the export's columns, read in batches (not the overview's rows of model instances, which
cost more than writing the workbook)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import batched
from typing import Any

from django.utils import timezone

from municipalities.models import CoveredMunicipality, Municipality, Province, municipality_name
from portal.models import Organisation
from tenders.models import Programme
from tenders.selectors.overview import STATUS_LABELS, last_reminder, overview_municipalities

BATCH = 500

# The columns of a municipality the export reads, then what the overview computed for it.
_MUNICIPALITY = (
    "pk",
    "cbs_code",
    "display_name",
    "province",
    "population",
    "overview_status",
    "coverage_id",
    "last_reminder",
)


def participation_export_lines(
    *, programme: Programme, province: str = "", status: str = "", search: str = ""
) -> Iterator[tuple]:
    """Per municipality of the overview with these filters (``overview_municipalities``): CBS
    code, name, province, population, status, participating organisation, joint body,
    submitted on, end of the current contract, last reminder, and the merged predecessor the
    row was taken over from ("Cadorp (GM9003)"). The municipalities are read by one query;
    each batch adds one: the deciding coverages with their participation (and one more when
    a row was taken over after a merger)."""
    provinces = dict(Province.choices)
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    zone = timezone.get_current_timezone()

    def day(moment: datetime | None) -> date | None:
        return moment.astimezone(zone).date() if moment else None

    query = overview_municipalities(
        programme=programme, province=province, status=status, search=search
    ).annotate(display_name=municipality_name(), last_reminder=last_reminder(programme))
    query = query.values_list(*_MUNICIPALITY)
    for batch in batched(query.iterator(chunk_size=BATCH), BATCH):
        coverages = _coverages([row[6] for row in batch if row[6]])
        # The merged predecessors some rows were taken over from (a handful, if any).
        owners = {covered[4] for covered in coverages.values()}
        merged = _names(owners - {row[0] for row in batch})
        for pk, cbs_code, name, province, population, status, coverage, last in batch:
            covered = coverages.get(coverage)
            # An empty cell, not an empty text: nothing to write.
            participant = joint_body = predecessor = submitted = contract_end = None
            if covered is not None:
                participant, kind, submitted, contract_end, owner = covered
                joint_body = participant if kind == Organisation.Kind.JOINT_BODY else None
                if owner != pk:
                    predecessor = merged[owner]
            yield (
                cbs_code,
                name,
                provinces.get(province, province),
                population,
                labels[status],
                participant,
                joint_body,
                day(submitted),
                contract_end,
                day(last),
                predecessor,
            )


def _coverages(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Per deciding coverage: the participant's name and kind, when the participation was
    submitted, when its current contract ends and whose coverage it is."""
    rows = CoveredMunicipality.objects.filter(pk__in=ids).values_list(
        "pk",
        "participation__organisation__name",
        "participation__organisation__kind",
        "participation__submitted_at",
        "participation__current_contract_end",
        "municipality_id",
    )
    return {row[0]: row[1:] for row in rows}


def _names(municipalities: set[int]) -> dict[int, str]:
    """A merged predecessor as the export names it: "Cadorp (GM9003)"."""
    if not municipalities:
        return {}
    return {
        pk: f"{name} ({code})"
        for pk, name, code in Municipality.objects.filter(pk__in=municipalities).values_list(
            "pk", municipality_name(), "cbs_code"
        )
    }
