"""The reports app's panels on other apps' pages (the navbar's bell, the home pages), given to every template as
`report_panels` so that accounts never imports reports. Each panel is read the first time a template shows it:
a page without it runs none of its queries, and a page with it counts them among its own."""

from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from .selectors import can_view_quality, completeness_for_user, leader_agenda, reports_awaiting_review_by, unread_count

WAITING_SHOWN = 10


class ReportPanels:
    def __init__(self, user):
        self.user = user or AnonymousUser()

    @cached_property
    def unread(self) -> int:
        """The bell's count of unread notifications."""
        return unread_count(self.user) if self.user.is_authenticated else 0

    @cached_property
    def agenda(self):
        """A team leader's reports: returned for correction, overdue, due."""
        return leader_agenda(self.user)

    @cached_property
    def waiting(self) -> list:
        """The first reports waiting for this user's review."""
        return list(reports_awaiting_review_by(self.user)[:WAITING_SHOWN])

    @cached_property
    def waiting_count(self) -> int:
        return reports_awaiting_review_by(self.user).count()

    @cached_property
    def completeness(self):
        """Completeness and timeliness of the last closed period in the user's unit."""
        return completeness_for_user(self.user)

    @cached_property
    def data_quality_url(self) -> str:
        """Where the reports tabs link the user's data quality: their own unit's page, the list of units for a
        system administrator, nothing for those without the pages."""
        if not can_view_quality(self.user):
            return ""
        if self.user.scope_unit_id:
            return reverse("reports:quality_unit", args=[self.user.scope_unit_id])
        return reverse("reports:quality")


def report_panels(request):
    # A request refused before the authentication middleware (an oversized body, 413) has no user: no panel.
    return {"report_panels": ReportPanels(getattr(request, "user", None))}
