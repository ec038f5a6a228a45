from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from units.selectors import unit_descendant_counts


@login_required
def home(request):
    """Each role lands on its own home page."""
    user = request.user
    context = {"descendant_counts": unit_descendant_counts(user.scope_unit) if user.scope_unit_id else {}}
    return render(request, f"accounts/home_{user.role}.html", context)
