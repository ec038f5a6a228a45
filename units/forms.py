"""The one field every form uses to pick an administrative unit, and the population figures form."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from totech.forms import CountField, PlausibleDateField
from totech.params import parse_id

from .models import POPULATION_FIELDS
from .selectors import unit_labels


class UnitPicker(forms.Select):
    """A plain select of the field's units while there are at most `settings.UNIT_PICKER_MAX_OPTIONS`;
    above that (a province has thousands, the whole map 73,000) the select holds only the current choice and
    a search box fills it with matches from `units:search` (htmx, static/js/unit-picker.js). Without
    JavaScript the current choice stays and a hint says so. The submitted value is the unit's id either way,
    validated by the field's scoped queryset."""

    template_name = "units/widgets/unit_select.html"

    def __init__(self, attrs=None, levels="any"):
        super().__init__(attrs)
        self.levels = levels

    def get_context(self, name, value, attrs):
        self.searching = self.choices.queryset.count() > settings.UNIT_PICKER_MAX_OPTIONS
        context = super().get_context(name, value, attrs)
        context["widget"]["searching"] = self.searching
        if self.searching:
            context["widget"]["search_url"] = reverse("units:search", kwargs={"levels": self.levels})
        return context

    def optgroups(self, name, value, attrs=None):
        if not self.searching:
            return super().optgroups(name, value, attrs)
        chosen = list(self.choices.queryset.filter(pk__in=[pk for pk in map(parse_id, value) if pk is not None]))
        labels = unit_labels(chosen)
        choices = [(unit.pk, labels[unit.pk]) for unit in chosen]
        if self.choices.field.empty_label is not None:
            choices.insert(0, ("", self.choices.field.empty_label))
        return [
            (None, [self.create_option(name, pk, label, str(pk) in value, index)], index)
            for index, (pk, label) in enumerate(choices)
        ]


class UnitChoiceField(forms.ModelChoiceField):
    """A unit from the queryset the form gives it (always a scoped one); `levels` names the matching entry of
    units.choices.PICKER_LEVELS, which the search endpoint offers."""

    widget = UnitPicker

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.levels = levels

    def label_from_instance(self, unit):
        return f"{unit.name} · {unit.parent.name}" if unit.parent_id else unit.name


class PopulationFigureForm(forms.Form):
    """A unit's figures as of a date: a date that already has figures is corrected, a new date adds a row (the
    figures that count are the latest)."""

    as_of = PlausibleDateField(label=_("Figures as of"), help_text=_("dd/mm/yyyy"))
    households = CountField(label=_("Households"), required=False)
    population = CountField(label=_("Population"), required=False)
    working_age_population = CountField(label=_("Working-age population"), required=False)
    eid_eligible = CountField(label=_("Eligible for e-ID"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(name) is None for name in POPULATION_FIELDS):
            raise forms.ValidationError(
                _(
                    "Enter at least one figure: households, population, working-age population or citizens eligible for e-ID."
                )
            )
        return cleaned
