"""Date arithmetic in years, in one place: `day.replace(year=...)` fails on 29 February (issue 12)."""

import datetime


def years_from(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, to a year without one
        return day.replace(year=day.year + years, day=28)
