"""Reads of accounts, always starting from the accounts the user manages (accounts.permissions)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from totech.history import Change, history_change
from units.selectors import within_unit_q

from .models import User
from .permissions import assignable_roles


def users_managed_by(actor) -> QuerySet[User]:
    """The accounts `actor` manages: those with a role the actor may give, in the actor's scope (system
    administrators: every account). Any other account is not there for the actor (404)."""
    roles = assignable_roles(actor)
    if not roles:
        return User.objects.none()
    users = User.objects.filter(role__in=roles)
    if not actor.sees_everything:
        users = users.filter(within_unit_q(actor.scope_unit, "scope_unit"))
    return users.select_related("scope_unit__parent")


def search_users_q(text: str) -> Q:
    """Accounts whose username, name, e-mail or phone holds every word typed."""
    q = Q()
    for word in text.split():
        q &= (
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return q


def user_history(user: User) -> list[Change]:
    """Every change of the account, newest first: who made it, when, which fields (never the password), with the
    reason a service gave (a password reset). Logins write a record too: those that change nothing are left out."""
    records = list(user.history.select_related("history_user").order_by("history_date", "history_id"))
    changes, previous = [], None
    for record in records:
        subject = _(record.history_change_reason) if record.history_change_reason else _("Account")
        change = history_change(record, previous, subject, skip={"password", "last_login", "date_joined"})
        if change.created or change.fields or record.history_change_reason:
            changes.append(change)
        previous = record
    return changes[::-1]
