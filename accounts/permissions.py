"""Who manages which accounts (every `can_*` of the accounts app).

Accounts are delegated down the tree: system administrators manage everyone; the Department (province staff)
the district staff, commune officers and team leaders of its province; a commune officer the team leaders of
its commune. Nobody gives a role at or above their own, nor a scope unit outside theirs."""

from units.selectors import covers

from .choices import Role

ASSIGNABLE_ROLES = {
    Role.SYSTEM_ADMIN: list(Role),
    Role.PROVINCE_STAFF: [Role.DISTRICT_STAFF, Role.COMMUNE_OFFICER, Role.TEAM_LEADER],
    Role.COMMUNE_OFFICER: [Role.TEAM_LEADER],
}


def assignable_roles(actor) -> list[Role]:
    """The roles `actor` may give, highest first (none: `actor` manages no accounts)."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    return ASSIGNABLE_ROLES.get(actor.role, [])


def can_manage_users(actor) -> bool:
    return bool(assignable_roles(actor))


def can_give(actor, role: str, unit) -> bool:
    """Whether `actor` may make or keep an account with this role and scope unit."""
    return role in assignable_roles(actor) and covers(actor, unit)


def can_manage_user(actor, user) -> bool:
    """Edit, deactivate, reactivate, reset: the account's current role and unit must be the actor's to give."""
    return can_give(actor, user.role, user.scope_unit)
