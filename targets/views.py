import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from totech.forms import add_service_errors
from totech.pagination import paginate
from totech.params import id_param
from totech.spreadsheets import SpreadsheetError, xlsx_response
from totech.text import fold
from units.choices import Level
from units.selectors import unit_ancestors_visible_to, units_visible_to

from .cascade import CascadeError, cascade_split
from .choices import PeriodKind, TargetMode
from .excel import GridImporter, GridImportRejected, grid_workbook
from .filters import IndicatorFilter, PeriodFilter
from .forms import (
    CampaignForm,
    DeadlineFormSet,
    IndicatorForm,
    PeriodGenerateForm,
    TargetGridForm,
    TargetImportForm,
    ThresholdForm,
    cell_name,
)
from .models import AchievementThreshold, Indicator, Period
from .selectors import (
    campaigns_editable_by,
    can_assign_targets,
    can_edit_catalogue,
    effective_targets,
    indicators_active,
    periods_visible_to,
    split_mismatches,
    thresholds_for,
)
from .services import (
    campaign_save,
    grid_holders,
    indicator_save,
    periods_generate,
    target_grid_save,
    thresholds_set,
)


def department_required(view):
    """Pages of the Department (province staff) and system administrators; anyone else gets a 404."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_assign_targets(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- catalogue ------------------------------------------------------------------------------------------


@department_required
def indicator_list(request):
    filterset = IndicatorFilter(request.GET, queryset=Indicator.objects.select_related("denominator_indicator"))
    page = paginate(request, filterset.qs, 50)
    context = {"filter": filterset, "page": page, "can_edit_catalogue": can_edit_catalogue(request.user)}
    return render(request, "targets/indicator_list.html", context)


@department_required
def indicator_edit(request, pk=None):
    """System administrators add and edit indicators; the Department reads an indicator (the form, disabled)."""
    can_edit = can_edit_catalogue(request.user)
    if not can_edit and (pk is None or request.method == "POST"):
        raise Http404
    indicator = get_object_or_404(Indicator, pk=pk) if pk else Indicator()
    form = IndicatorForm(request.POST or None, instance=indicator)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            indicator_save(user=request.user, indicator=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator %(code)s saved.") % {"code": indicator.code})
            return redirect("targets:indicator_list")
    context = {"form": form, "indicator": indicator, "can_edit_catalogue": can_edit}
    return render(request, "targets/indicator_form.html", context)


# --- periods and campaigns ------------------------------------------------------------------------------


@department_required
def period_list(request):
    filterset = PeriodFilter(request.GET, queryset=periods_visible_to(request.user).prefetch_related("deadlines"))
    page = paginate(request, filterset.qs, 50)
    editable = set(campaigns_editable_by(request.user).values_list("pk", flat=True))
    context = {"filter": filterset, "page": page, "editable": editable, "generate_form": PeriodGenerateForm()}
    return render(request, "targets/period_list.html", context)


@department_required
def period_generate(request):
    form = PeriodGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        periods_generate(year=year)
        messages.success(request, _("The months, quarters and year %(year)s are ready.") % {"year": year})
        return redirect(f"{reverse('targets:period_list')}?{urlencode({'year': year})}")
    return render(request, "targets/period_generate.html", {"form": form})


@department_required
def campaign_edit(request, pk=None):
    campaign = get_object_or_404(campaigns_editable_by(request.user), pk=pk) if pk else Period(kind=PeriodKind.CAMPAIGN)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    initial = [{"due_on": d.due_on, "task": d.task} for d in campaign.deadlines.all()] if pk else []
    formset = DeadlineFormSet(request.POST or None, initial=initial, prefix="deadlines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        deadlines = [(row["due_on"], row["task"]) for row in formset.cleaned_data if row and not row.get("DELETE")]
        try:
            campaign_save(campaign=form.instance, deadlines=deadlines)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign %(name)s saved.") % {"name": campaign.name})
            return redirect("targets:period_list")
    return render(request, "targets/campaign_form.html", {"form": form, "formset": formset, "campaign": campaign})


# --- thresholds -----------------------------------------------------------------------------------------


@department_required
def threshold_edit(request, province_pk):
    province = get_object_or_404(units_visible_to(request.user).filter(level=Level.PROVINCE), pk=province_pk)
    row = AchievementThreshold.objects.filter(province=province).first() or AchievementThreshold(province=province)
    form = ThresholdForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            thresholds_set(
                province=province,
                amber_from=form.cleaned_data["amber_from"],
                green_from=form.cleaned_data["green_from"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thresholds of %(province)s saved.") % {"province": province.name})
            return redirect("targets:threshold_edit", province_pk=province.pk)
    context = {"form": form, "province": province, "current": thresholds_for(province)}
    return render(request, "targets/threshold_form.html", context)


@department_required
def threshold_index(request):
    """The provinces whose thresholds the user sets (the tab links province staff straight to their own)."""
    provinces = units_visible_to(request.user).filter(level=Level.PROVINCE).order_by("edition", "code")
    return render(request, "targets/threshold_index.html", {"provinces": provinces})


# --- the grid (read-only overview and the Department's assignment grid) ---------------------------------


@dataclass
class GridCell:
    indicator: Indicator
    effective: object = None
    field: object = None
    previewed: bool = False
    inherited_value: object = None  # what a blank cell inherits, shown greyed in the input


@dataclass
class GridRow:
    kind: str
    holder: object
    cells: list = field(default_factory=list)


def tidy(value: Decimal) -> Decimal:
    """85.00 → 85, 85.50 → 85.5 (for inputs and placeholders)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _default_period(periods):
    """The quarter containing today, else the latest period that has started, else any."""
    today = timezone.localdate()
    return (
        periods.filter(kind=PeriodKind.QUARTER, start__lte=today, end__gte=today).first()
        or periods.filter(start__lte=today).order_by("-start").first()
        or periods.first()
    )


