from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from totech.forms import add_service_errors
from totech.pagination import paginate
from totech.spreadsheets import xlsx_response
from units.selectors import unit_descendant_counts

from . import services
from .choices import ExportKind, Role
from .exports import export_users
from .filters import UserFilter
from .forms import ThrottledPasswordChangeForm, UserForm
from .models import User
from .permissions import assignable_roles, can_manage_users
from .selectors import user_history, users_managed_by


@dataclass
class LoginRow:
    """One line of a login sheet; `detail` says which team, for leaders given a login from the roster."""

    user: User
    password: str
    detail: str = ""


@login_required
def home(request):
    """Each role lands on its own home page; an account without a unit that fits its role, on a page saying so."""
    user = request.user
    if not user.has_working_scope:
        return render(request, "accounts/home_no_scope.html")
    context = {"descendant_counts": unit_descendant_counts(user.scope_unit) if user.scope_unit_id else {}}
    return render(request, f"accounts/home_{user.role}.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link starts with settings.PORTAL_URL, as every e-mail's links do, never with the Host header the
    request came with."""

    def form_valid(self, form):
        self.extra_email_context = {"portal_url": settings.PORTAL_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the reset e-mail; the password the user sets there is their own, not a one-time one."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        return response


# --- accounts managed in the portal (delegated down the tree, accounts.permissions) ---------------------------


def _managed_user(request, pk) -> User:
    """An account the signed-in user manages; any other is not there for them (404)."""
    return get_object_or_404(users_managed_by(request.user), pk=pk)


def _require_manager(user):
    if not can_manage_users(user):
        raise Http404


def login_sheet(request, rows, *, title):
    """The printable sheet of usernames and one-time passwords to hand out, shown once: the passwords are kept
    nowhere in clear. Logged as an export of personal data."""
    services.export_log(user=request.user, kind=ExportKind.LOGIN_SHEET, scope=title, row_count=len(rows))
    context = {"rows": rows, "title": title, "login_url": request.build_absolute_uri(reverse("login"))}
    return render(request, "accounts/login_sheet.html", context)


@login_required
def user_list(request):
    _require_manager(request.user)
    users = users_managed_by(request.user).order_by(
        "-is_active", "scope_unit__path", "last_name", "first_name", "username"
    )
    user_filter = UserFilter(request.GET, queryset=users, user=request.user)
    context = {
        "filter": user_filter,
        "page": paginate(request, user_filter.qs),
        "filtered": any(request.GET.get(name) for name in user_filter.filters),
        "gives_leader_logins": Role.TEAM_LEADER in assignable_roles(request.user),
    }
    return render(request, "accounts/user_list.html", context)


@login_required
def user_export(request):
    _require_manager(request.user)
    user_filter = UserFilter(
        request.GET,
        queryset=users_managed_by(request.user).order_by("scope_unit__path", "last_name", "first_name", "username"),
        user=request.user,
    )
    if not user_filter.is_valid():
        raise Http404(_("These filters are not valid."))
    unit = user_filter.form.cleaned_data.get("unit") or request.user.scope_unit
    content = export_users(
        user_filter.qs,
        actor=request.user,
        scope_label=unit.name if unit else _("All provinces"),
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "tai-khoan.xlsx")


@login_required
def user_create(request):
    _require_manager(request.user)
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return login_sheet(request, [LoginRow(user, password)], title=_("New account"))
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    user = _managed_user(request, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": user, "history": user_history(user), "is_self": user.pk == request.user.pk},
    )


@login_required
def user_edit(request, pk):
    user = _managed_user(request, pk)
    form = UserForm(request.POST or None, instance=user, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            user.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": user})


@login_required
def user_set_active(request, pk, active):
    """Deactivate or reactivate, after a confirmation page."""
    user = _managed_user(request, pk)
    if user.is_active == active or user.pk == request.user.pk:
        raise Http404
    if request.method == "POST":
        services.user_set_active(actor=request.user, user=user, active=active)
        messages.success(
            request,
            _("The account was reactivated.") if active else _("The account was deactivated: it can no longer log in."),
        )
        return redirect("accounts:detail", user.pk)
    return render(
        request, "accounts/user_confirm.html", {"account": user, "action": "reactivate" if active else "deactivate"}
    )


@login_required
def user_reset_password(request, pk):
    """A new one-time password, after a confirmation page (for users without e-mail, or who cannot read it)."""
    user = _managed_user(request, pk)
    if not user.is_active:
        raise Http404
    if request.method == "POST":
        password = services.user_reset_password(actor=request.user, user=user)
        return login_sheet(request, [LoginRow(user, password)], title=_("New one-time password"))
    return render(request, "accounts/user_confirm.html", {"account": user, "action": "reset"})
