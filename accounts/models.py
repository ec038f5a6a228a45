from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import SCOPE_LEVELS, ExportKind, Role


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes a system administrator: the role that sees everything and may use Django admin
        (the field's default, a commune officer, would have no unit and no admin)."""
        extra_fields.setdefault("role", Role.SYSTEM_ADMIN)
        if extra_fields["role"] != Role.SYSTEM_ADMIN:
            raise ValueError("A superuser must have role=system_admin.")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A portal user: one role, and one scope unit under which they see and change things."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    scope_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("scope unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The user sees and manages this unit and everything under it."),
    )
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set with a one-time password: the user chooses their own at the next login."),
    )

    objects = UserManager()
    # Every account change, by whom (accounts.selectors.user_history); never the password hash, nor each login.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        error = self.scope_error()
        if error:
            raise ValidationError({"scope_unit": error})

    def scope_error(self):
        """What is wrong with the scope unit for the role, or None when it fits (SCOPE_LEVELS)."""
        levels = SCOPE_LEVELS.get(self.role, set())  # an unknown role is refused by the role field itself
        if not levels:
            return _("A system administrator has no scope unit.") if self.scope_unit_id else None
        if self.scope_unit is None:
            return _("This role needs a scope unit.")
        if self.scope_unit.level not in levels:
            return _("A %(role)s's scope unit must be a %(levels)s.") % {
                "role": self.get_role_display(),
                "levels": ", ".join(str(level.label).lower() for level in sorted(levels)),
            }
        return None

    @property
    def has_working_scope(self):
        """Whether the portal can serve this account: a system administrator, or a role whose scope unit fits it.
        Forms and admin refuse anything else (clean); an account saved around them (the shell, a script) is shown
        only a page saying so (totech.middleware.ScopeRequiredMiddleware), never a half-scoped portal."""
        return self.sees_everything or (self.role in SCOPE_LEVELS and self.scope_error() is None)

    def get_full_name(self):
        """Vietnamese order: family and middle names first ("Hoàng Văn Nam")."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_system_admin(self):
        return self.role == Role.SYSTEM_ADMIN

    @property
    def sees_everything(self):
        return self.role == Role.SYSTEM_ADMIN

    @property
    def keeps_population_figures(self):
        """Commune officers keep their commune's and villages' figures, the Department its communes' (units.selectors
        .can_edit_population adds the scope)."""
        return self.role in {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF, Role.COMMUNE_OFFICER}

    @property
    def manages_users(self):
        """Whether the portal's user pages are this user's (accounts.permissions): for menus and home pages."""
        from .permissions import can_manage_users

        return can_manage_users(self)


class ExportLog(models.Model):
    """Who exported which personal data, when (Law 91/2025/QH15 asks for a record of exports)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="exports")
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=50, choices=ExportKind.choices)
    scope = models.CharField(_("scope and filters"), max_length=300, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-created_at"]
