from django.db import transaction

from units.models import Unit

from .choices import Role
from .models import User


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
