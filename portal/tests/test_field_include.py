"""``includes/field.html`` (``portal.field_html``) with the field's state worked out once
(``field_state_of``): the ids that describe the input, the invalid state and the errors (form-level
ones first, escaped); choice lists as Django's subwidgets give them; each kind of input."""

from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe

from catalog.models import CpvCode
from portal.field_html import _options, field_state_of


class ExampleForm(forms.Form):
    title = forms.CharField(max_length=20, help_text="Hoogstens 20 tekens.")
    note = forms.CharField(required=False, widget=forms.Textarea)


def render(field, nonfield_errors=None) -> str:
    context = {"field": field}
    if nonfield_errors is not None:  # most includes do not pass it at all
        context["nonfield_errors"] = nonfield_errors
    return render_to_string("includes/field.html", context)


def test_an_unbound_field_is_described_by_its_hint_only():
    form = ExampleForm()
    state = field_state_of(form["title"])
    assert (state.id, state.name, state.required, state.invalid) == (
        "id_title",
        "title",
        True,
        False,
    )
    assert state.described_by == "id_title-hint"
    html = render(form["title"])
    assert 'aria-describedby="id_title-hint"' in html and "aria-invalid" not in html
    assert "aria-describedby" not in render(form["note"])


def test_errors_show_form_level_ones_first_escaped_and_describe_the_input():
    form = ExampleForm({"title": "x" * 21})
    assert not form.is_valid()
    html = render(form["title"], ["Controleer <b>alles</b>.", mark_safe("<i>Veilig</i>.")])
    assert 'aria-describedby="id_title-hint id_title-error"' in html
    assert 'aria-invalid="true"' in html and "utrecht-textbox--invalid" in html
    error = html.split('id="id_title-error">', 1)[1].split("</p>", 1)[0]
    assert error.startswith("Controleer &lt;b&gt;alles&lt;/b&gt;. <i>Veilig</i>. ")
    assert "20" in error  # the field's own error about its length
    # A field without a hint but with an error: only the error describes it.
    other = ExampleForm({"title": "ok"})
    other.add_error("note", "Te kort.")
    described = render(other["note"]).split('aria-describedby="', 1)[1].split('"', 1)[0]
    assert described.split() == ["id_note-error"]


class ChoicesForm(forms.Form):
    colour = forms.ChoiceField(
        choices=[("r", "Rood & <oranje>"), ("g", "Groen")], widget=forms.RadioSelect
    )
    extras = forms.MultipleChoiceField(
        choices=[(1, "Eén"), (2, "Twee"), (3, "Drie")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("Warm", [("r", "Rood"), ("o", "Oranje")]), ("Koud", [("b", "Blauw")])],
        widget=forms.RadioSelect,
    )


def django_options(field):
    """What Django's own subwidgets say of each choice."""
    return [
        (
            c.id_for_label,
            str(c.choice_label),
            c.data["name"],
            str(c.data["value"]),
            c.data["selected"],
        )
        for c in field
    ]


def portal_options(field):
    return [(i, str(label), n, str(v), s) for i, label, n, v, s in _options(field)]


@pytest.mark.parametrize(
    "data",
    [None, {"colour": "g", "extras": ["1", "3"], "grouped": "o"}, {"colour": "x", "extras": ["9"]}],
)
def test_choice_lists_say_what_djangos_subwidgets_say(data):
    form = ChoicesForm(data, initial={"extras": [2]})
    for name in ("colour", "extras", "grouped"):
        assert portal_options(form[name]) == django_options(form[name]), name


def test_a_choice_list_escapes_labels_and_marks_the_chosen_one():
    html = render(ChoicesForm({"colour": "r"})["colour"])
    assert "Rood &amp; &lt;oranje&gt;" in html
    assert 'id="id_colour_0" value="r" checked>' in html
    assert 'id="id_colour_1" value="g">' in html


@pytest.mark.django_db
def test_a_model_choice_list_reads_its_choices_once():
    """One SELECT of the choices per rendered field: no COUNT before it."""

    codes = [CpvCode.objects.create(code=f"3021310{i}-{i}", label_en=f"Code {i}") for i in range(3)]

    these = CpvCode.objects.filter(pk__in=[c.pk for c in codes]).order_by("code")

    class CodesForm(forms.Form):
        codes = forms.ModelMultipleChoiceField(
            queryset=these,
            widget=forms.CheckboxSelectMultiple,
        )

    form = CodesForm(initial={"codes": [codes[1].pk]})
    with CaptureQueriesContext(connection) as queries:
        html = render(form["codes"])
    assert len(queries.captured_queries) == 1
    assert "COUNT" not in queries.captured_queries[0]["sql"].upper()
    assert html.count('type="checkbox"') == 3
    assert f'id="id_codes_1" value="{codes[1].pk}" checked>' in html
    assert portal_options(form["codes"]) == django_options(form["codes"])


class KindsForm(forms.Form):
    amount = forms.DecimalField(localize=True, max_digits=8, decimal_places=2, required=False)
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A"), ("1", "Eén")], required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(widget=forms.FileInput(attrs={"accept": ".pdf"}))
    story = forms.CharField(
        max_length=300, required=False, widget=forms.Textarea(attrs={"character_count": True})
    )


def test_each_kind_of_input_in_its_markup():
    form = KindsForm(
        initial={"amount": Decimal("1234.5"), "kind": "1", "secret": "geheim", "agree": True}
    )
    with translation.override("nl"):
        amount = render(form["amount"])
        story = render(form["story"])
    assert 'value="1234,5"' in amount  # in the language of the page, as a template writes it
    assert "(niet verplicht)" in amount
    kind = render(form["kind"])
    assert '<option value="1" selected>Eén</option>' in kind
    assert '<option value="" selected>' not in kind
    assert "geheim" not in render(form["secret"])
    assert 'type="password"' in render(form["secret"])
    assert 'id="id_agree" checked>' in render(form["agree"])
    upload = render(form["upload"])
    assert 'type="file"' in upload and 'accept=".pdf"' in upload
    assert 'aria-required="true"' in upload
    assert 'data-character-count="300"' in story
    assert "U kunt maximaal 300 tekens gebruiken.</p>" in story
