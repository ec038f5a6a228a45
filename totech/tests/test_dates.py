import datetime

import pytest

from totech.dates import previous_quarter, quarter_bounds, quarter_months, quarter_of, years_from


@pytest.mark.parametrize(
    "day, years, expected",
    [
        (datetime.date(2028, 2, 29), -1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2029, 2, 28)),
        (datetime.date(2028, 2, 29), -4, datetime.date(2024, 2, 29)),
        (datetime.date(2027, 3, 1), -1, datetime.date(2026, 3, 1)),
        (datetime.date(2026, 12, 31), 2, datetime.date(2028, 12, 31)),
    ],
)
def test_years_from(day, years, expected):
    assert years_from(day, years) == expected


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/1899", "0001-01-01", "01/01/2101", "31/12/9999", "9999-12-31"])
def test_every_typed_date_is_plausible(typed):
    """A year typed as 0001 or 9999 is refused with the field's name, in the model forms (through their
    formfield_callback) and in the forms' own date fields alike; the bounds themselves are accepted."""
    from teams.forms import DissolveForm, PersonForm
    from totech.forms import FIRST_DATE, LAST_DATE

    person = PersonForm(data={"full_name": "Lò Văn Pó", "gender": "male", "birth_date": typed})
    assert not person.is_valid()
    assert person.errors["birth_date"] == [
        f"Ngày sinh: {typed if '/' in typed else '/'.join(reversed(typed.split('-')))} không phải là một ngày hợp lý: "
        "hãy gõ một ngày từ 01/01/1900 đến 31/12/2100."
    ]
    dissolve = DissolveForm(data={"dissolved_on": typed, "version": "1"})
    assert not dissolve.is_valid() and "dissolved_on" in dissolve.errors
    for day in (FIRST_DATE, LAST_DATE):
        assert DissolveForm(data={"dissolved_on": f"{day:%d/%m/%Y}", "version": "1"}).is_valid()


def test_quarter_arithmetic():
    D = datetime.date
    assert [
        quarter_of(D(2026, 1, 1)),
        quarter_of(D(2026, 3, 31)),
        quarter_of(D(2026, 4, 1)),
        quarter_of(D(2026, 12, 31)),
    ] == [(2026, 1), (2026, 1), (2026, 2), (2026, 4)]
    assert (previous_quarter(2026, 1), previous_quarter(2026, 3)) == ((2025, 4), (2026, 2))
    assert (quarter_months(1), quarter_months(4)) == ([1, 2, 3], [10, 11, 12])
    assert quarter_bounds(2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_bounds(2026, 2) == (D(2026, 4, 1), D(2026, 6, 30))
    assert quarter_bounds(2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))
