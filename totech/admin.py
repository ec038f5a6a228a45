from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, the installed apps' too, searches within BoundedSearch's bounds."""
        admin_class = admin_class or admin.ModelAdmin
        bounded = type(admin_class.__name__, (BoundedSearch, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, bounded, **options)
