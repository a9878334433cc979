"""The response form: one input per question, built from the questionnaire version. It only
collects raw input; the rules per question type live in services_responses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PRICE_SEPARATOR = "--"
# The checkbox that removes the stored file of a file question: "<key>--verwijderen".
REMOVE_SUFFIX = f"{PRICE_SEPARATOR}verwijderen"


def _price_field_name(key: str, category_pk: int) -> str:
    return f"{key}{PRICE_SEPARATOR}{category_pk}"


def _initial(question, value: Any) -> Any:
    if value is None:
        return None
    if question.type == "yes_no":
        return "yes" if value else "no"
    if question.type == "number":
        return str(value).replace(".", ",")
    if question.type == "date":
        year, month, day = str(value).split("-")
        return f"{day}-{month}-{year}"
    return value


def _file_help_text(question) -> str:
    size = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    limit = _("A PDF file of at most %(size)s MB.") % {"size": size}
    return f"{question.help_text} {limit}".strip()


class ResponseForm(forms.Form):
    """Field names are the question keys; a price per item has one field per category; a file
    question has a file field and, when a file is stored, a "remove" checkbox
    ``<key>--verwijderen`` (rendered by the template next to the stored file).

    ``required`` only marks required questions for the reader: the form's own validation is
    not used, the service checks required answers at submit."""

    def __init__(self, *args, questions, answers: dict[str, Any], disabled: bool = False, **kw):
        super().__init__(*args, **kw)
        self.questions = questions
        # Questions are numbered through the whole questionnaire, across its sections.
        self.numbers = {q.key: n for n, q in enumerate(questions, start=1)}
        for question in questions:
            value = answers.get(question.key)
            number = self.numbers[question.key]
            common = {
                "label": f"{number}. {question.text}",
                "help_text": question.help_text,
                "required": question.required,
                "disabled": disabled,
            }
            if question.type == "short_text":
                field = forms.CharField(
                    widget=forms.TextInput(attrs={"maxlength": question.max_length or 200}),
                    **common,
                )
            elif question.type == "long_text":
                attrs = {"maxlength": question.max_length} if question.max_length else {}
                field = forms.CharField(widget=forms.Textarea(attrs=attrs), **common)
            elif question.type == "single_choice":
                field = forms.ChoiceField(
                    choices=[(o, o) for o in question.options], widget=forms.RadioSelect, **common
                )
            elif question.type == "multiple_choice":
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in question.options],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            elif question.type == "yes_no":
                field = forms.ChoiceField(
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.type == "number":
                if question.unit:
                    common["help_text"] = f"{question.help_text} ({question.unit})".strip()
                field = forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            elif question.type == "date":
                common["help_text"] = f"{question.help_text} {_('For example 01-03-2035.')}".strip()
                field = forms.CharField(**common)
            elif question.type == "price_per_item":
                prices = value or {}
                for category in question.categories.all():
                    name = _price_field_name(question.key, category.pk)
                    self.fields[name] = forms.CharField(
                        label=f"{number}. {question.text} – {category.name_nl} (€)",
                        required=question.required,
                        disabled=disabled,
                        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                        initial=(prices.get(str(category.pk)) or "").replace(".", ","),
                    )
                continue
            else:  # file
                common["help_text"] = _file_help_text(question)
                field = forms.FileField(
                    widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}), **common
                )
                # For the template: the stored file (name, size, sha256) and its checkbox.
                field.stored_file = value if isinstance(value, dict) else None
                field.remove_name = f"{question.key}{REMOVE_SUFFIX}"
                field.remove_checked = bool(self.data.get(field.remove_name))
                self.fields[question.key] = field
                continue
            field.initial = _initial(question, value)
            self.fields[question.key] = field

    def full_clean(self) -> None:
        # The service holds the rules (add_answer_errors shows its errors); the form's own
        # checks, "required" included, are not used.
        if self._errors is None:
            self._errors = ErrorDict()
        self.cleaned_data = {}

    def raw_answers(self) -> dict[str, Any]:
        """The submitted input per question key, unvalidated (the service validates)."""
        data = self.data
        raw: dict[str, Any] = {}
        for question in self.questions:
            if question.type == "price_per_item":
                raw[question.key] = {
                    str(c.pk): data.get(_price_field_name(question.key, c.pk), "")
                    for c in question.categories.all()
                }
            elif question.type == "multiple_choice":
                raw[question.key] = data.getlist(question.key)
            elif question.type != "file":
                raw[question.key] = data.get(question.key, "")
        return raw

    def raw_files(self) -> dict[str, Any]:
        """The uploaded file per file question (only those with a new file)."""
        return {
            q.key: self.files[q.key]
            for q in self.questions
            if q.type == "file" and self.files.get(q.key) is not None
        }

    def files_to_remove(self) -> list[str]:
        """The keys of file questions whose "remove file" checkbox is ticked."""
        return [
            q.key
            for q in self.questions
            if q.type == "file" and self.data.get(f"{q.key}{REMOVE_SUFFIX}")
        ]

    def add_answer_errors(self, exc: ValidationError) -> None:
        """Show the service's errors at their question (a price per item at its first
        category), anything else on top."""
        if self._errors is None:
            # The form's own validation is not used: the service holds the rules.
            self._errors = ErrorDict()
        if not hasattr(exc, "error_dict"):
            self._errors["__all__"] = self.error_class(exc.messages)
            return
        for key, messages in exc.message_dict.items():
            name = key
            if key not in self.fields:
                name = next(
                    (n for n in self.fields if n.startswith(f"{key}{PRICE_SEPARATOR}")), None
                )
            self._errors.setdefault(name or "__all__", self.error_class()).extend(messages)

    def field_names(self, question) -> list[str]:
        """The form fields of one question (a price per item: one per category)."""
        if question.type == "price_per_item":
            prefix = f"{question.key}{PRICE_SEPARATOR}"
            return [n for n in self.fields if n.startswith(prefix) and n != question.key]
        return [question.key] if question.key in self.fields else []

    def sections(self) -> list[dict[str, Any]]:
        """The questions grouped by their section, in order, each with its number and bound
        fields: the answer page shows a heading per section."""
        groups: list[dict[str, Any]] = []
        first = next(iter(self.fields), None)
        for question in self.questions:
            if not groups or groups[-1]["section"].pk != question.section_id:
                groups.append({"section": question.section, "questions": []})
            groups[-1]["questions"].append(
                {
                    "number": self.numbers[question.key],
                    "question": question,
                    # "first": the form's own errors are shown at the first input.
                    "fields": [
                        {"bound": self[name], "first": name == first}
                        for name in self.field_names(question)
                    ],
                }
            )
        return groups

    def summary_errors(self) -> list[tuple[str, str]]:
        """The error summary's lines as (the id of the input to link to, text), each naming its
        question: "Question 3 – Number of laptops: answer this question." Errors of the whole
        form come first and link to the first question."""
        lines: list[tuple[str, str]] = []
        first = next(iter(self.fields), None)
        for error in self.non_field_errors():
            lines.append((self[first].auto_id if first else "", str(error)))
        for question in self.questions:
            for name in self.field_names(question):
                errors = self.errors.get(name)
                if not errors:
                    continue
                bound = self[name]
                target = bound.auto_id
                if bound.widget_type in ("radioselect", "checkboxselectmultiple"):
                    target = f"{target}_0"
                title = Truncator(question.text).chars(80)
                for error in errors:
                    text = str(error)
                    lines.append(
                        (
                            target,
                            gettext("Question %(number)s – %(question)s: %(error)s")
                            % {
                                "number": self.numbers[question.key],
                                "question": title,
                                "error": text[:1].lower() + text[1:],
                            },
                        )
                    )
        return lines
