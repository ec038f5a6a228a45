from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from targets.choices import Aggregation
from totech.forms import CleanCharField, CountField, text_formfield

from .models import ReportingSchedule, ReportRequest
from .services import TEXT_FIELDS, value_field


class ReportForm(forms.Form):
    """A value for each indicator, then activities, difficulties and proposals. Values are counts typed in a
    plain text box with a numeric keypad (25000 or 25.000), so every mistake gets the portal's own message."""

    activities = CleanCharField(
        label=_("Activities done"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Door-to-door visits, guidance sessions, awareness events..."),
    )
    difficulties = CleanCharField(label=_("Difficulties"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposals = CleanCharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, indicators, denominators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        denominators = denominators or {}
        for indicator in indicators:
            self.fields[value_field(indicator)] = CountField(
                label=indicator.name, required=False, max_value=10**9,
                help_text=self._help(indicator, denominators.get(indicator.pk)),
                error_messages={"max_value": _("This number is too large: check the figure.")},
            )
        # Values first, texts after.
        order = [value_field(indicator) for indicator in indicators] + list(TEXT_FIELDS) + ["version"]
        self.order_fields(order)

    @staticmethod
    def _help(indicator, denominator):
        if indicator.is_percent and indicator.denominator_field:
            text = _("Enter the number, not the percentage.")
            if denominator is not None:
                text = _("Enter the number, not the percentage: %(what)s of the unit: %(count)s.") % {
                    "what": indicator.get_denominator_field_display(), "count": number_format(denominator),
                }
            return text
        if indicator.denominator_indicator_id:
            return _("Enter the number, at most the figure for “%(base)s”.") % {"base": indicator.denominator_indicator.name}
        return _("Count for the period.") if indicator.aggregation == Aggregation.FLOW else _("Total to date.")

    def values(self) -> dict[int, int | None]:
        return {indicator.pk: self.cleaned_data.get(value_field(indicator)) for indicator in self.indicators}

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    caption = CleanCharField(label=_("Caption"), max_length=200, required=False)


class ReviewForm(forms.Form):
    comment = CleanCharField(
        label=_("Comment to the team"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you return or reopen the report: say what to correct."),
    )


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportingSchedule
        fields = ["frequency", "deadline_day", "remind_days_before", "starts_on"]
        formfield_callback = text_formfield


class ReportRequestForm(forms.ModelForm):
    class Meta:
        model = ReportRequest
        fields = ["title", "instructions", "covers_start", "covers_end", "deadline"]
        formfield_callback = text_formfield
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}
