"""What taking over an uploaded workbook would change: every value of the inventory whose old
and new value differ, old → new, and how many values stay as they are. The review of the Excel
upload shows it before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalog.models import Category
from municipalities.demand_data import DemandData
from municipalities.models import Demand
from municipalities.selectors.demand import demand_scope, service_slugs, working_data


@dataclass(frozen=True)
class Change:
    municipality: str
    what: str
    old: str
    new: str
    numeric: bool = False


@dataclass
class DemandChanges:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def count(self) -> int:
        return len(self.changes)


def _number(value: int | None) -> str:
    from django.utils.formats import number_format

    return "–" if value is None else number_format(value, force_grouping=True)


def demand_changes(*, demand: Demand, data: DemandData) -> DemandChanges:
    """Compare ``data`` (an uploaded workbook) with the working copy, value by value: each
    quantity, minimum and maximum per municipality, category and year, the services and the
    remark per category, and the number of workplaces and employees."""
    current = working_data(demand)
    municipalities, categories, years = demand_scope(demand)
    service_names = {s.slug: s.name for s in Category.objects.filter(slug__in=service_slugs())}
    result = DemandChanges()

    def compare(municipality, what, old, new, *, numeric=False, show=str):
        if old == new:
            result.unchanged += 1
        else:
            result.changes.append(
                Change(str(municipality), what, show(old), show(new), numeric=numeric)
            )

    def services_text(slugs) -> str:
        return ", ".join(sorted(str(service_names.get(s, s)) for s in slugs)) or "–"

    for municipality in municipalities:
        m = municipality.pk
        old_profile = current.profiles.get(m, (None, None))
        new_profile = data.profiles.get(m, (None, None))
        for index, label in enumerate((_("Number of workplaces"), _("Number of employees"))):
            compare(
                municipality,
                label,
                old_profile[index],
                new_profile[index],
                numeric=True,
                show=_number,
            )
        for category in categories:
            c = category.pk
            for year in years:
                old = current.lines.get((m, c, year), (0, None, None))
                new = data.lines.get((m, c, year), (0, None, None))
                for index, label in enumerate(
                    (
                        _("%(category)s %(year)s") % {"category": category.name, "year": year},
                        _("%(category)s %(year)s, minimum")
                        % {"category": category.name, "year": year},
                        _("%(category)s %(year)s, maximum")
                        % {"category": category.name, "year": year},
                    )
                ):
                    compare(municipality, label, old[index], new[index], numeric=True, show=_number)
            old_services, old_remark = current.options.get((m, c), ([], ""))
            new_services, new_remark = data.options.get((m, c), ([], ""))
            compare(
                municipality,
                _("%(category)s, services") % {"category": category.name},
                sorted(old_services),
                sorted(new_services),
                show=services_text,
            )
            compare(
                municipality,
                _("%(category)s, remark") % {"category": category.name},
                old_remark or "",
                new_remark or "",
                show=lambda text: text or "–",
            )
    return result
