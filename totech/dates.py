"""Date arithmetic in one place: years (`day.replace(year=...)` fails on 29 February, issue 12) and calendar
quarters (targets.Period's quarters, the rollups' quarters and the roster's quarters all count them here)."""

import calendar
import datetime


def years_from(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, to a year without one
        return day.replace(year=day.year + years, day=28)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """(year, quarter 1-4) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_months(quarter: int) -> list[int]:
    """The three months (1-12) of a quarter."""
    return [quarter * 3 - 2, quarter * 3 - 1, quarter * 3]


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter."""
    first, *_middle, last = quarter_months(quarter)
    return datetime.date(year, first, 1), datetime.date(year, last, calendar.monthrange(year, last)[1])
