"""The one list filter for "this unit and everything under it", picked with the shared unit picker."""

import django_filters

from .forms import UnitChoiceField


class UnitFilter(django_filters.ModelChoiceFilter):
    """Give it `levels` (units.choices.PICKER_LEVELS) and, in the filter set's __init__, a scoped queryset."""

    field_class = UnitChoiceField
