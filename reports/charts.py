"""The dashboard's charts: each one a table (labels × series) that Chart.js draws and the page also shows."""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from targets.models import Indicator

from .presenters import Numbers
from .selectors import DashboardRow, TrendPoint


@dataclass
class Series:
    label: str
    values: list


@dataclass
class Chart:
    id: str
    kind: str  # a Chart.js type: "line" or "bar"
    title: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)

    def add(self, label: str, values: list) -> None:
        """A series of percentages; one without any value is left out."""
        if any(value is not None for value in values):
            self.series.append(Series(label, [None if value is None else float(value) for value in values]))

    @property
    def rows(self):
        """The table behind the chart: one row per label, its <td>s (the values as floatformat:1 writes them)."""
        number = Numbers()
        tenth = Decimal("0.1")

        def cell(value) -> str:
            shown = "—" if value is None else number(Decimal(repr(value)).quantize(tenth, ROUND_HALF_UP))
            return f'<td class="text-end">{shown}</td>'

        return [
            (label, mark_safe("".join(cell(series.values[index]) for series in self.series)))  # noqa: S308 (numbers)
            for index, label in enumerate(self.labels)
        ]

    @property
    def top(self) -> int:
        """The y axis' top: 100 %, or 1.5 times the upper quartile of the values when that is higher (to the next
        ten), so that one outlier (an achievement of 2,504 %) does not flatten every other line. Values above are
        drawn at the top edge and marked (static/js/dashboard.js); the data table keeps their true values."""
        values = sorted(value for series in self.series for value in series.values if value is not None)
        if not values:
            return 100
        upper_quartile = values[math.ceil(0.75 * len(values)) - 1]
        return max(100, math.ceil(1.5 * upper_quartile / 10) * 10)

    @property
    def clipped(self) -> bool:
        top = self.top
        return any(value is not None and value > top for series in self.series for value in series.values)

    def data(self) -> dict:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "top": self.top,
            "series": [{"label": s.label, "values": s.values} for s in self.series],
        }


def indicator_label(indicator: Indicator) -> str:
    """A percentage indicator is charted as its rate, a count as its achievement of the target."""
    return (
        _("%(name)s (%%)") % {"name": indicator.name}
        if indicator.is_percent
        else _("%(name)s (%% of target)") % {"name": indicator.name}
    )


def trend_chart(points: list[TrendPoint], indicators: list[Indicator]) -> Chart:
    chart = Chart("trend-chart", "line", _("Trend over the quarters"), [str(point.period) for point in points])
    for index, indicator in enumerate(indicators):
        cells = [point.row.cells[index] for point in points]
        chart.add(
            indicator_label(indicator),
            [cell and (cell.rate if indicator.is_percent else cell.achievement) for cell in cells],
        )
    chart.add(_("Reports received (%)"), [point.row.summary and point.row.summary.completeness for point in points])
    chart.add(_("Villages covered (%)"), [point.row.summary and point.row.summary.coverage for point in points])
    return chart


def children_chart(rows: list[DashboardRow]) -> Chart:
    chart = Chart("children-chart", "bar", _("Units below"), [row.unit.name for row in rows])
    chart.add(_("Average achievement of the targets (%)"), [row.achievement for row in rows])
    chart.add(_("Reports received (%)"), [row.summary and row.summary.completeness for row in rows])
    return chart
