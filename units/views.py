from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from totech.spreadsheets import xlsx_response
from totech.text import fold

from .choices import PICKER_LEVELS, Edition, Level
from .forms import PopulationFigureForm
from .models import POPULATION_FIELDS, PopulationFigure, Unit
from .selectors import (
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_WORDS,
    can_edit_population,
    population_as_of,
    population_rows,
    unit_ancestors_visible_to,
    unit_children,
    unit_descendant_counts,
    unit_labels,
    units_matching,
    units_visible_to,
)
from .services import population_figure_set
from .spreadsheets import population_workbook, village_list_template


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
        "population": population_rows(unit, timezone.localdate())[0],
        "keeps_population_figures": request.user.keeps_population_figures,
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
        units, empty = (
            [],
            _("Type at most %(words)s words and %(length)s characters.")
            % {
                "words": MAX_SEARCH_WORDS,
                "length": MAX_SEARCH_LENGTH,
            },
        )
    elif len("".join(words)) < 2:
        units, empty = [], _("Type at least two letters or digits.")
    else:
        current = request.GET.get("current", "")
        units = [unit for unit in units_matching(request.user, text, PICKER_LEVELS[levels]) if str(unit.pk) != current]
        empty = _("No unit found. Try another spelling or fewer words.")
    labels = unit_labels(units)
    options = [(unit.pk, labels[unit.pk]) for unit in units]
    return render(request, "units/_search_results.html", {"options": options, "empty": empty})


# Population figures: the list of a unit and the units right below it, entering and correcting one unit's
# figures, the list in Excel, and the village list to fill in for the village import (teams:villages_import).


def _visible_unit(request, pk) -> Unit:
    return get_object_or_404(units_visible_to(request.user), pk=pk)


HISTORY_ROWS = 20


@login_required
def population(request, pk):
    unit = _visible_unit(request, pk)
    rows = population_rows(unit, timezone.localdate())
    editable = {row.unit.pk for row in rows if can_edit_population(request.user, row.unit)}
    context = {
        "unit": unit,
        "ancestors": unit_ancestors_visible_to(request.user, unit),
        "rows": rows,
        "editable": editable,
        "can_import": unit.level == Level.COMMUNE and unit.pk in editable,
    }
    return render(request, "units/population.html", context)


@login_required
def population_edit(request, pk):
    unit = _visible_unit(request, pk)
    if not can_edit_population(request.user, unit):
        raise Http404
    latest = population_as_of(unit, timezone.localdate())
    back = unit.parent_id if unit.level == Level.VILLAGE else unit.pk  # the commune's list
    initial = {"as_of": timezone.localdate()}
    if latest:
        initial.update({name: getattr(latest, name) for name in POPULATION_FIELDS})
    form = PopulationFigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            population_figure_set(unit=unit, **form.cleaned_data)
        except ValidationError as problem:
            for field, errors in problem.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The population figures of %(unit)s as of %(date)s were saved.")
                % {
                    "unit": unit.name,
                    "date": f"{form.cleaned_data['as_of']:%d/%m/%Y}",
                },
            )
            return redirect("units:population", pk=back)
    context = {
        "unit": unit,
        "form": form,
        "back": back,
        "history": PopulationFigure.history.filter(unit_id=unit.pk).select_related("history_user")[:HISTORY_ROWS],
    }
    return render(request, "units/population_form.html", context)


@login_required
def population_export(request, pk):
    unit = _visible_unit(request, pk)
    content = population_workbook(unit, population_rows(unit, timezone.localdate()))
    return xlsx_response(content, "so-lieu-dan-so.xlsx")


@login_required
def population_template(request, pk):
    """The commune and its villages with their own figures, in the columns the village import reads."""
    commune = _visible_unit(request, pk)
    if commune.level != Level.COMMUNE or not can_edit_population(request.user, commune):
        raise Http404
    content = village_list_template(commune, population_rows(commune, timezone.localdate()))
    return xlsx_response(content, "mau-danh-sach-thon-va-dan-so.xlsx")
