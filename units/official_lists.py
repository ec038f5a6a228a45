"""Reading the official GSO lists of provinces, districts and communes.

The reformed map (2025) comes from the pinned `vietnam-provinces` package; the pre-reform map (2024, as of
04/01/2025) is vendored from that package's 0.6.0 release, because both versions cannot be installed at once.
Both are turned into the same shape: provinces with districts (possibly none) with communes.
"""

import gzip
import json
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .choices import NAME_PREFIXES, DivisionType, Edition, Level

PRE_REFORM_FILE = Path(__file__).parent / "data" / "admin_units_2024.json.gz"

REFORMED_TYPES = {
    "thành phố trung ương": DivisionType.CENTRAL_CITY,
    "tỉnh": DivisionType.PROVINCE,
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}


@dataclass
class OfficialUnit:
    code: str
    name: str
    division_type: str
    children: list["OfficialUnit"] = field(default_factory=list)


def division_type_from_name(name, level):
    """The division type written at the start of an official name ("Huyện Mộ Đức" → rural district)."""
    folded = unicodedata.normalize("NFC", name).casefold()
    for prefix, division_type in NAME_PREFIXES:
        if folded.startswith(prefix.casefold() + " "):
            if division_type is None:  # "Thành phố" names both centrally-run and provincial cities
                return DivisionType.CENTRAL_CITY if level == Level.PROVINCE else DivisionType.PROVINCIAL_CITY
            return division_type
    raise ValueError(f"Cannot tell the division type of {name!r}")


def read_edition(edition):
    """The provinces of one edition, each with its districts and communes (as OfficialUnit trees).

    On the reformed map a province's children are its communes; on the pre-reform map, its districts.
    """
    if edition == Edition.REFORMED:
        raw = json.loads(resources.files("vietnam_provinces").joinpath("data/nested-divisions.json").read_text("utf-8"))
        return [
            OfficialUnit(
                code=f"{province['code']:02d}",
                name=province["name"],
                division_type=REFORMED_TYPES[province["division_type"]],
                children=[
                    OfficialUnit(f"{ward['code']:05d}", ward["name"], REFORMED_TYPES[ward["division_type"]])
                    for ward in province["wards"]
                ],
            )
            for province in raw
        ]
    if edition == Edition.PRE_REFORM:
        with gzip.open(PRE_REFORM_FILE, "rt", encoding="utf-8") as fh:
            raw = json.load(fh)["provinces"]
        return [
            OfficialUnit(
                code=province["code"],
                name=province["name"],
                division_type=division_type_from_name(province["name"], Level.PROVINCE),
                children=[
                    OfficialUnit(
                        code=district["code"],
                        name=district["name"],
                        division_type=division_type_from_name(district["name"], Level.DISTRICT),
                        children=[
                            OfficialUnit(code, name, division_type_from_name(name, Level.COMMUNE))
                            for code, name in district["communes"]
                        ],
                    )
                    for district in province["districts"]
                ],
            )
            for province in raw
        ]
    raise ValueError(f"Unknown edition {edition!r}")
