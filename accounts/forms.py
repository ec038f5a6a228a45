from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from totech.forms import text_formfield
from units.forms import UnitChoiceField
from units.models import Unit
from units.selectors import units_visible_to

from .choices import SCOPE_LEVELS
from .models import User
from .permissions import assignable_roles
from .services import username_for


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The current password is checked as a login is (django-axes counts a wrong one against the account and the
    client's address, and locks after AXES_FAILURE_LIMIT), so a stolen session cannot be used to guess it."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password) != self.user:
            # Once locked, the axes middleware answers the lockout page instead of this form.
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class UserForm(forms.ModelForm):
    """An account as its manager edits it: the roles and units offered are those the manager may give (a role or
    unit posted around them is refused on its field; the service checks again)."""

    scope_unit = UnitChoiceField(
        queryset=Unit.objects.none(), levels="any", label=capfirst(_("scope unit")), required=False
    )

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email", "phone", "role", "scope_unit"]
        formfield_callback = text_formfield
        labels = {"last_name": _("Family and middle names"), "first_name": _("Given name")}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in assignable_roles(actor)]
        levels = {level for role in assignable_roles(actor) for level in SCOPE_LEVELS[role]}
        self.fields["scope_unit"].queryset = units_visible_to(actor).filter(level__in=levels).select_related("parent")
        self.fields["username"].help_text = _("Letters, digits and . @ + - _ only.")
        self.fields["email"].help_text = _("With an e-mail address the user can reset a forgotten password alone.")
        if not self.instance.pk:
            self.fields["username"].required = False
            self.fields["username"].help_text = _(
                "Letters, digits and . @ + - _ only. Left empty, it is made from the name (hoangvannam, hoangvannam2 …)."
            )

    def clean(self):
        data = super().clean()
        if not data.get("username") and not self.instance.pk:
            data["username"] = username_for(f"{data.get('last_name', '')} {data.get('first_name', '')}")
        return data

    def _post_clean(self):
        """The service validates the account (the scope unit against the role, a username already taken)."""
