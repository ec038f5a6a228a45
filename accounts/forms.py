from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError


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
