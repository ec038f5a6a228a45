"""Splitting an absolute target among the units below by their share of the denominator."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import Unit

from .models import Indicator
from .selectors import subtree_population_values


class CascadeError(Exception):
    """A split that cannot be made (units without denominator figures); the message says which and why."""


def split_largest_remainder(total: int, weights: dict) -> dict:
    """Split `total` in proportion to `weights` into whole numbers that add up exactly to `total`.

    Each key gets the floor of its exact share; the units left over go one each to the largest fractional
    parts (Hamilton's method), ties to the larger weight, then to the earlier key. Integer arithmetic only.
    """
    weight_sum = sum(weights.values())
    if total < 0 or any(weight < 0 for weight in weights.values()):
        raise ValueError("split_largest_remainder takes non-negative numbers")
    if weight_sum == 0:
        raise ValueError("split_largest_remainder needs at least one positive weight")
    shares, remainders = {}, []
    for order, (key, weight) in enumerate(weights.items()):
        shares[key], remainder = divmod(total * weight, weight_sum)
        remainders.append((-remainder, -weight, order, key))
    left_over = total - sum(shares.values())
    for _remainder, _weight, _order, key in sorted(remainders)[:left_over]:
        shares[key] += 1
    return shares


def cascade_split(
    *, indicator: Indicator, parent: Unit, children: list[Unit], total: int, date: datetime.date
) -> dict[int, int]:
    """The absolute `total` of `parent` split among `children` (unit id → share) by the indicator's share figure
    as of `date`. Raises CascadeError, naming the units, when any child has no figure to split by."""
    values = subtree_population_values(root=parent, field=indicator.share_field, date=date)
    missing = [child.name for child in children if not values.get(child.pk)]
    if missing:
        raise CascadeError(
            _(
                "Cannot split %(indicator)s: no %(figure)s figures as of %(date)s for %(units)s. Enter their population figures first."
            )
            % {
                "indicator": indicator.name,
                "figure": indicator.get_share_field_label().lower(),
                "date": date_format(date, "SHORT_DATE_FORMAT"),
                "units": ", ".join(missing),
            }
        )
    return split_largest_remainder(total, {child.pk: values[child.pk] for child in children})
