"""Normalising and checking the personal fields typed by communes (shared by forms and imports)."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_PHONE = re.compile(r"^0\d{9}$")
NATIONAL_ID = re.compile(r"^\d{12}$")
NOT_DIGITS = re.compile(r"\D")


def normalize_phone(value) -> str:
    """'+84 912.345.678', '84912345678', 912345678 (a number that lost its 0) → '0912345678'.

    Raises ValidationError when the result is not ten digits starting with 0.
    """
    if value is None:
        return ""
    if isinstance(value, str) and MOBILE_PHONE.fullmatch(value):
        return value  # already as stored: the common case of an import, kept cheap
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = NOT_DIGITS.sub("", str(value))
    if not str(value).strip():
        return ""
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if not MOBILE_PHONE.match(digits):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number: it needs 10 digits starting with 0."),
            params={"value": value},
            code="invalid_phone",
        )
    return digits


def validate_national_id(value: str) -> None:
    """A citizen identity card (CCCD) number: 12 digits (province 3, century and sex 1, year 2, serial 6)."""
    if value and not NATIONAL_ID.match(value):
        raise ValidationError(_("A national ID (CCCD) has exactly 12 digits."), code="invalid_national_id")


def validate_birth(birth_date: datetime.date | None, birth_year: int | None, today: datetime.date) -> None:
    """A birth in the future is refused; so is one, a date's year or a year alone, more than 100 or less than 10
    years ago (the person forms and the member import alike)."""
    if birth_date and birth_date > today:
        raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
    first, last = today.year - 100, today.year - 10
    for field, year in (("birth_date", birth_date and birth_date.year), ("birth_year", birth_year)):
        if year and not first <= year <= last:
            raise ValidationError(
                {field: _("The birth year must be between %(first)s and %(last)s.") % {"first": first, "last": last}}
            )


# --- who is who ---------------------------------------------------------------------------------------------
# One rule, for the member import and the person forms: a national ID is one person; otherwise the same name
# with birth data that do not disagree. A phone says nothing (a family shares one), so it never identifies.

SAME, OTHER, CONFLICT = "same", "other", "conflict"


def name_key(text: str) -> str:
    """People match on their name with its accents (Ân is not An), whatever the case, spaces or NFD."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def births_agree(first, second) -> bool:
    """Birth data that do not disagree: the same date, or the same year where one side has only the year, or
    nothing known on one side. `first` and `second` have birth_date and birth_year."""
    if first.birth_date and second.birth_date:
        return first.birth_date == second.birth_date
    first_year = first.birth_date.year if first.birth_date else first.birth_year
    second_year = second.birth_date.year if second.birth_date else second.birth_year
    return not (first_year and second_year) or first_year == second_year


def same_person(known, other) -> str:
    """SAME when two records may be one person; OTHER when they are two; CONFLICT when one national ID is
    given to records whose names or births disagree (a typo in the ID, or two people: only a person can say).
    Both have full_name, birth_date, birth_year and national_id."""
    alike = name_key(known.full_name) == name_key(other.full_name) and births_agree(known, other)
    if known.national_id and other.national_id:
        if known.national_id != other.national_id:
            return OTHER
        return SAME if alike else CONFLICT
    return SAME if alike else OTHER
