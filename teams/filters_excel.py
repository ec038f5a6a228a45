"""The filters a member export takes: the team list's querystring (unit, team, q, level, status, role)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from units.selectors import units_visible_to, within_unit_q

from .choices import TeamRole, TeamStatus
from .models import TEAM_LEVELS, Membership, Team


class MemberExportFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.none(), method="filter_unit")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.none(), field_name="team")
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=TEAM_LEVELS, field_name="team__level")
    status = django_filters.ChoiceFilter(label=_("Team status"), choices=TeamStatus.choices, field_name="team__status")
    role = django_filters.ChoiceFilter(label=_("Role in the team"), choices=TeamRole.choices, field_name="role")

    class Meta:
        model = Membership
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = units_visible_to(user)
        self.filters["unit"].queryset = visible
        self.filters["team"].queryset = Team.objects.filter(unit__in=visible)

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(within_unit_q(unit, "team__unit"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(person__full_name__icontains=value) | Q(team__name__icontains=value))
