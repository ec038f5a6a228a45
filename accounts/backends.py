from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """Django's backend, reading the signed-in user together with their scope unit: every request checks that the
    unit fits the role (totech.middleware.ScopeRequiredMiddleware) and most scope their reads by it, so the unit
    comes in the user's own query rather than in one more."""

    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.select_related("scope_unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