def _grid_choice(request):
    """The unit and period the grid is for, both from the user's scope (404 otherwise)."""
    user = request.user
    units = units_visible_to(user)
    unit_id = id_param(request, "unit") or user.scope_unit_id
    if unit_id:
        unit = get_object_or_404(units, pk=unit_id)
    else:
        unit = units.filter(level=Level.PROVINCE).order_by("-edition", "code").first()
    if unit is None:
        raise Http404
    periods = periods_visible_to(user)
    if period_id := id_param(request, "period"):
        period = get_object_or_404(periods, pk=period_id)
    else:
        period = _default_period(periods)
    return unit, period, periods


def _build_rows(*, unit, period, indicators, holders, form=None, preview_values=None, previewed=()):
    """Rows of the grid. `preview_values` (indicator id → the parent's typed, unsaved value) stands in for the
    parent's saved target when showing what children inherit during a preview."""
    effective = effective_targets(
        period=period,
        indicators=indicators,
        units=[h for (kind, _pk), h in holders.items() if kind == "unit"],
        teams=[h for (kind, _pk), h in holders.items() if kind == "team"],
    )
    rows = []
    for (kind, holder_id), holder in holders.items():
        row_kind = "team" if kind == "team" else ("parent" if holder_id == unit.pk else "child")
        row = GridRow(row_kind, holder)
        for indicator in indicators:
            cell = GridCell(indicator, effective.get((kind, holder_id, indicator.pk)))
            if form is not None:
                cell.field = form[cell_name(kind, holder_id, indicator.pk)]
            cell.previewed = (kind, holder_id, indicator.pk) in previewed
            if row_kind != "parent" and indicator.is_percent and indicator.pk in (preview_values or {}):
                cell.inherited_value = preview_values[indicator.pk]
            elif cell.effective and cell.effective.inherited:
                cell.inherited_value = cell.effective.value
            if cell.field is not None and cell.inherited_value is not None:
                cell.field.field.widget.attrs["placeholder"] = formats.localize(tidy(cell.inherited_value))
            row.cells.append(cell)
        rows.append(row)
    return rows


def _column_flags(rows, indicators):
    """For each count column: the parent's own saved absolute target and its children's sum, when they differ."""
    flags = {}
    parent_row = rows[0]
    for index, indicator in enumerate(indicators):
        parent = parent_row.cells[index].effective
        if not parent or parent.inherited or parent.mode != TargetMode.ABSOLUTE:
            continue
        own_children = [
            row.cells[index].effective.target.value
            for row in rows
            if row.kind == "child" and row.cells[index].effective and not row.cells[index].effective.inherited
        ]
        if own_children and sum(own_children) != parent.value:
            flags[indicator.pk] = {"parent": parent.value, "children": sum(own_children)}
    return flags


