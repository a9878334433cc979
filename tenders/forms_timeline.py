"""The form of the tender's timeline page: each moment as a Dutch date and time on the wall
clock (Europe/Amsterdam), as the programme form takes them, plus the choices that set the
minimum period for bids. (Kept apart from tenders/forms.py until that becomes a package.)"""

from __future__ import annotations

from datetime import time as time_of_day
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import wall_clock
from tenders.models import Tender
from tenders.selectors.periods import moment_label
from tenders.services.tender import TIMELINE_FIELDS

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
DEFAULT_TIME = time_of_day(17, 0)


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Day-month-year, for example 29-01-2027."),
        error_messages={
            "invalid": _("Enter the date as day-month-year, for example 29-01-2027."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class TenderTimelineForm(forms.Form):
    """Every moment is optional here: a draft may be incomplete, and what publication still
    needs is shown as a problem of the legal periods, not as a form error."""

    electronic_submission = forms.BooleanField(
        label=_("Bids are submitted electronically"),
        required=False,
        help_text=_(
            "Shortens the minimum period for bids from 35 to 30 days (Directive 2014/24/EU, "
            "article 27(4))."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prior_information_notice_at"] = _date_field(
            _("Prior information notice published on")
        )
        self.fields["prior_information_notice_at"].help_text = _(
            "Only when a prior information notice was sent 35 days to 12 months before the "
            "notice: the minimum period for bids is then 15 days (Directive 2014/24/EU, article "
            "27(2)). Day-month-year."
        )
        for name in TIMELINE_FIELDS:
            label = moment_label(name)
            self.fields[f"{name}_date"] = _date_field(
                _("%(milestone)s: date") % {"milestone": label}
            )
            self.fields[f"{name}_time"] = forms.TimeField(
                label=_("%(milestone)s: time") % {"milestone": label},
                required=False,
                input_formats=["%H:%M", "%H.%M"],
                help_text=_("Dutch time; empty means 17:00."),
                error_messages={
                    "invalid": _("Enter the time as hours:minutes, for example 17:00."),
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        self.fields["contract_start"] = _date_field(moment_label("contract_start"))

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        """The tender's timeline as the form shows it: day-month-year and hours:minutes."""
        initial: dict[str, Any] = {"electronic_submission": tender.electronic_submission}
        if tender.prior_information_notice_at:
            initial["prior_information_notice_at"] = (
                f"{tender.prior_information_notice_at:%d-%m-%Y}"
            )
        for name in TIMELINE_FIELDS:
            value = getattr(tender, name)
            if value is not None:
                local = timezone.localtime(value)
                initial[f"{name}_date"] = f"{local:%d-%m-%Y}"
                initial[f"{name}_time"] = f"{local:%H:%M}"
        if tender.contract_start:
            initial["contract_start"] = f"{tender.contract_start:%d-%m-%Y}"
        return initial

    def moment_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField | None]]:
        """Per moment of the timeline, in order: its name, date field and time field (the
        contract start has a date only)."""
        rows: list[tuple[str, forms.BoundField, forms.BoundField | None]] = [
            (name, self[f"{name}_date"], self[f"{name}_time"]) for name in TIMELINE_FIELDS
        ]
        rows.append(("contract_start", self["contract_start"], None))
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        moments = {}
        for name in TIMELINE_FIELDS:
            day, time = cleaned.get(f"{name}_date"), cleaned.get(f"{name}_time")
            if day is None:
                if time is not None and f"{name}_date" not in self.errors:
                    self.add_error(
                        f"{name}_date",
                        _("Enter the date of: %(milestone)s.") % {"milestone": moment_label(name)},
                    )
                moments[name] = None
                continue
            moment = wall_clock(day, time or DEFAULT_TIME)
            if moment is None:
                self.add_error(
                    f"{name}_time", _("This time does not exist on that day (clocks go forward).")
                )
                continue
            moments[name] = moment
        cleaned["moments"] = moments
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "electronic_submission": data["electronic_submission"],
            "prior_information_notice_at": data.get("prior_information_notice_at"),
            "contract_start": data.get("contract_start"),
            **data["moments"],
        }
