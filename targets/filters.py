import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import IndicatorKind, PeriodKind, Pillar
from .models import Indicator, Period


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    pillar = django_filters.ChoiceFilter(label=_("Pillar"), choices=Pillar.choices, empty_label=_("All pillars"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=IndicatorKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Indicator
        fields = ["q", "pillar", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name_vi__icontains=value) | Q(name_en__icontains=value))


class PeriodFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PeriodKind.choices, empty_label=_("All kinds"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Period
        fields = ["kind", "year"]