def _grid_context(request, unit, period, periods, indicators, holders, rows):
    return {
        "unit": unit,
        "period": period,
        "periods": periods.order_by("-start", "kind"),
        "indicators": indicators,
        "rows": rows,
        "flags": _column_flags(rows, indicators) if rows else {},
        "ancestors": unit_ancestors_visible_to(request.user, unit),
        "has_children": any(row.kind == "child" for row in rows),
    }


@login_required
def target_overview(request):
    """Everyone's read-only view of the effective targets of a unit, its teams and the units right below it."""
    unit, period, periods = _grid_choice(request)
    indicators = list(indicators_active())
    holders = grid_holders(unit)
    rows = _build_rows(unit=unit, period=period, indicators=indicators, holders=holders) if period else []
    context = _grid_context(request, unit, period, periods, indicators, holders, rows)
    context["can_assign"] = can_assign_targets(request.user)
    return render(request, "targets/overview.html", context)


def _grid_values(*, period, indicators, holders) -> tuple[dict, dict]:
    """(own, inherited): (kind, holder id, indicator id) → the holder's own target (what the grid's inputs and
    the Excel export hold), and → the value it inherits from above (what the overview also shows)."""
    effective = effective_targets(
        period=period,
        indicators=indicators,
        units=[h for (kind, _pk), h in holders.items() if kind == "unit"],
        teams=[h for (kind, _pk), h in holders.items() if kind == "team"],
    )
    own = {key: tidy(e.target.value) for key, e in effective.items() if e and not e.inherited}
    inherited = {key: tidy(e.value) for key, e in effective.items() if e and e.inherited and e.value is not None}
    return own, inherited


def _grid_url(name, unit, period):
    return f"{reverse(name)}?{urlencode({'unit': unit.pk, 'period': period.pk})}"


@department_required
def target_assign(request):
    """The Department's assignment grid: set the parent's targets, preview the split to the units below, adjust
    any cell, save all cells in one transaction."""
    unit, period, periods = _grid_choice(request)
    if period is None:
        return render(request, "targets/assign.html", {"unit": unit, "period": None})
    indicators = list(indicators_active())
    holders = grid_holders(unit)
    own, _inherited = _grid_values(period=period, indicators=indicators, holders=holders)
    initial = {cell_name(*key): value for key, value in own.items()}
    form = TargetGridForm(request.POST or None, initial=initial, holders=holders, indicators=indicators)
    previewed, preview_values = set(), None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            try:
                result = target_grid_save(
                    user=request.user,
                    parent=unit,
                    period=period,
                    cells=form.cells(),
                    decision_number=form.cleaned_data["decision_number"],
                    decision_date=form.cleaned_data["decision_date"],
                )
            except ValidationError as error:
                add_service_errors(
                    form, ValidationError({f"c-{key}": messages_ for key, messages_ in error.message_dict.items()})
                )
            else:
                messages.success(
                    request,
                    _("Targets saved: %(created)s new, %(updated)s changed, %(deleted)s removed.")
                    % {"created": result.created, "updated": result.updated, "deleted": result.deleted},
                )
                return redirect(_grid_url("targets:assign", unit, period))
        else:
            form, previewed, preview_values = _preview(
                form, unit=unit, period=period, indicators=indicators, holders=holders
            )
    return _render_grid(
        request,
        unit=unit,
        period=period,
        periods=periods,
        indicators=indicators,
        holders=holders,
        form=form,
        previewed=previewed,
        preview_values=preview_values,
    )


def _render_grid(
    request,
    *,
    unit,
    period,
    periods,
    indicators,
    holders,
    form,
    previewed=(),
    preview_values=None,
    import_form=None,
    **extra,
):
    rows = _build_rows(
        unit=unit,
        period=period,
        indicators=indicators,
        holders=holders,
        form=form,
        preview_values=preview_values,
        previewed=previewed,
    )
    context = _grid_context(request, unit, period, periods, indicators, holders, rows)
    context.update(
        form=form,
        preview=preview_values is not None and not extra.get("imported"),
        mismatches=split_mismatches(user=request.user, period=period),
        error_summary=[
            (form.fields[name].widget.attrs.get("aria-label") or form.fields[name].label, message)
            for name, errors in form.errors.items()
            if name != "__all__"
            for message in errors
        ],
        import_form=import_form or TargetImportForm(),
        can_edit_catalogue=can_edit_catalogue(request.user),
        **extra,
    )
    return render(request, "targets/assign.html", context)


