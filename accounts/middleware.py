from django.shortcuts import redirect


class PasswordChangeRequiredMiddleware:
    """An account with a one-time password (new, or reset by an officer: User.must_change_password) is served
    only the password change page, which says why, and the pages to sign out or change language: every other
    page redirects there until the user has chosen their own password."""

    ALLOWED = {"password_change", "password_change_done", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and user.must_change_password and request.resolver_match.view_name not in self.ALLOWED:
            return redirect("password_change")
        return None
