import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from totech.text import fold

from .choices import LEVEL_OF_DIVISION_TYPE, Edition, Level
from .models import REFORM_DATE, PopulationFigure, Unit
from .official_lists import read_edition

EDITION_VALIDITY = {
    Edition.PRE_REFORM: (None, REFORM_DATE - datetime.timedelta(days=1)),
    Edition.REFORMED: (REFORM_DATE, None),
}


class AdminUnitLoadError(Exception):
    pass


@dataclass
class LoadResult:
    created: Counter
    updated: Counter
    unchanged: Counter


@transaction.atomic
def admin_units_load(*, edition: str, province_codes: list[str] | None = None) -> LoadResult:
    """Create or update one edition of the official map (all of it, or some provinces). Safe to re-run."""
    if edition not in Edition.values:
        raise AdminUnitLoadError(
            _("Unknown edition %(edition)s: choose one of %(choices)s.")
            % {"edition": edition, "choices": ", ".join(Edition.values)}
        )
    provinces = read_edition(edition)
    if province_codes:
        wanted = {code.zfill(2) for code in province_codes}
        unknown = sorted(wanted - {province.code for province in provinces})
        if unknown:
            raise AdminUnitLoadError(
                _("Unknown province code(s) for edition %(edition)s: %(codes)s.")
                % {"edition": edition, "codes": ", ".join(unknown)}
            )
        provinces = [province for province in provinces if province.code in wanted]

    valid_from, valid_to = EDITION_VALIDITY[edition]
    existing = {(unit.level, unit.code): unit for unit in Unit.objects.filter(edition=edition).exclude(code="")}
    result = LoadResult(Counter(), Counter(), Counter())

    def upsert_level(official_units, parents):
        """Upsert one level: `official_units` pairs each official unit with its parent's (level, code)."""
        to_create, to_update = [], []
        for official, parent_key in official_units:
            level = LEVEL_OF_DIVISION_TYPE[official.division_type]
            parent = parents.get(parent_key)
            unit = existing.get((level, official.code))
            wanted = {
                "name": official.name,
                "search_name": fold(official.name),  # bulk writes skip Unit.save()
                "division_type": official.division_type,
                "parent_id": parent.pk if parent else None,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
            if unit is None:
                unit = Unit(edition=edition, level=level, code=official.code, **wanted)
                to_create.append(unit)
                result.created[level] += 1
            elif any(getattr(unit, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(unit, name, value)
                to_update.append(unit)
                result.updated[level] += 1
            else:
                result.unchanged[level] += 1
            existing[(level, official.code)] = unit
        Unit.objects.bulk_create(to_create, batch_size=2000)
        Unit.objects.bulk_update(
            to_update, ["name", "search_name", "division_type", "parent", "valid_from", "valid_to"], 2000
        )

    upsert_level([(province, None) for province in provinces], {})
    province_level = [(child, (Level.PROVINCE, province.code)) for province in provinces for child in province.children]
    upsert_level(province_level, existing)
    below_districts = [
        (commune, (Level.DISTRICT, district.code))
        for province in provinces
        for district in province.children
        for commune in district.children
    ]
    upsert_level(below_districts, existing)
    units_rebuild_paths(edition=edition)
    return result


def units_rebuild_paths(*, edition: str) -> None:
    """Recompute `path` for every unit of an edition, top-down (after bulk writes that skip save())."""
    paths = {}
    stale = []
    for level in Level.values:
        for unit in Unit.objects.filter(edition=edition, level=level).only("id", "parent_id", "path"):
            path = f"{paths.get(unit.parent_id, '/')}{unit.pk}/"
            paths[unit.pk] = path
            if unit.path != path:
                unit.path = path
                stale.append(unit)
    Unit.objects.bulk_update(stale, ["path"], batch_size=2000)


@transaction.atomic
def village_create(*, commune: Unit, name: str, division_type: str) -> Unit:
    village = Unit(
        edition=commune.edition,
        level=Level.VILLAGE,
        division_type=division_type,
        name=name,
        parent=commune,
        valid_from=commune.valid_from,
        valid_to=commune.valid_to,
    )
    village.full_clean()
    village.save()
    return village


@transaction.atomic
def population_figure_set(*, unit: Unit, as_of: datetime.date, **figures) -> PopulationFigure:
    """Create or replace a unit's population figures as of a date."""
    figure = PopulationFigure.objects.filter(unit=unit, as_of=as_of).first() or PopulationFigure(unit=unit, as_of=as_of)
    for name, value in figures.items():
        setattr(figure, name, value)
    figure.full_clean()
    figure.save()
    return figure
