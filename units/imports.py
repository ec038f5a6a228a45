"""Importing the village lists communes keep in Excel: the villages they name are created, and their population
figures set as of a date, in one transaction (a file with errors writes nothing)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from totech.forms import parse_count
from totech.spreadsheets import (
    ROMAN_SECTION,
    ImportRejected,
    ImportResult,
    clean_text,
    find_columns,
    is_footer,
    is_numbering_row,
    is_total,
    read_rows,
    refuse_bad_text,
)
from totech.text import fold

from .choices import DivisionType, Level
from .models import POPULATION_FIELDS, PopulationFigure, Unit
from .names import PlaceMatcher
from .services import population_figure_set, village_create

# field → the headers a village list names it by (compared folded); Vietnamese whatever the interface language.
VILLAGE_HEADERS = {
    "number": ["STT", "TT"],
    "name": ["Thôn/Tổ dân phố", "Tên thôn", "Tên thôn/tổ dân phố", "Thôn", "Tổ dân phố", "Thôn, bản", "Tên đơn vị"],
    "households": ["Số hộ", "Số hộ gia đình", "Tổng số hộ", "Hộ"],
    "population": ["Số dân", "Dân số", "Số nhân khẩu", "Nhân khẩu", "Tổng số nhân khẩu"],
    "working_age_population": [
        "Dân số trong độ tuổi lao động",
        "Số người trong độ tuổi lao động",
        "Trong độ tuổi lao động",
        "Độ tuổi lao động",
    ],
    "eid_eligible": [
        "Công dân đủ điều kiện cấp định danh điện tử",
        "Đủ điều kiện cấp ĐDĐT",
        "Số công dân đủ điều kiện",
    ],
    "notes": ["Ghi chú"],
}


def _whole_number(value, name, error) -> int | None:
    try:
        return parse_count(clean_text(value) if isinstance(value, str) else value)
    except ValidationError as problem:
        error(name, " ".join(problem.messages))
        return None


DIVISION_OF_PREFIX = {
    "to dan pho": DivisionType.RESIDENTIAL_GROUP,
    "khoi pho": DivisionType.BLOCK,
    "ban": DivisionType.HAMLET,
    "lang": DivisionType.LANG,
    "ap": DivisionType.AP,
    "thon": DivisionType.VILLAGE,
}
PREFIX_WORD = {
    "thon": "Thôn",
    "ban": "Bản",
    "lang": "Làng",
    "ap": "Ấp",
    "to dan pho": "Tổ dân phố",
    "khoi pho": "Khối phố",
}


def import_villages(file, *, commune: Unit, as_of: datetime.date, dry_run: bool = False, progress=None) -> ImportResult:
    """Create the commune's villages a file lists and set their population figures as of a date; a row naming
    the commune itself sets the commune's own figures (without one, the commune counts the sum of its villages)."""
    try:
        with transaction.atomic():
            result = _import_villages(read_rows(file), commune, as_of, dry_run)
            if dry_run or not result.ok:
                raise ImportRejected(result)
            result.written = True
            return result
    except ImportRejected as rejected:
        return rejected.result


def _import_villages(rows, commune: Unit, as_of: datetime.date, dry_run: bool) -> ImportResult:
    result = ImportResult()
    columns = find_columns(rows, VILLAGE_HEADERS, "name")
    if columns is None:
        result.add_error(
            1,
            "",
            _(
                "No header row found: the list needs a “Thôn/Tổ dân phố” column and at least two other known columns (Số hộ, Số dân, Dân số trong độ tuổi lao động …)."
            ),
        )
        return result
    villages = list(commune.children.filter(level=Level.VILLAGE))
    places = PlaceMatcher(commune, villages)
    figures = {
        figure.unit_id: figure for figure in PopulationFigure.objects.filter(unit__in=[commune, *villages], as_of=as_of)
    }
    seen = {}
    for number, values in rows:
        texts = [clean_text(value) for value in values if value != "" and value is not None]
        if not texts or is_numbering_row(texts):
            continue
        name = clean_text(columns.value(values, "name"))
        folded = fold(" ".join(texts))
        numbers = {field_name: columns.value(values, field_name) for field_name in POPULATION_FIELDS}
        if is_total(texts, folded):
            continue
        if not any(value != "" and value is not None for value in numbers.values()):
            if is_footer(folded) or not name or ROMAN_SECTION.match(folded):
                continue
        result.total_rows += 1
        errors_before = result.error_count

        def error(field_name, message, number=number):
            result.add_error(number, columns.header.get(field_name, ""), message)

        refused = refuse_bad_text(values, columns, error, ("name",))
        if not name and "name" not in refused:
            error("name", _("the village name is missing."))
        figures_wanted = {field_name: _whole_number(value, field_name, error) for field_name, value in numbers.items()}
        if result.error_count > errors_before:
            continue
        village = places.find(name)  # the commune's own row (its own figures) is found too
        key = village.pk if village else fold(name)
        if key in seen:
            error("name", _("%(name)s is listed twice (also on row %(other)s).") % {"name": name, "other": seen[key]})
            continue
        seen[key] = number
        is_new, changed = village is None, False
        if village is None:
            folded_name = fold(name)
            prefix = next((p for p in DIVISION_OF_PREFIX if folded_name.startswith(p + " ")), None)
            full_name = name if prefix else f"Thôn {name}"
            try:
                village = village_create(
                    commune=commune, name=full_name, division_type=DIVISION_OF_PREFIX[prefix or "thon"]
                )
            except ValidationError as problem:
                error("name", " ".join(problem.messages))
                continue
        figure = figures.get(village.pk)
        wanted = {name_: value for name_, value in figures_wanted.items() if value is not None}
        if wanted and (figure is None or any(getattr(figure, name_) != value for name_, value in wanted.items())):
            changed = True
            try:
                population_figure_set(unit=village, as_of=as_of, **wanted)
            except ValidationError as problem:
                for field_name, messages in problem.message_dict.items():
                    error(field_name if field_name in POPULATION_FIELDS else "name", " ".join(messages))
                continue
        if is_new:
            result.created += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result
