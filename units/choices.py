from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


class Edition(models.TextChoices):
    """Which official map a unit belongs to. Villages take their commune's edition."""

    PRE_REFORM = "2024", _("Pre-reform map (until 30/06/2025)")
    REFORMED = "2025", _("Reformed map (from 01/07/2025)")


class DivisionType(models.TextChoices):
    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city (thành phố trực thuộc TW)")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    TOWN = "thi_xa", _("Town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("Provincial city (thành phố thuộc tỉnh)")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")
    VILLAGE = "thon", _("Village (thôn)")
    HAMLET = "ban", _("Hamlet (bản)")
    LANG = "lang", _("Village (làng)")
    AP = "ap", _("Hamlet (ấp)")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Residential group (tổ dân phố)")
    BLOCK = "khoi_pho", _("Block (khối phố)")


LEVEL_OF_DIVISION_TYPE = {
    DivisionType.PROVINCE: Level.PROVINCE,
    DivisionType.CENTRAL_CITY: Level.PROVINCE,
    DivisionType.RURAL_DISTRICT: Level.DISTRICT,
    DivisionType.URBAN_DISTRICT: Level.DISTRICT,
    DivisionType.TOWN: Level.DISTRICT,
    DivisionType.PROVINCIAL_CITY: Level.DISTRICT,
    DivisionType.COMMUNE: Level.COMMUNE,
    DivisionType.WARD: Level.COMMUNE,
    DivisionType.TOWNSHIP: Level.COMMUNE,
    DivisionType.SPECIAL_ZONE: Level.COMMUNE,
    DivisionType.VILLAGE: Level.VILLAGE,
    DivisionType.HAMLET: Level.VILLAGE,
    DivisionType.LANG: Level.VILLAGE,
    DivisionType.AP: Level.VILLAGE,
    DivisionType.RESIDENTIAL_GROUP: Level.VILLAGE,
    DivisionType.BLOCK: Level.VILLAGE,
}

# Name prefixes as written in official lists and in communes' own files; longest first.
NAME_PREFIXES = [
    ("Thành phố", None),  # province-level or district-level: decided by the level being loaded
    ("Thị trấn", DivisionType.TOWNSHIP),
    ("Tổ dân phố", DivisionType.RESIDENTIAL_GROUP),
    ("Khối phố", DivisionType.BLOCK),
    ("Đặc khu", DivisionType.SPECIAL_ZONE),
    ("Thị xã", DivisionType.TOWN),
    ("Phường", DivisionType.WARD),
    ("Huyện", DivisionType.RURAL_DISTRICT),
    ("Quận", DivisionType.URBAN_DISTRICT),
    ("Tỉnh", DivisionType.PROVINCE),
    ("Thôn", DivisionType.VILLAGE),
    ("Bản", DivisionType.HAMLET),
    ("Làng", DivisionType.LANG),
    ("Xã", DivisionType.COMMUNE),
    ("Ấp", DivisionType.AP),
]


# The levels a unit picker offers, by the name its search URL carries (units:search): a fixed set, so the
# endpoint never takes a level list from the query string.
PICKER_LEVELS = {
    "team": (Level.DISTRICT, Level.COMMUNE, Level.VILLAGE),
    "area": (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
    "commune": (Level.COMMUNE,),
    "any": tuple(Level.values),
}
