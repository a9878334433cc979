"""The one number parser of the demand (grid, Excel, API): Dutch thousands separators only in
groups of three, decimals refused instead of read as thousands, and a length cap before int(),
so a digit string of thousands of characters is a field error and never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.models import Category
from catalog.services import catalog_load_reference
from municipalities.demand_data import MAX_QUANTITY, MAX_TEXT_LENGTH, parse_count
from municipalities.models import Demand, DemandLine, Participation
from municipalities.services.demand import demand_for_participation

WHOLE = "Vul een heel getal in"
LONG_DIGITS = "9" * 5000  # past Python's 4,300-digit limit of int()


def dutch(raw, **kwargs):
    with translation.override("nl"):
        return parse_count(raw, required=True, **kwargs)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.234", 1234), ("1.234.567", 1_234_567), ("1 234", 1234), ("10.000.000", MAX_QUANTITY)],
)
def test_thousands_separators_in_groups_of_three(raw, value):
    assert dutch(raw) == (value, None)


@pytest.mark.parametrize("raw", ["2.5", "0,5", "1.5.0", "1.23", "1.2345", "12 34", "1.234 567"])
def test_decimals_and_misplaced_separators_are_refused(raw):
    value, error = dutch(raw)
    assert value is None
    assert error.startswith(WHOLE)


@pytest.mark.parametrize("raw", [LONG_DIGITS, "1." * 3000, "x" * 5000, "-" + LONG_DIGITS])
def test_very_long_input_is_a_field_error(raw):
    value, error = dutch(raw)
    assert value is None and error


def test_the_revision_has_its_own_maximum():
    assert dutch("2147483647", maximum=2**31 - 1) == (2**31 - 1, None)
    value, error = dutch("2147483648", maximum=2**31 - 1)
    assert value is None and error == "Vul een kleiner getal in."


def oracle(text: str) -> int | None:
    """An independent reading: plain digits, or one kind of separator (dot or space) between a
    first group of one to three digits and further groups of exactly three. None when that is
    not a count of at most MAX_QUANTITY."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    digits = None
    if text.isascii() and text.isdigit():
        digits = text
    for separator in (".", " "):
        head, *groups = text.split(separator)
        if (
            groups
            and all(part.isascii() and part.isdigit() for part in (head, *groups))
            and 1 <= len(head) <= 3
            and all(len(group) == 3 for group in groups)
        ):
            digits = head + "".join(groups)
    if digits is None or len(digits.lstrip("0")) > 8:
        return None
    number = int(digits)
    return number if number <= MAX_QUANTITY else None


numberish = st.text(alphabet="0123456789.,- \u00a0x", max_size=60)


@given(st.one_of(numberish, st.text(max_size=60)))
@example("2.5")
@example("1.234")
@example("1.5.0")
@example(" 1.234.567 ")
@example(LONG_DIGITS)
def test_the_parser_never_reads_a_wrong_number(text):
    value, error = parse_count(text, required=False)
    if not text.strip():
        assert (value, error) == (None, None)
        return
    expected = oracle(text)
    if value is not None:
        assert (value, error) == (expected, None)
    else:
        assert error
        # Refused although it is a count: only when it is too long to be read safely.
        assert expected is None or len(text.strip()) > MAX_TEXT_LENGTH


@given(st.integers(min_value=0, max_value=MAX_QUANTITY), st.sampled_from(["", ".", " "]))
def test_every_count_written_the_dutch_way_reads_back(number, separator):
    text = f"{number:,}".replace(",", separator) if separator else str(number)
    assert parse_count(text, required=True) == (number, None)


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_any_json_number_gives_a_value_in_range_or_an_error(raw):
    value, error = parse_count(raw, required=False)
    assert (value is None) or (0 <= value <= MAX_QUANTITY and error is None)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_QUANTITY:
        assert value == raw


# --- Through the channels ---------------------------------------------------------------------


@pytest.fixture
def demand(participation_a, db):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status="approved")
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


def _grid_post(client, demand, municipality, text, revision=None):
    laptop = Category.objects.get(slug="laptop")
    data = {
        "revision": str(demand.revision) if revision is None else revision,
        "action": "save",
        f"q-{municipality.pk}-{laptop.pk}-2028": text,
    }
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    with translation.override("nl"):
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2.5", "Vul een heel getal in, zonder decimalen."),
        ("1.5.0", "Vul een heel getal in."),
        (LONG_DIGITS, "Vul hoogstens 10.000.000 in."),
    ],
)
def test_grid_refuses_with_the_dutch_message(personas, demand, municipalities, text, message):
    response = _grid_post(personas["editor_a"].client(), demand, municipalities["a"], text)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DemandLine.objects.exists()
    assert Demand.objects.get(pk=demand.pk).revision == demand.revision


