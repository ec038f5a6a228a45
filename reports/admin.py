from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    IndicatorSummary,
    Notification,
    QualityRule,
    Report,
    ReportingSchedule,
    ReportRequest,
    ReportTransition,
    StaleRollup,
    UnitSummary,
)


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["province", "frequency", "deadline_day", "remind_days_before", "starts_on"]


@admin.register(ReportRequest)
class ReportRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "deadline", "requested_by"]
    raw_id_fields = ["unit", "requested_by"]


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "comment"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """Read-mostly: reports change through the portal's review, which keeps the values and roll-ups in step."""

    list_display = ["team", "kind", "period", "status", "deadline", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["team__name"]
    readonly_fields = [
        "team",
        "kind",
        "period",
        "request",
        "status",
        "village",
        "commune",
        "district",
        "province",
        "submitted_at",
        "approved_at",
        "created_by",
    ]
    inlines = [TransitionInline]


@admin.register(StaleRollup)
class StaleRollupAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "quarter", "marked_at"]
    raw_id_fields = ["unit"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "message", "created_at", "read_at", "emailed"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(IndicatorSummary)
class IndicatorSummaryAdmin(admin.ModelAdmin):
    """Written by the roll-ups only (python manage.py rollup): shown for checking, never edited here."""

    list_display = ["unit", "period", "indicator", "actual", "target", "achievement", "rating", "computed_at"]
    list_filter = ["rating", "period__kind"]
    raw_id_fields = ["unit", "period", "indicator"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitSummary)
class UnitSummaryAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "reports_expected", "reports_received", "active_teams", "members", "computed_at"]
    raw_id_fields = ["unit", "period"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QualityRule)
class QualityRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "province",
        "left_indicator",
        "left_field",
        "operator",
        "right_factor",
        "right_indicator",
        "right_field",
        "is_active",
    ]
    raw_id_fields = ["province"]
