"""The form of the change notice: the reason, the new moments of the timeline (Dutch date and
time on the wall clock, as the timeline page takes them) and the new wording and level of each
requirement, filled in with the tender as it stands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import wall_clock
from tenders.forms_timeline import DATE_FORMATS, DEFAULT_TIME, _date_field
from tenders.models import Tender
from tenders.models.change import CHANGE_REASON_MAX_LENGTH
from tenders.selectors.change import CHANGEABLE_MOMENTS
from tenders.selectors.periods import moment_label

MOMENTS = tuple(m for m in CHANGEABLE_MOMENTS if m != "contract_start")


class ChangeNoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=CHANGE_REASON_MAX_LENGTH,
        help_text=_("Published with the notice and named in the new document versions."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the change: it is published with the notice.")
        },
    )

    def __init__(self, *args: Any, tender: Tender, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_for(tender))
        super().__init__(*args, **kwargs)
        self.tender = tender
        for name in MOMENTS:
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
                    "invalid": _("Enter the time as hours:minutes, for example 17:00.")
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        self.fields["contract_start"] = forms.DateField(
            label=moment_label("contract_start"),
            required=False,
            input_formats=DATE_FORMATS,
            help_text=_("Day-month-year, for example 29-01-2027."),
            error_messages={
                "invalid": _("Enter the date as day-month-year, for example 29-01-2027.")
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        self.requirements = list(tender.requirements.all())
        for requirement in self.requirements:
            kind = requirement.get_kind_display()
            self.fields[f"requirement_{requirement.pk}_text"] = forms.CharField(
                label=_("%(kind)s: wording") % {"kind": kind},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"requirement_{requirement.pk}_level"] = forms.CharField(
                label=_("%(kind)s: level") % {"kind": kind}, required=False, max_length=100
            )

    @staticmethod
    def initial_for(tender: Tender) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in MOMENTS:
            value = getattr(tender, name)
            if value is not None:
                local = timezone.localtime(value)
                initial[f"{name}_date"] = f"{local:%d-%m-%Y}"
                initial[f"{name}_time"] = f"{local:%H:%M}"
        if tender.contract_start:
            initial["contract_start"] = f"{tender.contract_start:%d-%m-%Y}"
        for requirement in tender.requirements.all():
            initial[f"requirement_{requirement.pk}_text"] = requirement.text
            initial[f"requirement_{requirement.pk}_level"] = requirement.level
        return initial

    def moment_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField | None]]:
        rows: list[tuple[str, forms.BoundField, forms.BoundField | None]] = [
            (moment_label(name), self[f"{name}_date"], self[f"{name}_time"]) for name in MOMENTS
        ]
        rows.append((moment_label("contract_start"), self["contract_start"], None))
        return rows

    def requirement_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (r, self[f"requirement_{r.pk}_text"], self[f"requirement_{r.pk}_level"])
            for r in self.requirements
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        moments: dict[str, Any] = {}
        for name in MOMENTS:
            day, time = cleaned.get(f"{name}_date"), cleaned.get(f"{name}_time")
            if f"{name}_date" in self.errors or f"{name}_time" in self.errors:
                continue
            if day is None:
                moments[name] = None
                continue
            moment = wall_clock(day, time or DEFAULT_TIME)
            if moment is None:
                self.add_error(
                    f"{name}_time", _("This time does not exist on that day (clocks go forward).")
                )
                continue
            moments[name] = moment
        if "contract_start" not in self.errors:
            moments["contract_start"] = cleaned.get("contract_start")
        cleaned["moments"] = moments
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "moments": data["moments"],
            "requirements": {
                r.pk: {
                    "text": data.get(f"requirement_{r.pk}_text", ""),
                    "level": data.get(f"requirement_{r.pk}_level", ""),
                }
                for r in self.requirements
            },
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service names the tender's fields; a moment's error goes next to its date."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for field, errors in exc.message_dict.items():
            if field in MOMENTS:
                field = f"{field}_date"
            self.add_error(field if field in self.fields else None, errors)
