"""Account writes. History reasons are stored as their English msgid and translated when shown
(accounts.selectors.user_history)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from totech.spreadsheets import fold
from units.models import Unit

from .choices import ExportKind, Role
from .models import ExportLog, User
from .permissions import assignable_roles, can_give, can_manage_user

# One-time passwords are read off a printed sheet and typed on a phone: no letters that look alike (l, 1, o, 0).
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@transaction.atomic
def user_upsert(
    *, username: str, password: str, first_name: str, last_name: str, role: str, scope_unit: Unit | None
) -> User:
    """Create or update a user; system administrators also get the Django admin flags."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.role, user.scope_unit = role, scope_unit
    user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def export_log(*, user: User, kind: ExportKind, scope: str, row_count: int) -> ExportLog:
    """Record an export of personal data (Law 91/2025/QH15): who, what, of which scope and filters, how many rows.
    Every export writes its record through this."""
    scope = scope.strip()[: ExportLog._meta.get_field("scope").max_length]
    return ExportLog.objects.create(user=user, kind=kind, scope=scope, row_count=row_count)


def one_time_password() -> str:
    """12 random characters in three groups ("k7mp-2xq9-tr4w"), about 60 bits."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def username_for(full_name: str) -> str:
    """A readable username not yet taken: the name without diacritics ("Hoàng Văn Nam" → "hoangvannam"), then
    "hoangvannam2", "hoangvannam3" …"""
    base = fold(full_name).replace(" ", "")[:140] or "user"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    username, number = base, 1
    while username in taken:
        number += 1
        username = f"{base}{number}"
    return username


def split_full_name(full_name: str) -> tuple[str, str]:
    """(last_name, first_name) of a Vietnamese full name: the given name is the last word."""
    *family, given = full_name.split() or [""]
    return " ".join(family), given


def _check_can_give(actor, role: str, scope_unit: Unit | None) -> None:
    if role not in assignable_roles(actor):
        raise ValidationError(
            {
                "role": _("You cannot give this role: you may give %(roles)s.")
                % {
                    "roles": ", ".join(str(choice.label).lower() for choice in assignable_roles(actor)),
                }
            }
        )
    if not can_give(actor, role, scope_unit):
        raise ValidationError({"scope_unit": _("This unit is outside your scope: choose one of your own units.")})


def _check_manages(actor, user: User) -> None:
    if not can_manage_user(actor, user):
        raise ValidationError(_("You do not manage this account."))


def _set_admin_flags(user: User) -> None:
    user.is_staff = user.is_superuser = user.role == Role.SYSTEM_ADMIN


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    scope_unit: Unit | None,
    email: str = "",
    phone: str = "",
) -> tuple[User, str]:
    """A new account with a one-time password (returned, never stored in clear): the user must choose their own
    at the first login."""
    _check_can_give(actor, role, scope_unit)
    password = one_time_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        role=role,
        scope_unit=scope_unit,
        email=email,
        phone=phone,
        must_change_password=True,
    )
    _set_admin_flags(user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, password


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    scope_unit: Unit | None,
    email: str,
    phone: str,
) -> User:
    _check_manages(actor, user)
    _check_can_give(actor, role, scope_unit)
    user.username, user.first_name, user.last_name, user.email, user.phone = (
        username,
        first_name,
        last_name,
        email,
        phone,
    )
    user.role, user.scope_unit = role, scope_unit
    _set_admin_flags(user)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the account can no longer log in; everything it did stays) or reactivate an account."""
    _check_manages(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user._change_reason = gettext_noop("Reactivated") if active else gettext_noop("Deactivated")
    user.save()
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """A new one-time password for an account (returned to hand over): the user chooses their own at the next
    login. For users without e-mail; those with one can also reset it themselves from the login page."""
    _check_manages(actor, user)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user._change_reason = gettext_noop("Password reset by an officer")
    user.save()
    return password


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The user chose their own password (password change or reset by e-mail): the one-time one is gone."""
    user.must_change_password = False
    user._change_reason = gettext_noop("Password changed by the user")
    user.save()
