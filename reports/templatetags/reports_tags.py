"""The reports app's panels on other apps' pages (home pages, the team page, the navbar): one line each,
`{% load reports_tags %}{% leader_home %}`, so accounts and teams never import reports."""

from django import template
from django.urls import reverse
from django.utils import timezone

from targets.choices import PeriodKind
from targets.models import Period

from ..progress import progress
from ..selectors import can_view_quality, completeness_for_user, leader_agenda, reports_awaiting_review_by, unread_count

register = template.Library()


@register.inclusion_tag("reports/tags/bell.html", takes_context=True)
def notification_bell(context):
    user = context["request"].user
    return {"unread": unread_count(user) if user.is_authenticated else 0, "request": context["request"]}


@register.inclusion_tag("reports/tags/leader_home.html", takes_context=True)
def leader_home(context):
    """A team leader's reports: returned for correction, overdue, due."""
    return {"agenda": leader_agenda(context["request"].user), "today": timezone.localdate()}


@register.inclusion_tag("reports/tags/reviewer_home.html", takes_context=True)
def reviewer_home(context):
    """Reports waiting for this user's review, and completeness and timeliness of the last closed period."""
    user = context["request"].user
    waiting = reports_awaiting_review_by(user)
    return {"waiting": waiting[:10], "waiting_count": waiting.count(), "completeness": completeness_for_user(user)}


@register.inclusion_tag("reports/tags/team_progress.html", takes_context=True)
def team_progress_panel(context, team, period=None):
    """The team's progress against its targets this quarter (or `period`)."""
    today = timezone.localdate()
    period = period or Period.objects.filter(kind=PeriodKind.QUARTER, start__lte=today, end__gte=today).first()
    rows = progress(period=period, team=team) if period else []
    return {"team": team, "period": period, "rows": rows, "request": context["request"]}


@register.filter
def data_quality_url(user) -> str:
    """Where the reports tabs link the user's data quality: their own unit's page, the list of provinces for a
    system administrator, nothing for those without the pages."""
    if not can_view_quality(user):
        return ""
    if user.scope_unit_id:
        return reverse("reports:quality_unit", args=[user.scope_unit_id])
    return reverse("reports:quality")
