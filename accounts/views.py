from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from units.selectors import unit_descendant_counts

from .forms import ThrottledPasswordChangeForm


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
