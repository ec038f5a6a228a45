from django.db import transaction

from units.models import Unit

from .choices import ExportKind, Role
from .models import ExportLog, User


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
