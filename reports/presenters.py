"""The dashboard table's cells, built once in Python: a province's page has 1,300-1,700 of them, too many for
per-cell template logic (an {% include %} per row, {% if %}s and localized numbers per cell cost ~75% of the
page's CPU). The output is what templates/reports/dashboard.html rendered before, cell for cell."""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.formats import get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .progress import AreaTable
from .selectors import Dashboard, DashboardRow

DASH = '<span class="text-muted">—</span>'


class Numbers:
    """django.utils.formats.localize for the table's ints, Decimals and floats, with the active language's
    separators looked up once instead of per number (localize() looks up three formats per call)."""

    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.thousand = get_format("THOUSAND_SEPARATOR")
        grouping = get_format("NUMBER_GROUPING")
        self.grouping = (
            grouping if settings.USE_THOUSAND_SEPARATOR and isinstance(grouping, int) and grouping > 0 else 0
        )
        self.fallback = settings.USE_THOUSAND_SEPARATOR and not isinstance(grouping, int)  # grouping by a sequence

    def __call__(self, value) -> str:
        text = f"{value:f}" if isinstance(value, Decimal) else str(value)
        if self.fallback or "e" in text.lower() or text.startswith("-"):
            return localize(value)
        whole, _dot, fraction = text.partition(".")
        if self.grouping and len(whole) > self.grouping:
            step = self.grouping
            head = len(whole) % step or step
            whole = self.thousand.join(
                [whole[:head], *(whole[index : index + step] for index in range(head, len(whole), step))]
            )
        return f"{whole}{self.decimal}{fraction}" if _dot else whole


class TableCells:
    """Builds rows' <td>s; one per request (the separators and the translated "of target" looked up once)."""

    def __init__(self, percent_indicator_ids=()):
        self.number = Numbers()
        self.of_target = format_html("{}", _("of target"))
        self.no_denominator = format_html("{}", _("no denominator yet"))
        self.not_due = format_html("{}", _("not yet due"))
        self.percent_indicator_ids = set(percent_indicator_ids)

    def indicator(self, cell) -> str:
        rating = cell.rating if cell is not None else ""
        css = f"text-end text-nowrap rating-{rating}" if rating else "text-end text-nowrap"
        if cell is None or cell.actual is None:
            return f'<td class="{css}"><span class="{"" if rating else "text-muted"}">—</span></td>'
        shown = f"{self.number(cell.rate)}%" if cell.rate is not None else self.number(cell.actual)
        if cell.rate is None and cell.indicator_id in self.percent_indicator_ids:  # a count where a % belongs
            shown += f'<div class="small text-muted">{self.no_denominator}</div>'
        if cell.achievement is not None:
            shown += f'<div class="small">{self.number(cell.achievement)}% {self.of_target}</div>'
        return f'<td class="{css}">{shown}</td>'

    def share(self, share, part=None, whole=None, css: str = "text-end text-nowrap") -> str:
        if share is None:
            return f'<td class="{css}">{DASH}</td>'
        below = (
            f'<div class="small text-muted">{self.number(part)}/{self.number(whole)}</div>' if part is not None else ""
        )
        return f'<td class="{css}">{self.number(share)}%{below}</td>'

    def __call__(self, row: DashboardRow) -> SafeString:
        """The row's <td>s after the unit's name: the indicators, then reports, on time, coverage, teams, members.
        Only numbers and CSS classes from the summaries go in, and the escaped fixed phrases."""
        summary = row.summary
        cells = [self.indicator(cell) for cell in row.cells]
        if summary is not None and summary.not_yet_due:  # never 0 %: no deadline has passed yet
            cells.append(f'<td class="text-end text-nowrap text-muted">{self.not_due}</td>')
        else:
            cells.append(
                self.share(
                    summary and summary.completeness,
                    summary and summary.reports_received,
                    summary and summary.reports_expected,
                )
            )
        cells += [
            self.share(summary and summary.timeliness, css="text-end text-nowrap d-none d-md-table-cell"),
            self.share(
                summary and summary.coverage, summary and summary.villages_covered, summary and summary.villages
            ),
        ]
        for count in (summary.active_teams if summary else 0, summary.members if summary else 0):
            cells.append(f'<td class="text-end d-none d-md-table-cell">{self.number(count) if count else "0"}</td>')
        return mark_safe("".join(cells))  # noqa: S308 (numbers, fixed classes and the escaped string above)


def dashboard_table(board: Dashboard) -> tuple[list[tuple[str, str, SafeString]], SafeString]:
    """(link, name, cells) per unit below, and the total row's cells."""
    cells = TableCells(indicator.pk for indicator in board.indicators if indicator.is_percent)
    rows = [(reverse("reports:dashboard_unit", args=[row.unit.pk]), row.unit.name, cells(row)) for row in board.rows]
    return rows, cells(board.total)


def area_table(table: AreaTable, indicators) -> tuple[list[tuple[str, SafeString]], list[str]]:
    """(name, cells) per area of a commune (its commune team's own row first), and per indicator whose
    figure the commune's is: the commune team's, the sum of its villages', or the sum of every team's (flows)."""
    cells = TableCells(indicator.pk for indicator in indicators if indicator.is_percent)
    rows = []
    for row in table.rows:
        name = (
            _("%(commune)s: the commune team's own figures") % {"commune": row.unit.name}
            if row.is_own
            else row.unit.name
        )
        rows.append((name, mark_safe("".join(cells.indicator(cell) for cell in row.cells))))  # noqa: S308 (as TableCells)
    sources = []
    for indicator in indicators:
        if indicator.pk not in table.villages_reporting:
            sources.append(_("sum of every team's"))
        elif indicator.pk in table.own_figure:
            sources.append(_("the commune team's figure"))
        else:
            count = table.villages_reporting[indicator.pk]
            sources.append(
                ngettext("sum of %(count)d village's figure", "sum of %(count)d villages' figures", count)
                % {"count": count}
            )
    return rows, sources
