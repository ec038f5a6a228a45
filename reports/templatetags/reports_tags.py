"""The reports app's panels on other apps' pages (home pages, the team page, the navbar): one line each,
`{% load reports_tags %}{% leader_home %}`, so accounts and teams never import reports."""

from django import template
from django.utils import timezone

from targets.choices import PeriodKind
from targets.models import Period

from ..progress import progress
from ..selectors import completeness_for_user, fills_on_behalf, leader_agenda, reports_awaiting_review_by, slots_for_team, teams_fillable_by, unread_count

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


@register.inclusion_tag("reports/tags/team_reports.html", takes_context=True)
def team_reports_panel(context, team):
    """The reports the team still owes, for whoever may fill them in: its leader or named deputy, or a commune
    officer typing in the paper report the team handed in (marked as entered on its behalf)."""
    user = context["request"].user
    if not teams_fillable_by(user).filter(pk=team.pk).exists():
        return {"slots": None}
    today = timezone.localdate()
    slots = [slot for slot in slots_for_team(team, today) if not slot.received]
    return {"slots": slots, "on_behalf": fills_on_behalf(user, team), "today": today}
