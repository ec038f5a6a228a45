import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class PortalLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked English in the footer: the browser's Accept-Language is ignored,
    because officials often use browsers set up in English on shared office machines."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionActivityMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE after its last request (the idle timeout, SESSION_IDLE_HOURS),
    not after its last change. Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would restart the
    clock with a database write per page view, which on the SQLite demo also takes the write lock for every page;
    this saves it again only once SESSION_REFRESH_SECONDS have passed since it was last saved, so a session ends
    between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the user's last request."""

    KEY = "_active_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # saved (with a new expiry date) by SessionMiddleware on the way out
        return response


def start_activity_clock(sender, request, user, **kwargs):
    """A login saves the session anyway: the idle clock starts then (connected in totech.apps)."""
    if hasattr(request, "session"):
        request.session[SessionActivityMiddleware.KEY] = int(time.time())


class PrivateResponseMiddleware:
    """No browser or proxy cache keeps what a signed-in user was shown (pages and exports hold personal data):
    Cache-Control: no-store, private. Static files never get here (WhiteNoise answers them earlier, with their
    own long caching), and the login page holds nothing personal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
