from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
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

    def password_change(self, request, extra_context=None):
        """The portal's password-change page, whose check of the current password is throttled (accounts.forms);
        the admin's own form would let a stolen administrator session guess the password unhindered."""
        return redirect("password_change")
