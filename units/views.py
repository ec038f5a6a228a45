from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .choices import Edition, Level
from .selectors import (
    population_as_of,
    unit_ancestors_visible_to,
    unit_children,
    unit_descendant_counts,
    units_visible_to,
)


@login_required
def unit_index(request):
    """Start browsing at the user's own unit; system administrators pick a province of either map."""
    if request.user.scope_unit_id:
        return redirect("units:detail", pk=request.user.scope_unit_id)
    edition = request.GET.get("edition", Edition.REFORMED)
    if edition not in Edition.values:
        edition = Edition.REFORMED
    provinces = units_visible_to(request.user).filter(level=Level.PROVINCE, edition=edition).order_by("code")
    return render(request, "units/index.html", {"provinces": provinces, "edition": edition, "editions": Edition})


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    context = {
        "unit": unit,
        "ancestors": unit_ancestors_visible_to(request.user, unit),
        "children": unit_children(unit),
        "descendant_counts": unit_descendant_counts(unit),
        "population": population_as_of(unit, timezone.localdate()),
    }
    return render(request, "units/detail.html", context)
