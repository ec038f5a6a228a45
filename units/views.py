from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from totech.text import fold

from .choices import PICKER_LEVELS, Edition, Level
from .selectors import (
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_WORDS,
    population_as_of,
    unit_ancestors_visible_to,
    unit_children,
    unit_descendant_counts,
    unit_labels,
    units_matching,
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


@login_required
def unit_search(request, levels):
    """The options a unit picker (units.forms.UnitPicker) shows for what was typed: matching units in the
    user's scope at the picker's levels, except the current choice, which the picker keeps itself."""
    if levels not in PICKER_LEVELS:
        raise Http404
    text = request.GET.get("q", "")
    words = fold(text).split()
    if len(text) > MAX_SEARCH_LENGTH or len(words) > MAX_SEARCH_WORDS:
        units, empty = [], _("Type at most %(words)s words and %(length)s characters.") % {
            "words": MAX_SEARCH_WORDS, "length": MAX_SEARCH_LENGTH,
        }
    elif len("".join(words)) < 2:
        units, empty = [], _("Type at least two letters or digits.")
    else:
        current = request.GET.get("current", "")
        units = [unit for unit in units_matching(request.user, text, PICKER_LEVELS[levels]) if str(unit.pk) != current]
        empty = _("No unit found. Try another spelling or fewer words.")
    labels = unit_labels(units)
    options = [(unit.pk, labels[unit.pk]) for unit in units]
    return render(request, "units/_search_results.html", {"options": options, "empty": empty})
