from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from totech.admin import NUMBER_FIELDS

from .models import PopulationFigure, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "division_type", "edition", "parent"]
    list_filter = ["edition", "level", "division_type"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(SimpleHistoryAdmin):
    formfield_overrides = NUMBER_FIELDS
    list_display = ["unit", "as_of", "households", "population", "working_age_population", "eid_eligible"]
    raw_id_fields = ["unit"]
    date_hierarchy = "as_of"
