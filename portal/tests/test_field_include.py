"""``includes/field.html`` with the field's state worked out once (``field_state``): the ids
that describe the input, the invalid state and the errors (form-level ones first, escaped)."""

from django import forms
from django.template import Context
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.templatetags.portal_tags import field_state


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
    state = field_state(Context({}), form["title"])
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
