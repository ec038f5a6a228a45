import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from targets.models import Period
from units.filters import UnitFilter
from units.models import Unit
from units.selectors import units_to_pick, within_unit_q

from .choices import ReportKind, ReportStatus
from .models import Report


class ReportFilter(django_filters.FilterSet):
    unit = UnitFilter(
        label=capfirst(_("unit (and everything under it)")),
        queryset=Unit.objects.none(),
        method="within",
        levels="area",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReportKind.choices, empty_label=_("All kinds"))
    period = django_filters.ModelChoiceFilter(
        label=_("Period"), queryset=Period.objects.none(), empty_label=_("All periods")
    )
    team = django_filters.CharFilter(label=_("Team"), field_name="team__name", lookup_expr="icontains")

    class Meta:
        model = Report
        fields = ["unit", "status", "kind", "period", "team"]

    def __init__(self, *args, user, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units_to_pick(user, "area")
        self.filters["period"].queryset = periods if periods is not None else Period.objects.none()

    def within(self, queryset, name, unit):
        """Reports of the teams serving the unit or a unit under it (as reports_visible_to reads by team)."""
        return queryset.filter(within_unit_q(unit, "team__unit"))
