"""Forms of the draft tender: the award criteria and the requirements, a fixed number of rows
(an empty row is ignored)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import SingleLineField
from tenders.models import AwardCriterion, Requirement
from tenders.services.tender import CriterionData, RequirementData

CRITERIA_ROWS = 6
REQUIREMENT_ROWS = 10


class CriteriaForm(forms.Form):
    """Rows of kind, name and weight; the weights add up to 100 (checked by the service)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(CRITERIA_ROWS):
            n = i + 1
            self.fields[f"c{i}_kind"] = forms.ChoiceField(
                label=_("Criterion %(n)s: kind") % {"n": n},
                choices=[("", "—"), *AwardCriterion.Kind.choices],
                required=False,
            )
            self.fields[f"c{i}_name"] = SingleLineField(
                label=_("Criterion %(n)s: name") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"c{i}_weight"] = forms.IntegerField(
                label=_("Criterion %(n)s: weight") % {"n": n},
                required=False,
                min_value=1,
                max_value=100,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Enter a whole number from 1 to 100."),
                    "min_value": _("Enter a whole number from 1 to 100."),
                    "max_value": _("Enter a whole number from 1 to 100."),
                },
            )

    def rows(self):
        return [
            (self[f"c{i}_kind"], self[f"c{i}_name"], self[f"c{i}_weight"])
            for i in range(CRITERIA_ROWS)
        ]

    def clean(self):
        data = super().clean()
        for i in range(CRITERIA_ROWS):
            values = [data.get(f"c{i}_{f}") for f in ("kind", "name", "weight")]
            if any(values) and not all(values):
                for field, value in zip(("kind", "name", "weight"), values, strict=True):
                    if not value and f"c{i}_{field}" not in self.errors:
                        self.add_error(
                            f"c{i}_{field}", _("Fill in kind, name and weight of this criterion.")
                        )
        return data

    def criteria(self) -> list[CriterionData]:
        data = self.cleaned_data
        return [
            CriterionData(
                kind=data[f"c{i}_kind"], name=data[f"c{i}_name"], weight=data[f"c{i}_weight"]
            )
            for i in range(CRITERIA_ROWS)
            if data.get(f"c{i}_kind") and data.get(f"c{i}_name") and data.get(f"c{i}_weight")
        ]

    @staticmethod
    def initial_for(tender) -> dict:
        initial = {}
        for i, c in enumerate(tender.criteria.all()[:CRITERIA_ROWS]):
            initial.update({f"c{i}_kind": c.kind, f"c{i}_name": c.name, f"c{i}_weight": c.weight})
        return initial


class RequirementsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(REQUIREMENT_ROWS):
            n = i + 1
            self.fields[f"r{i}_kind"] = forms.ChoiceField(
                label=_("Requirement %(n)s: kind") % {"n": n},
                choices=[("", "—"), *Requirement.Kind.choices],
                required=False,
            )
            self.fields[f"r{i}_level"] = forms.CharField(
                label=_("Requirement %(n)s: level") % {"n": n}, required=False, max_length=100
            )
            self.fields[f"r{i}_amount"] = forms.DecimalField(
                label=_("Requirement %(n)s: amount or percentage") % {"n": n},
                required=False,
                max_digits=14,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"r{i}_mandatory"] = forms.BooleanField(
                label=_("Requirement %(n)s: minimum requirement (knock-out)") % {"n": n},
                required=False,
            )
            self.fields[f"r{i}_text"] = forms.CharField(
                label=_("Requirement %(n)s: wording") % {"n": n},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        return [
            [self[f"r{i}_{f}"] for f in ("kind", "level", "amount", "mandatory", "text")]
            for i in range(REQUIREMENT_ROWS)
        ]

    def clean(self):
        data = super().clean()
        for i in range(REQUIREMENT_ROWS):
            if bool(data.get(f"r{i}_kind")) != bool(data.get(f"r{i}_text")):
                field = f"r{i}_text" if data.get(f"r{i}_kind") else f"r{i}_kind"
                if field not in self.errors:
                    self.add_error(
                        field, _("Give both the kind and the wording of this requirement.")
                    )
        return data

    def requirements(self) -> list[RequirementData]:
        data = self.cleaned_data
        return [
            RequirementData(
                kind=data[f"r{i}_kind"],
                text=data[f"r{i}_text"],
                level=data.get(f"r{i}_level", ""),
                amount=data.get(f"r{i}_amount"),
                mandatory=bool(data.get(f"r{i}_mandatory")),
            )
            for i in range(REQUIREMENT_ROWS)
            if data.get(f"r{i}_kind") and data.get(f"r{i}_text")
        ]

    @staticmethod
    def initial_for(tender) -> dict:
        initial: dict[str, object] = {}
        for i, r in enumerate(tender.requirements.all()[:REQUIREMENT_ROWS]):
            amount: Decimal | None = r.amount
            initial.update(
                {
                    f"r{i}_kind": r.kind,
                    f"r{i}_level": r.level,
                    f"r{i}_amount": amount,
                    f"r{i}_mandatory": r.mandatory,
                    f"r{i}_text": r.text,
                }
            )
        return initial
