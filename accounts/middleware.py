from totech.middleware import ScopeRequiredMiddleware


class PasswordChangeRequiredMiddleware(ScopeRequiredMiddleware):
    """An account with a one-time password (new, or reset by an officer: User.must_change_password) is served
    only the password change page, which says why, and the pages to sign out or change language: every other
    page redirects there until the user has chosen their own password."""

    ALLOWED = {"password_change", "password_change_done", "logout", "set_language"}
    TARGET = "password_change"

    def holds_back(self, user) -> bool:
        return user.must_change_password
