import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.filters import UnitFilter
from units.models import Unit
from units.selectors import units_to_pick, within_unit_q

from .permissions import assignable_roles
from .selectors import search_users_q


class UserFilter(django_filters.FilterSet):
    """Filters of the user list (and of its Excel export)."""

    q = django_filters.CharFilter(label=capfirst(_("search")), method="search")
    role = django_filters.ChoiceFilter(label=capfirst(_("role")), choices=[])
    unit = UnitFilter(
        label=capfirst(_("unit (and everything under it)")), queryset=Unit.objects.none(), method="within", levels="any"
    )
    active = django_filters.ChoiceFilter(
        label=capfirst(_("status")),
        method="filter_active",
        choices=[
            ("yes", pgettext_lazy("account status", "active")),
            ("no", pgettext_lazy("account status", "deactivated")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["role"].extra["choices"] = [(role.value, role.label) for role in assignable_roles(user)]
        self.filters["unit"].queryset = units_to_pick(user, "any")

    def search(self, queryset, name, value):
        return queryset.filter(search_users_q(value[:100]))

    def within(self, queryset, name, unit):
        return queryset.filter(within_unit_q(unit, "scope_unit"))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
