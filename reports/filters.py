import django_filters
from django.utils.translation import gettext_lazy as _

from targets.models import Period

from .choices import ReportKind, ReportStatus
from .models import Report


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices, empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReportKind.choices, empty_label=_("All kinds"))
    period = django_filters.ModelChoiceFilter(label=_("Period"), queryset=Period.objects.none(), empty_label=_("All periods"))
    team = django_filters.CharFilter(label=_("Team"), field_name="team__name", lookup_expr="icontains")

    class Meta:
        model = Report
        fields = ["status", "kind", "period", "team"]

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["period"].queryset = periods if periods is not None else Period.objects.none()
