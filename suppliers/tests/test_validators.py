import pytest
from django.core.exceptions import ValidationError
from stdnum.nl import btw

from suppliers.validators import normalise_postcode, validate_kvk_number, validate_vat_number

# A valid Dutch btw-id from python-stdnum's own documentation of stdnum.nl.btw.
VALID_NL_BTW = "NL000099998B57"


@pytest.mark.parametrize("value", ["12345678", "0123 4567", "90000011"])
def test_kvk_number_of_8_digits_is_valid(value):
    assert validate_kvk_number(value) == value.replace(" ", "")


@pytest.mark.parametrize("value", ["", "1234567", "123456789", "1234567a", "KVK12345"])
def test_kvk_number_not_of_8_digits_is_refused(value):
    with pytest.raises(ValidationError, match="12345678"):
        validate_kvk_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234 AB", "1234 AB"),
        ("1234ab", "1234 AB"),
        (" 9999 zz ", "9999 ZZ"),
        ("1000AA", "1000 AA"),
    ],
)
def test_postcode_is_normalised(value, expected):
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize(
    "value",
    ["0123 AB", "1234 SA", "1234 SD", "1234ss", "123 AB", "12345 AB", "1234 A", "ABCD 12", ""],
)
def test_postcode_that_is_never_issued_is_refused(value):
    with pytest.raises(ValidationError, match="1234 AB"):
        normalise_postcode(value)


def test_example_btw_id_is_valid_according_to_stdnum():
    assert btw.is_valid(VALID_NL_BTW)


@pytest.mark.parametrize("value", [VALID_NL_BTW, "nl 0000.99998.B57", "000099998B57"])
def test_dutch_vat_number_is_valid(value):
    assert validate_vat_number(value, country="NL") == VALID_NL_BTW


@pytest.mark.parametrize("value", ["NL000099998B58", "NL123456789", "NL12345678B01"])
def test_dutch_vat_number_with_wrong_check_is_refused(value):
    with pytest.raises(ValidationError, match="NL000099998B57"):
        validate_vat_number(value, country="NL")


def test_eu_vat_number_is_checked_with_its_country():
    assert validate_vat_number("DE 136 695 976", country="DE") == "DE136695976"
    assert validate_vat_number("136695976", country="DE") == "DE136695976"
    with pytest.raises(ValidationError, match="DE136695976"):
        validate_vat_number("DE136695977", country="DE")
