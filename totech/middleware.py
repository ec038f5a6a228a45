import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
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


class ScopeRequiredMiddleware:
    """An account whose role has no unit that fits it (saved around the forms: the shell, a script, an early
    `createsuperuser`) is served only its home page, which says so and whom to ask, and the pages to change its
    password, language or sign out: every other page redirects there, rather than serve a portal scoped to no unit
    (or to a unit the role was never meant to see) that its code does not expect."""

    ALLOWED = {"home", "login", "logout", "password_change", "password_change_done", "set_language"}
    TARGET = "home"  # where every page but the ALLOWED ones redirects such an account

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def holds_back(self, user) -> bool:
        return not user.has_working_scope

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and request.resolver_match.view_name not in self.ALLOWED and self.holds_back(user):
            return redirect(self.TARGET)
        return None


class RequestSizeLimitMiddleware:
    """Refuse a request body over settings.MAX_REQUEST_BYTES with 413 and a page saying so, before it is read.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files. The Content-Length is checked
    first; a multipart body is then parsed here, through CappedUploadHandler, which stops reading once the bytes
    received pass the cap whatever the length said (a server that passes on a chunked body, or one that does not
    stop at the announced length). Nothing reads the body before: CsrfViewMiddleware does in process_view, which
    runs after every middleware's request part; placed after the authentication, the page shows the user's menu.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return self.too_large(request, limit)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            handler = CappedUploadHandler(request, limit=limit)
            request.upload_handlers.insert(0, handler)
            request.FILES  # noqa: B018 (parsed now, through the cap)
            if handler.exceeded:
                return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit):
        return render(request, "413.html", {"limit": limit}, status=413)


class CappedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file in a request and stops the upload (without reading further) past `limit`."""

    def __init__(self, request=None, *, limit):
        super().__init__(request)
        self.limit, self.received, self.exceeded = limit, 0, False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (Django's own) keeps the file
