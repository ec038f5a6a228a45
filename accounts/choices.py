from django.db import models
from django.utils.translation import gettext_lazy as _

from units.choices import Level


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    PROVINCE_STAFF = "province_staff", _("Province staff (Department)")
    DISTRICT_STAFF = "district_staff", _("District staff")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    TEAM_LEADER = "team_leader", _("Team leader")


class ExportKind(models.TextChoices):
    """What an ExportLog row records the export of."""

    TEAM_MEMBERS = "team_members", _("Team members")
    DASHBOARD_REPORT = "dashboard_report", _("Excel: official report")
    DASHBOARD_DATA = "dashboard_data", _("Excel: data for analysis")
    QUALITY_PROBLEMS = "quality_problems", _("Excel: data-quality problems")
    USERS = "users", _("Excel: user accounts")
    LOGIN_SHEET = "login_sheet", _("Login sheet with one-time passwords")


# The levels a role's scope unit may be at.
SCOPE_LEVELS = {
    Role.SYSTEM_ADMIN: set(),
    Role.PROVINCE_STAFF: {Level.PROVINCE},
    Role.DISTRICT_STAFF: {Level.DISTRICT},
    Role.COMMUNE_OFFICER: {Level.COMMUNE},
    Role.TEAM_LEADER: {Level.COMMUNE, Level.VILLAGE},
}
