import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from totech.forms import LAST_DATE, CleanCharField, CountField, CountInput, PlausibleDateField, text_formfield
from units.forms import UnitChoiceField
from units.selectors import units_to_pick

from .models import FIRST_YEAR, AchievementThreshold, Indicator, Period

NEGATIVE = _("A target cannot be negative.")
PERCENT_RANGE = _("A percentage must be between 0 and 100.")
PERCENT_DECIMALS = _("A percentage has at most 2 decimals, such as 85,5.")
MAX_TARGET = 10**10 - 1  # Target.value holds 12 digits, 2 of them decimals


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_vi",
            "name_en",
            "pillar",
            "kind",
            "denominator_field",
            "denominator_indicator",
            "aggregation",
            "default_target",
            "default_target_high",
            "source",
            "order",
            "is_active",
        ]
        localized_fields = ["default_target", "default_target_high"]
        field_classes = {"order": CountField}
        formfield_callback = text_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Indicator.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["denominator_indicator"].queryset = others


class PeriodGenerateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_DATE.year, initial=lambda: datetime.date.today().year
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["name", "unit", "start", "end", "plan_number"]
        formfield_callback = text_formfield

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = self.fields["unit"]
        self.fields["unit"] = UnitChoiceField(
            queryset=units_to_pick(user, "area"),
            levels="area",
            label=model_field.label,
            help_text=model_field.help_text,
        )


class DeadlineForm(forms.Form):
    due_on = PlausibleDateField(label=_("Due on"))
    task = CleanCharField(label=_("What is due"), max_length=200)


DeadlineFormSet = forms.formset_factory(DeadlineForm, extra=3, can_delete=True)


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = AchievementThreshold
        fields = ["amber_from", "green_from"]
        localized_fields = ["amber_from", "green_from"]


def cell_name(kind: str, holder_id: int, indicator_id: int) -> str:
    return f"c-{kind}-{holder_id}-{indicator_id}"


class TargetGridForm(forms.Form):
    """One field per holder × indicator (blank: no own target, it inherits), plus the deciding document."""

    decision_number = CleanCharField(
        label=_("Decision number"), max_length=50, required=False, help_text=_("For example 174/KH-UBND")
    )
    decision_date = PlausibleDateField(label=_("Decision date"), required=False)

    def __init__(self, *args, holders, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for (kind, holder_id), holder in holders.items():
            for indicator in indicators:
                name = cell_name(kind, holder_id, indicator.pk)
                self.keys[name] = (kind, holder_id, indicator.pk)
                attrs = {"class": "form-control-sm", "aria-label": f"{holder} · {indicator.name}"}
                if indicator.is_percent:
                    self.fields[name] = forms.DecimalField(
                        required=False,
                        localize=True,
                        min_value=0,
                        max_value=100,
                        max_digits=5,
                        decimal_places=2,
                        error_messages={
                            "min_value": NEGATIVE,
                            "max_value": PERCENT_RANGE,
                            "max_decimal_places": PERCENT_DECIMALS,
                        },
                        widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}),
                    )
                else:
                    self.fields[name] = CountField(required=False, max_value=MAX_TARGET, widget=CountInput(attrs=attrs))

    def cells(self) -> dict[tuple[str, int, int], Decimal | None]:
        values = {key: self.cleaned_data.get(name) for name, key in self.keys.items()}
        return {key: None if value is None else Decimal(value) for key, value in values.items()}


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("A file exported from this grid, filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
