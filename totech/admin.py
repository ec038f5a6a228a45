from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import CountField

# An admin's `formfield_overrides` where its integer fields are counts and its decimals targets or percentages:
# typed the Vietnamese way (25.000, 85,5), never cut to 25 as non-localised fields do.
NUMBER_FIELDS = {
    models.PositiveIntegerField: {"form_class": CountField},
    models.PositiveSmallIntegerField: {"form_class": CountField},
    models.DecimalField: {"localize": True},
}


class TotechAdminSite(admin.AdminSite):
    """Django admin is for system administrators only, whatever other flags a user carries."""

    site_header = _("Totech administration")
    site_title = _("Totech administration")

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_system_admin