@login_required
def target_export(request):
    """The grid of a unit and period as .xlsx, in the layout the import reads (scoped like the overview). From the
    overview (?view=effective) it also holds the inherited values, for reading."""
    unit, period, _periods = _grid_choice(request)
    if period is None:
        raise Http404
    indicators = list(indicators_active())
    holders = grid_holders(unit)
    own, inherited = _grid_values(period=period, indicators=indicators, holders=holders)
    content = grid_workbook(
        unit=unit,
        period=period,
        indicators=indicators,
        holders=holders,
        values=own,
        inherited=inherited if request.GET.get("view") == "effective" else None,
    )
    return xlsx_response(content, "chi-tieu-" + fold(f"{unit.name} {period}").replace(" ", "-") + ".xlsx")


@department_required
def target_import(request):
    """Upload a grid file: its values fill the grid as a preview (changed cells in blue); nothing is saved until
    the user presses save on the grid. A file with any error fills nothing and lists the errors."""
    unit, period, periods = _grid_choice(request)
    if request.method != "POST" or period is None:
        return redirect(_grid_url("targets:assign", unit, period) if period else reverse("targets:assign"))
    indicators = list(indicators_active())
    holders = grid_holders(unit)
    own, _inherited = _grid_values(period=period, indicators=indicators, holders=holders)
    grid = {"unit": unit, "period": period, "periods": periods, "indicators": indicators, "holders": holders}
    unchanged_form = TargetGridForm(
        initial={cell_name(*key): value for key, value in own.items()}, holders=holders, indicators=indicators
    )
    import_form = TargetImportForm(request.POST, request.FILES)
    if not import_form.is_valid():
        return _render_grid(request, form=unchanged_form, import_form=import_form, **grid)
    upload = import_form.cleaned_data["file"]
    importer = GridImporter(user=request.user, unit=unit, holders=holders, indicators=indicators)
    try:
        cells = importer.read(upload, upload.name)
    except SpreadsheetError as problem:
        return _render_grid(request, form=unchanged_form, import_errors=[str(problem)], import_name=upload.name, **grid)
    except GridImportRejected as rejected:
        errors = [str(error) for error in rejected.errors]
        return _render_grid(request, form=unchanged_form, import_errors=errors, import_name=upload.name, **grid)
    data = {cell_name(*key): formats.localize(value) for key, value in own.items()}
    data.update(
        {cell_name(*key): "" if value is None else formats.localize(tidy(value)) for key, value in cells.items()}
    )
    form = TargetGridForm(data, holders=holders, indicators=indicators)
    form.is_valid()
    changed = {key for key, value in cells.items() if value != own.get(key)}
    parent_values = {
        indicator.pk: cells.get(("unit", unit.pk, indicator.pk), own.get(("unit", unit.pk, indicator.pk)))
        for indicator in indicators
    }
    return _render_grid(
        request,
        form=form,
        previewed=changed,
        imported=upload.name,
        imported_changes=len(changed),
        import_warning=importer.other_grid_warning(period),
        preview_values={pk: value for pk, value in parent_values.items() if value is not None},
        **grid,
    )


def _preview(form, *, unit, period, indicators, holders):
    """Split every count the parent row holds among the units below; percentages need no split (the units
    below inherit them unless they have their own). Returns a form re-bound to the split values."""
    data = form.data.copy()
    cells = form.cells()
    children = [h for (kind, pk), h in holders.items() if kind == "unit" and pk != unit.pk]
    previewed, preview_values = set(), {}
    for indicator in indicators:
        value = cells[("unit", unit.pk, indicator.pk)]
        if value is None:
            continue
        preview_values[indicator.pk] = value
        if indicator.is_percent or not children:
            continue
        try:
            shares = cascade_split(
                indicator=indicator, parent=unit, children=children, total=int(value), date=period.start
            )
        except CascadeError as error:
            form.add_error(None, str(error))
            return form, set(), None
        for child in children:
            data[cell_name("unit", child.pk, indicator.pk)] = formats.localize(shares[child.pk])
            previewed.add(("unit", child.pk, indicator.pk))
    rebound = TargetGridForm(data, holders=holders, indicators=indicators)
    rebound.is_valid()
    return rebound, previewed, preview_values
