"""Scoped reads for the Excel pages: memberships for exports, import jobs, communes a user may import into."""

from django.db.models import QuerySet

from accounts.choices import Role
from units.choices import Level
from units.models import Unit
from units.selectors import unit_scope_q, units_visible_to

from .models import Membership
from .models_excel import ImportJob

IMPORT_ROLES = {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF, Role.DISTRICT_STAFF, Role.COMMUNE_OFFICER}


def can_import(user) -> bool:
    return user.is_authenticated and user.role in IMPORT_ROLES


def communes_importable_by(user) -> QuerySet[Unit]:
    if not can_import(user):
        return Unit.objects.none()
    return units_visible_to(user).filter(level=Level.COMMUNE).order_by("edition", "name")


def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.filter(unit_scope_q(user, unit_field="team__unit"))


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    if not can_import(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(unit_scope_q(user, unit_field="commune")).select_related("commune", "user")
