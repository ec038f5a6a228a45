from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from targets.choices import Aggregation, PopulationField
from targets.selectors import indicators_active
from totech.forms import CleanCharField, CountField, text_formfield

from .choices import ProblemKind, ReportStatus
from .models import QualityRule, ReportingSchedule, ReportRequest
from .services import TEXT_FIELDS, value_field


class ReportForm(forms.Form):
    """A value for each indicator, then activities, difficulties and proposals. Values are counts typed in a
    plain text box with a numeric keypad (25000 or 25.000), so every mistake gets the portal's own message."""

    activities = CleanCharField(
        label=_("Activities done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Door-to-door visits, guidance sessions, awareness events..."),
    )
    difficulties = CleanCharField(label=_("Difficulties"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposals = CleanCharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    quality_note = CleanCharField(
        label=_("Explanation of the flagged figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the figures with a warning are right (e.g. the population figure is out of date). The reviewer reads it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, indicators, denominators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        denominators = denominators or {}
        for indicator in indicators:
            self.fields[value_field(indicator)] = CountField(
                label=indicator.name,
                required=False,
                max_value=10**9,
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
                    "what": indicator.get_denominator_field_display(),
                    "count": number_format(denominator),
                }
            return text
        if indicator.denominator_indicator_id:
            return _("Enter the number, at most the figure for “%(base)s”.") % {
                "base": indicator.denominator_indicator.name
            }
        return _("Count for the period.") if indicator.aggregation == Aggregation.FLOW else _("Total to date.")

    def values(self) -> dict[int, int | None]:
        return {indicator.pk: self.cleaned_data.get(value_field(indicator)) for indicator in self.indicators}

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in TEXT_FIELDS}


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    caption = CleanCharField(label=_("Caption"), max_length=200, required=False)


class ReviewForm(forms.Form):
    comment = CleanCharField(
        label=_("Comment to the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
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


# --- data quality ----------------------------------------------------------------------------------------


def operand_choices():
    """A rule's side: "indicator:<id>" or "population:<field>", grouped."""
    return [
        ("", "---------"),
        (
            _("Indicator in the report"),
            [(f"indicator:{indicator.pk}", indicator.name) for indicator in indicators_active()],
        ),
        (
            _("Population figure of the team's area"),
            [(f"population:{value}", label) for value, label in PopulationField.choices],
        ),
    ]


class QualityRuleForm(forms.ModelForm):
    """The Department's rule: left side, operator, right side (times a factor); each side one indicator or one
    population figure, picked from one list."""

    left = forms.ChoiceField(label=_("Left side"))
    right = forms.ChoiceField(label=_("Right side"))

    class Meta:
        model = QualityRule
        fields = ["name", "instruction", "operator", "right_factor", "is_active"]
        localized_fields = ["right_factor"]
        formfield_callback = text_formfield
        error_messages = {
            "right_factor": {
                "min_value": _("The factor cannot be negative."),
                "max_value": _("The factor can be at most 10.000."),
            }
        }
        widgets = {"instruction": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = self.fields["right"].choices = operand_choices()
        rule = self.instance
        if rule.pk:
            self.initial["left"] = (
                f"indicator:{rule.left_indicator_id}" if rule.left_indicator_id else f"population:{rule.left_field}"
            )
            self.initial["right"] = (
                f"indicator:{rule.right_indicator_id}" if rule.right_indicator_id else f"population:{rule.right_field}"
            )
        self.order_fields(["name", "left", "operator", "right", "right_factor", "instruction", "is_active"])

    def _post_clean(self):
        for side in ("left", "right"):
            kind, _sep, value = self.cleaned_data.get(side, "").partition(":")
            setattr(self.instance, f"{side}_indicator_id", int(value) if kind == "indicator" else None)
            setattr(self.instance, f"{side}_field", value if kind == "population" else "")
        super()._post_clean()

    def add_error(self, field, error):
        """The model names its sides' columns; the form has one list per side."""
        if isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            renamed = {
                {
                    "left_indicator": "left",
                    "left_field": "left",
                    "right_indicator": "right",
                    "right_field": "right",
                }.get(key, key): value
                for key, value in error.error_dict.items()
            }
            error = forms.ValidationError(renamed)
        super().add_error(field, error)


class QualityFilterForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, required=False, empty_label=None)
    kind = forms.ChoiceField(
        label=_("Kind of problem"), required=False, choices=[("", _("All kinds"))] + ProblemKind.choices
    )
    status = forms.ChoiceField(
        label=_("Report"),
        required=False,
        choices=[("", _("Sent (all)")), ("awaiting", _("Waiting for review")), (ReportStatus.APPROVED, _("Approved"))],
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
