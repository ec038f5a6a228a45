from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, Report, ReportingSchedule, ReportRequest, ReportTransition, StaleRollup


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
    readonly_fields = ["team", "kind", "period", "request", "status", "village", "commune", "district", "province", "submitted_at", "approved_at", "created_by"]
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
