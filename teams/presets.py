"""Composition rules as the seed plans set them; a province applies one and then edits its own rules.

Each preset maps a team level to the CompositionRule fields it sets. Quoted from the seeds in
../shared/domain/seeds/ (000, 002, 003, 004); where a plan says "may include" we keep only what it counts.
"""

from django.utils.translation import gettext_lazy as _

from units.choices import Level

PRESETS = {
    "quang_ngai_2022": {
        # Seed 000, letter 3730/UBND-KGVX: district and commune teams with a standing deputy (Youth Union
        # secretary) and at least 2 IT teachers; village teams: leader, Youth Union deputy, Women's and
        # Farmers' Union and at least 2 more people.
        "label": _("Quảng Ngãi 2022 (letter 3730/UBND-KGVX)"),
        "rules": {
            Level.DISTRICT: {"requires_deputy": True, "min_youth_union": 1, "min_it_teachers": 2},
            Level.COMMUNE: {"requires_deputy": True, "min_youth_union": 1, "min_it_teachers": 2},
            Level.VILLAGE: {"min_size": 6, "requires_deputy": True, "min_youth_union": 1},
        },
    },
    "binh_dinh_2022": {
        # Seed 002, plan 77/KH-UBND: village teams of at least 4, led by the Youth Union representative,
        # at least 2 Youth Union members per team, young IT-literate people preferred.
        "label": _("Bình Định 2022 (plan 77/KH-UBND)"),
        "rules": {
            Level.VILLAGE: {"min_size": 4, "min_youth_union": 2},
        },
    },
    "thanh_thinh_2025": {
        # Seed 003, plan 13/KH-UBND: at most 10 members, kept at 5-10; a leader and a deputy; the commune
        # team is led by the Youth Union secretary, the village team's deputy is the village Youth Union secretary.
        "label": _("Thanh Thịnh 2025 (plan 13/KH-UBND)"),
        "rules": {
            Level.COMMUNE: {"min_size": 5, "max_size": 10, "requires_deputy": True, "min_youth_union": 1},
            Level.VILLAGE: {"min_size": 5, "max_size": 10, "requires_deputy": True, "min_youth_union": 1},
        },
    },
    "mo_duc_2024": {
        # Seed 004, campaign plan of October 2024: village teams with a leader, a Youth Union member as deputy,
        # a commune police officer, a teacher, Women's and Farmers' Union members; members preferably under 40.
        "label": _("Mộ Đức 2024 (campaign plan, October 2024)"),
        "rules": {
            Level.VILLAGE: {"min_size": 6, "requires_deputy": True, "min_youth_union": 1, "preferred_max_age": 39},
        },
    },
}

# Every rule field a preset may set, with the value it takes when the preset leaves it out.
RULE_DEFAULTS = {
    "min_size": None,
    "max_size": None,
    "requires_leader": True,
    "requires_deputy": False,
    "min_youth_union": 0,
    "min_it_teachers": 0,
    "preferred_max_age": None,
}


def preset_choices():
    return [(key, preset["label"]) for key, preset in PRESETS.items()]
