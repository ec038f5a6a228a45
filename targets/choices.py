from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    DIGITAL_GOVERNMENT = "digital_government", _("Digital government")
    DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
    DIGITAL_SOCIETY = "digital_society", _("Digital society")
    TEAM_ACTIVITY = "team_activity", _("Team activity")


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percentage of a denominator")


class PopulationField(models.TextChoices):
    """The population figures of a unit that can be a denominator; values are `PopulationFigure` field names."""

    EID_ELIGIBLE = "eid_eligible", _("Citizens eligible for e-ID")
    HOUSEHOLDS = "households", _("Households")
    WORKING_AGE = "working_age_population", _("Working-age population")
    POPULATION = "population", _("Population")


class Aggregation(models.TextChoices):
    FLOW = "flow", _("Flow: summed over the period")
    STOCK = "stock", _("Stock: latest value in the period")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    CAMPAIGN = "campaign", _("Campaign")


class TargetMode(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    ABSOLUTE = "absolute", _("Absolute number")


class Rating(models.TextChoices):
    RED = "red", _("Behind")
    AMBER = "amber", _("At risk")
    GREEN = "green", _("On track")
