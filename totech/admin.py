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

ADMIN_SEARCH_MAX_LENGTH = 100


class BoundedSearch:
    """Django admin turns each word searched into an OR over the search fields: 5,000 characters made SQLite
    give up ("Expression tree is too large", a 500) and PostgreSQL refuses a NUL character. A search reads
    its first ADMIN_SEARCH_MAX_LENGTH characters, NULs left out."""

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term.replace("\x00", "")[:ADMIN_SEARCH_MAX_LENGTH]
        return super().get_search_results(request, queryset, search_term)


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

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, the installed apps' too, searches within BoundedSearch's bounds."""
        admin_class = admin_class or admin.ModelAdmin
        bounded = type(admin_class.__name__, (BoundedSearch, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, bounded, **options)
