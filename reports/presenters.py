"""The dashboard table's cells, built once in Python: a province's page has 1,300-1,700 of them, too many for
per-cell template logic (an {% include %} per row, {% if %}s and localized numbers per cell cost ~75% of the
page's CPU). The output is what templates/reports/dashboard.html rendered before, cell for cell."""

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import DashboardRow

DASH = '<span class="text-muted">—</span>'


def _indicator_cell(cell, of_target: str) -> str:
    rating = cell.rating if cell is not None else ""
    css = f"text-end text-nowrap rating-{rating}" if rating else "text-end text-nowrap"
    if cell is None or cell.actual is None:
        return f'<td class="{css}"><span class="{"" if rating else "text-muted"}">—</span></td>'
    shown = f"{localize(cell.rate)}%" if cell.rate is not None else localize(cell.actual)
    if cell.achievement is not None:
        shown += f'<div class="small">{localize(cell.achievement)}% {of_target}</div>'
    return f'<td class="{css}">{shown}</td>'


def _share_cell(share, part, whole, css: str = "text-end text-nowrap") -> str:
    if share is None:
        return f'<td class="{css}">{DASH}</td>'
    below = f'<div class="small text-muted">{localize(part)}/{localize(whole)}</div>' if part is not None else ""
    return f'<td class="{css}">{localize(share)}%{below}</td>'


def row_cells(row: DashboardRow) -> SafeString:
    """The row's <td>s after the unit's name: the indicators, then reports, on time, coverage, teams, members.
    Only numbers and CSS classes from the summaries go in; the one translated string is escaped."""
    of_target = format_html("{}", _("of target"))
    summary = row.summary
    cells = [_indicator_cell(cell, of_target) for cell in row.cells]
    if summary is None:
        cells += [_share_cell(None, None, None), _share_cell(None, None, None, "text-end text-nowrap d-none d-md-table-cell"),
                  _share_cell(None, None, None)]
    else:
        cells += [
            _share_cell(summary.completeness, summary.reports_received, summary.reports_expected),
            _share_cell(summary.timeliness, None, None, "text-end text-nowrap d-none d-md-table-cell"),
            _share_cell(summary.coverage, summary.villages_covered, summary.villages),
        ]
    for count in (summary.active_teams if summary else 0, summary.members if summary else 0):
        cells.append(f'<td class="text-end d-none d-md-table-cell">{localize(count) if count else "0"}</td>')
    return mark_safe("".join(cells))  # noqa: S308 (numbers, fixed classes and the escaped string above)


def table_rows(rows: list[DashboardRow]) -> list[tuple[str, str, SafeString]]:
    """(link, name, cells) per unit below."""
    return [(reverse("reports:dashboard_unit", args=[row.unit.pk]), row.unit.name, row_cells(row)) for row in rows]

