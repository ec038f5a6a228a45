import datetime

import pytest

from totech.dates import years_from


@pytest.mark.parametrize("day, years, expected", [
    (datetime.date(2028, 2, 29), -1, datetime.date(2027, 2, 28)),
    (datetime.date(2028, 2, 29), 1, datetime.date(2029, 2, 28)),
    (datetime.date(2028, 2, 29), -4, datetime.date(2024, 2, 29)),
    (datetime.date(2027, 3, 1), -1, datetime.date(2026, 3, 1)),
    (datetime.date(2026, 12, 31), 2, datetime.date(2028, 12, 31)),
])
def test_years_from(day, years, expected):
    assert years_from(day, years) == expected
