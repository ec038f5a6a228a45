from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from totech.admin import NUMBER_FIELDS

from .models import CompositionRule, Membership, MembershipRequest, Person, Team, Training


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "level", "status", "decision_number"]
    list_filter = ["level", "status"]
    search_fields = ["name", "unit__name", "decision_number"]
    raw_id_fields = ["unit"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "commune", "year_of_birth"]
    search_fields = ["full_name", "phone"]
    raw_id_fields = ["commune", "user"]
    exclude = ["national_id"]  # personal data: edited in the portal's own form only


@admin.register(MembershipRequest)
class MembershipRequestAdmin(SimpleHistoryAdmin):
    list_display = ["person", "team", "kind", "status", "effective_date", "decided_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["team", "person", "requested_by", "decided_by"]


@admin.register(CompositionRule)
class CompositionRuleAdmin(SimpleHistoryAdmin):
    formfield_overrides = NUMBER_FIELDS
    list_display = ["province", "team_level", "min_size", "max_size", "source"]
    raw_id_fields = ["province"]


@admin.register(Training)
class TrainingAdmin(SimpleHistoryAdmin):
    list_display = ["topic", "date", "unit", "organiser", "format"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["attendees"]
