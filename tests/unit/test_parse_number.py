"""Numbers as analysts write them: unambiguous forms are read (and said how), ambiguous text is
refused (the import's use of it: tests/integration/test_validate.py)."""

from __future__ import annotations

import pytest

from dashboard.data.validate import NumberError, parse_number

# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "form"),
    [
        ("82344", 82344, None),
        (" 11.2 ", 11.2, None),
        ("-3", -3, None),
        ("82,344", 82344, "thousands"),
        ("1,234,567.5", 1234567.5, "thousands"),
        ("£5.4m", 5_400_000, "money"),
        ("£1,250", 1250, "money"),
        ("£2bn", 2e9, "money"),
        ("93%", 93, "percent"),
    ],
)
def test_parse_number_accepts_unambiguous_forms(text, value, form):
    assert parse_number(text) == (pytest.approx(value), form)


@pytest.mark.parametrize(
    "text", ["n/a", "1,2,3", "12,34", "1.234,5", "5.4m", "", "--", "1e3", "nan"]
)
def test_parse_number_refuses_ambiguous_text(text):
    with pytest.raises(NumberError):
        parse_number(text)