@pytest.mark.django_db
def test_grid_reads_thousands(personas, demand, municipalities):
    response = _grid_post(personas["editor_a"].client(), demand, municipalities["a"], "1.234")
    assert response.status_code == 302
    assert list(DemandLine.objects.values_list("quantity", flat=True)) == [1234]


@pytest.mark.django_db
def test_grid_totals_are_right_aligned_with_dutch_thousands(personas, demand, municipalities):
    client = personas["editor_a"].client()
    _grid_post(client, demand, municipalities["a"], "1.234")
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    numeric = 'utrecht-table__cell--numeric-column utrecht-table__cell--numeric-data">'
    assert numeric + "1.234</td>" in html
    assert numeric + "1234</td>" not in html


@pytest.mark.django_db
def test_grid_with_a_revision_of_thousands_of_digits_is_a_conflict(
    personas, demand, municipalities
):
    client = personas["editor_a"].client()
    response = _grid_post(client, demand, municipalities["a"], "5", revision=LONG_DIGITS)
    assert response.status_code == 422
    assert not DemandLine.objects.exists()


def _api_put(client, demand, revision, quantity):
    line = {"municipality": "GM9001", "category": "laptop", "year": 2028, "quantity": quantity}
    return client.put(
        f"/api/v1/demands/{demand.public_id}",
        {"revision": revision, "lines": [line]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revision", "quantity", "pointer", "message"),
    [
        (0, "2.5", "/lines/0/quantity", "Vul een heel getal in, zonder decimalen."),
        (0, "0,5", "/lines/0/quantity", "Vul een heel getal in, zonder decimalen."),
        (0, "1.5.0", "/lines/0/quantity", "Vul een heel getal in."),
        (0, LONG_DIGITS, "/lines/0/quantity", "Vul hoogstens 10.000.000 in."),
        (LONG_DIGITS, 5, "/revision", None),
        ("1.5", 5, "/revision", None),
    ],
)
def test_api_refuses_at_the_field(personas, demand, revision, quantity, pointer, message):
    response = _api_put(personas["editor_a"].client(), demand, revision, quantity)
    assert response.status_code == 400, response.content
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert pointer in reasons
    if message:
        assert reasons[pointer] == message
    assert not DemandLine.objects.exists()


@pytest.mark.django_db
def test_api_submit_with_a_revision_of_thousands_of_digits(personas, demand):
    response = (
        personas["editor_a"]
        .client()
        .post(
            f"/api/v1/demands/{demand.public_id}/submit",
            {"revision": LONG_DIGITS},
            content_type="application/json",
        )
    )
    assert response.status_code == 400
    assert "/revision" in {p["name"] for p in response.json()["invalidParams"]}


@pytest.mark.django_db
def test_api_reads_thousands(personas, demand):
    response = _api_put(personas["editor_a"].client(), demand, 0, "1.234.567")
    assert response.status_code == 200, response.content
    assert list(DemandLine.objects.values_list("quantity", flat=True)) == [1_234_567]


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(quantity=st.one_of(numberish, st.integers(), st.floats(), st.booleans()))
def test_api_never_stores_a_wrong_number(personas, demand, quantity):
    DemandLine.objects.all().delete()
    demand.refresh_from_db()
    response = _api_put(personas["editor_a"].client(), demand, demand.revision, quantity)
    assert response.status_code in {200, 400}, response.content
    stored = list(DemandLine.objects.values_list("quantity", flat=True))
    if response.status_code == 400:
        assert stored == []
        return
    if isinstance(quantity, str):
        expected = oracle(quantity) if quantity.strip() else 0
    else:
        expected = int(quantity)
    assert stored == ([expected] if expected else [])


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["revision", "quantity"])
def test_api_json_number_literal_of_thousands_of_digits_is_a_400(personas, demand, field):
    revision, quantity = (LONG_DIGITS, "5") if field == "revision" else ("0", LONG_DIGITS)
    where = '"municipality": "GM9001", "category": "laptop", "year": 2028'
    line = f'{{{where}, "quantity": {quantity}}}'
    raw = f'{{"revision": {revision}, "lines": [{line}]}}'
    response = (
        personas["editor_a"]
        .client()
        .put(f"/api/v1/demands/{demand.public_id}", raw, content_type="application/json")
    )
    assert response.status_code == 400
    assert not DemandLine.objects.exists()
