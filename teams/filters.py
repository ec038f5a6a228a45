import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from totech.forms import CountField
from units.filters import UnitFilter
from units.models import Unit
from units.selectors import units_to_pick, units_visible_to, within_unit_q

from .choices import RequestKind, RequestStatus, TeamRole, TeamStatus
from .models import TEAM_LEVELS, Membership, Team
from .selectors import breaking_rules_q


class CountFilter(django_filters.NumberFilter):
    """A number of people, typed as anywhere else in the portal (totech.forms.CountField)."""

    field_class = CountField


class TeamFilter(django_filters.FilterSet):
    """Filters of the team list; the queryset must come annotated by `with_composition` (for the size)."""

    q = django_filters.CharFilter(label=capfirst(_("search")), method="search")
    unit = UnitFilter(
        label=capfirst(_("unit (and everything under it)")),
        queryset=Unit.objects.none(),
        method="within",
        levels="area",
    )
    level = django_filters.ChoiceFilter(label=capfirst(_("level")), choices=TEAM_LEVELS)
    status = django_filters.ChoiceFilter(label=capfirst(_("status")), choices=TeamStatus.choices)
    violations = django_filters.ChoiceFilter(
        label=capfirst(_("composition rules")),
        method="breaking_rules",
        choices=[("yes", _("breaks a rule")), ("no", _("meets the rules"))],
    )
    size_min = CountFilter(label=capfirst(_("members from")), field_name="member_count", lookup_expr="gte")
    size_max = CountFilter(label=capfirst(_("members to")), field_name="member_count", lookup_expr="lte")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units_to_pick(user, "area")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(unit__name__icontains=value) | Q(decision_number__icontains=value)
        )

    def within(self, queryset, name, unit):
        return queryset.filter(within_unit_q(unit))

    def breaking_rules(self, queryset, name, value):
        breaking = breaking_rules_q(timezone.localdate())
        return queryset.filter(breaking) if value == "yes" else queryset.exclude(breaking)


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=capfirst(_("status")), choices=RequestStatus.choices, empty_label=capfirst(_("all"))
    )
    kind = django_filters.ChoiceFilter(label=capfirst(_("request")), choices=RequestKind.choices)


class MemberExportFilter(django_filters.FilterSet):
    """What a roster export narrows beyond the team list's own filters (TeamFilter): one team, one role."""

    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.none(), field_name="team")
    role = django_filters.ChoiceFilter(label=_("Role in the team"), choices=TeamRole.choices, field_name="role")

    class Meta:
        model = Membership
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(unit__in=units_visible_to(user))
