from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from totech.admin import NUMBER_FIELDS

from .models import AchievementThreshold, Indicator, Period, PeriodDeadline, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    formfield_overrides = NUMBER_FIELDS
    list_display = ["code", "name_vi", "pillar", "kind", "denominator_field", "aggregation", "is_active"]
    list_filter = ["pillar", "kind", "is_active"]
    search_fields = ["code", "name_vi", "name_en"]


class PeriodDeadlineInline(admin.TabularInline):
    model = PeriodDeadline
    extra = 0


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "start", "end", "unit"]
    list_filter = ["kind", "year"]
    raw_id_fields = ["unit"]
    inlines = [PeriodDeadlineInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    formfield_overrides = NUMBER_FIELDS
    list_display = ["indicator", "period", "unit", "team", "mode", "value", "decision_number"]
    list_filter = ["period__kind", "indicator"]
    raw_id_fields = ["unit", "team", "updated_by"]
    list_select_related = ["indicator", "period", "unit", "team"]


@admin.register(AchievementThreshold)
class AchievementThresholdAdmin(SimpleHistoryAdmin):
    formfield_overrides = NUMBER_FIELDS
    list_display = ["province", "amber_from", "green_from"]
    raw_id_fields = ["province"]
