from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


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
