"""The project's form renderer and the fields every form uses for what people type: counts, text and dates."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .text import clean_input_text


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, or above the form (every view that
    calls a service puts the service's refusal on its form through this)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form and field with Bootstrap 5 markup, so templates just write {{ form }}."""

    form_template_name = "forms/bootstrap_form.html"
    field_template_name = "forms/bootstrap_field.html"


# ---------------------------------------------------------------------------------------------------------
# Counts

MAX_COUNT = 2_147_483_647  # the largest value a PositiveIntegerField holds
PLAIN_DIGITS = re.compile(r"[0-9]+")
GROUPED_DIGITS = re.compile(r"[0-9]{1,3}(?:[. ][0-9]{3})+")  # 25.000, 1.234.567, 25 000
# What the browser checks as typed (the server still decides): digits, with dots or spaces between thousands.
COUNT_PATTERN = r"[0-9]{1,3}([. ]?[0-9]{3})*"


def parse_count(value, *, label="") -> int | None:
    """A count as Vietnamese people type it: 25000, 25.000 or 25 000 (dots or spaces between groups of three
    digits; a comma is the decimal separator), or a number an Excel cell already holds. None when blank.

    Anything else raises ValidationError, the field named by `label` when given: a decimal part (1,5 1.5
    1.50), letters, a negative number. A non-localised IntegerField would read 25.000 as 25."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if not _is_whole(value):
            raise _not_whole(number_format(value), label)
        number = int(value)
    else:
        text = " ".join(str(value).split())
        if not (PLAIN_DIGITS.fullmatch(text) or GROUPED_DIGITS.fullmatch(text)):
            unsigned = text[1:].strip()
            if text[:1] in "-−" and (PLAIN_DIGITS.fullmatch(unsigned) or GROUPED_DIGITS.fullmatch(unsigned)):
                raise _negative(label)
            raise _not_whole(text, label)
        number = int(text.replace(".", "").replace(" ", ""))
    if number < 0:
        raise _negative(label)
    return number


def _is_whole(number) -> bool:
    try:
        return number == int(number)
    except (ValueError, OverflowError):  # NaN, infinity
        return False


def _not_whole(value, label) -> ValidationError:
    params = {"field": label, "value": value}
    if label:
        message = _(
            "%(field)s: “%(value)s” is not a whole number. Write it without decimals, with or without dots between thousands: 25000 or 25.000."
        )
    else:
        message = _(
            "“%(value)s” is not a whole number. Write it without decimals, with or without dots between thousands: 25000 or 25.000."
        )
    return ValidationError(message % params, code="invalid")


def _negative(label) -> ValidationError:
    if label:
        return ValidationError(_("%(field)s cannot be negative.") % {"field": label}, code="min_value")
    return ValidationError(_("A count cannot be negative."), code="min_value")


class CountInput(forms.TextInput):
    """A text box with the phone's number pad: type=number would refuse 25.000 in the browser."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"inputmode": "numeric", "pattern": COUNT_PATTERN, "autocomplete": "off", **(attrs or {})}
        )


class CountField(forms.IntegerField):
    """A whole number of people, households, visits...: typed as 25000, 25.000 or 25 000 (see `parse_count`),
    shown back as 25.000."""

    widget = CountInput
    default_error_messages = {"max_value": _lazy("This number is too large: check the figure.")}

    def __init__(self, *, max_value=MAX_COUNT, min_value=None, **kwargs):
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        return parse_count(value, label=self.label or "")

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and _is_whole(value):
            return number_format(int(value), force_grouping=True)
        return value


# ---------------------------------------------------------------------------------------------------------
# Text


class CleanCharField(forms.CharField):
    """A name or a free text, cleaned by `totech.text.clean_input_text`: stored in NFC, refused with a message naming
    the field when it holds control characters, direction overrides or only invisible characters. A Textarea
    keeps its lines; any other widget gets one line with single spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_input_text(
            value, label=self.label or _("This field"), multiline=isinstance(self.widget, forms.Textarea)
        )


def text_formfield(db_field, **kwargs):
    """A model form's `formfield_callback`: CleanCharField for the model's plain CharFields and TextFields
    (not e-mail, URL or slug fields, which validate their own characters, nor fields with choices), and
    PlausibleDateField for its DateFields."""
    if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
        kwargs.setdefault("form_class", CleanCharField)
    elif type(db_field) is models.DateField:
        kwargs.setdefault("form_class", PlausibleDateField)
    return db_field.formfield(**kwargs)


# ---------------------------------------------------------------------------------------------------------
# Dates

FIRST_DATE = datetime.date(1900, 1, 1)  # before any living person's birth
LAST_DATE = datetime.date(2100, 12, 31)


class PlausibleDateField(forms.DateField):
    """A date typed as dd/mm/yyyy between FIRST_DATE and LAST_DATE. Python reads 01/01/0001 and 31/12/9999 as
    dates; typed, they are mistakes, which would be stored as they are (a member born in year 1) or drive a
    loop over every year since (a reporting schedule starting in year 1 made the periods of 2,026 years)."""

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DATE <= value <= LAST_DATE:
            raise ValidationError(
                _("%(field)s: %(value)s is not a plausible date: write a date between %(first)s and %(last)s.")
                % {
                    "field": self.label or _("This field"),
                    "value": f"{value:%d/%m}/{value.year:04d}",
                    "first": f"{FIRST_DATE:%d/%m/%Y}",
                    "last": f"{LAST_DATE:%d/%m/%Y}",
                },
                code="min_value" if value < FIRST_DATE else "max_value",
            )
