"""Demo teams: Thanh Thịnh (Thái Nguyên, reformed map, plan 13/KH-UBND of 2025) and Mộ Đức (Quảng Ngãi,
pre-reform map, 2022-2024), with ended memberships, pending requests, trainings and rule violations.

Re-runnable: a team that already exists is left as it is, so running the demo twice changes nothing.
"""

import datetime
import io
import random

from django.utils import translation

from accounts.models import User

from . import services
from .choices import Affiliation as A
from .choices import Gender, ImportKind, RequestKind, TrainingFormat
from .choices import TeamRole as R
from .models import Person, Team, Training
from .spreadsheets.jobs import import_job_record
from .spreadsheets.members import import_members
from .spreadsheets.samples import messy_member_workbook

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Ma",
    "Hà",
    "Triệu",
]
MALE = [
    "Văn Hùng",
    "Văn Dũng",
    "Minh Tuấn",
    "Đức Anh",
    "Văn Thắng",
    "Quang Huy",
    "Văn Long",
    "Hữu Nghĩa",
    "Thành Công",
    "Văn Sơn",
]
FEMALE = [
    "Thị Hoa",
    "Thị Lan",
    "Thu Trang",
    "Thị Hằng",
    "Ngọc Ánh",
    "Thị Mai",
    "Thị Thảo",
    "Phương Linh",
    "Thị Nga",
    "Thị Yến",
]

# (role, affiliation) of each seat, in the order members are added; a team takes the first n seats.
VILLAGE_SEATS = [
    (R.LEADER, A.VILLAGE_HEAD),
    (R.DEPUTY, A.YOUTH_UNION),
    (R.MEMBER, A.WOMENS_UNION),
    (R.MEMBER, A.FARMERS_UNION),
    (R.MEMBER, A.TEACHER),
    (R.MEMBER, A.HEALTH_WORKER),
    (R.MEMBER, A.YOUTH_UNION),
    (R.MEMBER, A.STUDENT),
    (R.MEMBER, A.CITIZEN),
    (R.MEMBER, A.TELECOM_POSTAL),
    (R.MEMBER, A.COMMUNE_POLICE),
    (R.COLLABORATOR, A.STUDENT),
]
COMMUNE_SEATS = [
    (R.LEADER, A.YOUTH_UNION),
    (R.STANDING_DEPUTY, A.COMMUNE_POLICE),
    (R.MEMBER, A.COMMUNE_STAFF),
    (R.MEMBER, A.IT_TEACHER),
    (R.MEMBER, A.WOMENS_UNION),
    (R.MEMBER, A.FARMERS_UNION),
    (R.MEMBER, A.TELECOM_POSTAL),
    (R.MEMBER, A.IT_TEACHER),
]
DISTRICT_SEATS = [
    (R.LEADER, A.COMMUNE_STAFF),
    (R.STANDING_DEPUTY, A.YOUTH_UNION),
    (R.MEMBER, A.IT_TEACHER),
    (R.MEMBER, A.HEALTH_WORKER),
    (R.MEMBER, A.COMMUNE_STAFF),
    (R.MEMBER, A.IT_TEACHER),
]


class Roster:
    """Makes people with deterministic names, phones and ID numbers."""

    def __init__(self, seed, id_prefix):
        self.rng = random.Random(seed)
        self.id_prefix = id_prefix
        self.count = 0

    def person(self, commune, young=True, **fields):
        self.count += 1
        name = fields.pop("full_name", None)
        female = " Thị " in name if name else self.rng.random() < 0.45
        born = self.rng.randint(1990, 2005) if young else self.rng.randint(1962, 1982)
        if name and (existing := Person.objects.filter(commune=commune, full_name=name).first()):
            return existing
        while not name or Person.objects.filter(commune=commune, full_name=name).exists():
            name = f"{self.rng.choice(FAMILY)} {self.rng.choice(FEMALE if female else MALE)}"
        return services.person_create(
            commune=commune,
            full_name=name,
            gender=Gender.FEMALE if female else Gender.MALE,
            birth_year=born,
            phone=f"09{self.rng.randint(10_000_000, 99_999_999)}",
            national_id=f"{self.id_prefix}{(2 if born < 2000 else 3) + female}{born % 100:02d}{self.count:06d}",
            **fields,
        )


def _team(
    unit, name, decided, number, signer, *, seats, size, roster, home, old_leader=False, leader_person=None, left=()
):
    """A team with `size` members from `seats`; returns None when it exists already (the demo ran before).

    With `old_leader` the leader and every fourth member are over 40 (Mộ Đức 2024 prefers members under 40)."""
    if Team.objects.filter(unit=unit, name=name).exists():
        return None
    team = services.team_create(
        unit=unit,
        name=name,
        decision_number=number,
        decision_date=decided,
        decision_signer=signer,
        zalo_link=f"https://zalo.me/g/totech{unit.pk}",
    )
    for index, (role, affiliation) in enumerate(seats[:size]):
        if role == R.LEADER and leader_person:
            person = leader_person
        else:
            person = roster.person(home, young=not (old_leader and (role == R.LEADER or index % 4 == 3)))
        services.membership_create(
            team=team,
            person=person,
            role=role,
            affiliation=affiliation,
            start_date=decided + datetime.timedelta(days=1),
        )
    for full_name, role, affiliation, start, end, reason in left:
        person = roster.person(home, full_name=full_name)
        services.membership_create(
            team=team,
            person=person,
            role=role,
            affiliation=affiliation,
            start_date=start,
            end_date=end,
            end_reason=reason,
        )
    return team


def seed(units):
    """Teams, members, requests, trainings and composition rules for both demo provinces (what the services
    write in words, such as a reason for leaving, is written in Vietnamese as a commune officer would)."""
    with translation.override("vi"):
        _seed(units)


def _seed(units):
    services.composition_preset_apply(province=units["thai_nguyen"], preset="thanh_thinh_2025")
    services.composition_preset_apply(province=units["quang_ngai"], preset="quang_ngai_2022")
    services.composition_preset_apply(province=units["quang_ngai"], preset="mo_duc_2024")
    _seed_thanh_thinh(units)
    _seed_mo_duc(units)


def _seed_thanh_thinh(units):
    commune, villages = units["thanh_thinh"], units["thanh_thinh_villages"]
    roster = Roster(seed=19, id_prefix="019")
    decided, number, chair = datetime.date(2025, 7, 22), "125/QĐ-UBND", "Phan Đức Luận, Chủ tịch UBND xã"
    officer = User.objects.get(username="xa.thanhthinh")
    commune_team = _team(
        commune,
        "Tổ Công nghệ số cộng đồng xã Thanh Thịnh",
        decided,
        number,
        chair,
        seats=COMMUNE_SEATS,
        size=8,
        roster=roster,
        home=commune,
        old_leader=True,
    )

    leader_user = User.objects.get(username="totruong.bangiang")
    leader = Person.objects.filter(user=leader_user).first() or services.person_create(
        commune=commune,
        full_name="Đỗ Văn Tuấn",
        gender=Gender.MALE,
        birth_year=1979,
        phone="0912486357",
        user=leader_user,
    )
    # Bản Giang: a full team (7 members), a member who left, one pending join request, one pending leave request.
    ban_giang = _team(
        villages[0],
        "Tổ Công nghệ số cộng đồng thôn Bản Giang",
        decided,
        "126/QĐ-UBND",
        chair,
        seats=VILLAGE_SEATS,
        size=7,
        roster=roster,
        home=commune,
        leader_person=leader,
        left=[
            (
                "Ma Thị Hường",
                R.MEMBER,
                A.WOMENS_UNION,
                datetime.date(2025, 7, 23),
                datetime.date(2025, 10, 31),
                "Đi làm ăn xa",
            )
        ],
    )
    # Na Lay: too small and without a deputy (breaks the 5-10 rule of plan 13/KH-UBND).
    _team(
        villages[1],
        "Tổ Công nghệ số cộng đồng thôn Na Lay",
        decided,
        "127/QĐ-UBND",
        chair,
        seats=[s for s in VILLAGE_SEATS if s[0] != R.DEPUTY],
        size=3,
        roster=roster,
        home=commune,
        old_leader=True,
    )
    # Khe Thầu: 11 members, one over the maximum of 10 (plus a collaborator, who does not count).
    _team(
        villages[2],
        "Tổ Công nghệ số cộng đồng thôn Khe Thầu",
        decided,
        "128/QĐ-UBND",
        chair,
        seats=VILLAGE_SEATS,
        size=12,
        roster=roster,
        home=commune,
        old_leader=True,
    )
    _team(
        villages[3],
        "Tổ Công nghệ số cộng đồng thôn Nà Pài",
        decided,
        "129/QĐ-UBND",
        chair,
        seats=VILLAGE_SEATS,
        size=6,
        roster=roster,
        home=commune,
        old_leader=True,
    )
    # Làng Chủ and Đồng Tâm have no team yet: the coverage list shows them.

    if ban_giang:
        newcomer = roster.person(commune, full_name="Triệu Thị Quỳnh")
        services.membership_request_create(
            team=ban_giang,
            person=newcomer,
            kind=RequestKind.JOIN,
            effective_date=datetime.date(2025, 12, 1),
            affiliation=A.YOUTH_UNION,
            reason="Đoàn viên, muốn hỗ trợ bà con cài VNeID",
            requested_by=officer,
        )
        leaving = ban_giang.memberships.filter(role=R.MEMBER, end_date__isnull=True).first()
        services.membership_request_create(
            team=ban_giang,
            person=leaving.person,
            kind=RequestKind.LEAVE,
            effective_date=datetime.date(2025, 12, 31),
            reason="Chuyển công tác",
            requested_by=leader_user,
        )
    if commune_team:
        services.membership_request_create(
            team=commune_team,
            person=roster.person(commune, full_name="Hà Minh Khôi"),
            kind=RequestKind.JOIN,
            effective_date=datetime.date(2025, 12, 1),
            affiliation=A.TELECOM_POSTAL,
            reason="Nhân viên VNPT tại xã",
            requested_by=officer,
        )
    _training(
        commune,
        datetime.date(2025, 8, 15),
        "Tập huấn kỹ năng số cho Tổ Công nghệ số cộng đồng",
        "VNPT Thái Nguyên",
        TrainingFormat.ON_SITE,
        ratio=0.8,
    )
    _training(
        commune,
        datetime.date(2025, 10, 2),
        "Hướng dẫn kích hoạt định danh điện tử mức 2 (VNeID)",
        "Công an xã",
        TrainingFormat.ONLINE,
        ratio=0.5,
    )


def _seed_mo_duc(units):
    district, communes = units["mo_duc"], units["mo_duc_communes"]
    roster = Roster(seed=51, id_prefix="051")
    district_team = _team(
        district,
        "Tổ Công nghệ số cộng đồng huyện Mộ Đức",
        datetime.date(2022, 8, 15),
        "1520/QĐ-UBND",
        "Chủ tịch UBND huyện Mộ Đức",
        seats=DISTRICT_SEATS,
        size=6,
        roster=roster,
        home=district,
    )
    if district_team:  # districts were abolished on 1 July 2025
        services.team_dissolve(
            team=district_team,
            version=district_team.version,
            dissolved_on=datetime.date(2025, 6, 30),
            reason="Kết thúc hoạt động cấp huyện từ 01/7/2025.",
        )
    for index, commune in enumerate(communes):
        decided = datetime.date(2022, 9, 5 + index)
        signer = f"Chủ tịch UBND {commune.name}"
        # The first commune's team lacks its second IT teacher (seed 000 asks for 2).
        _team(
            commune,
            f"Tổ Công nghệ số cộng đồng {commune.name}",
            decided,
            f"{210 + index}/QĐ-UBND",
            signer,
            seats=COMMUNE_SEATS,
            size=7 if index == 0 else 8,
            roster=roster,
            home=commune,
        )
        for number, village in enumerate(commune.children.order_by("name")[: 4 - index]):
            left = []
            if number == 0:
                left = [
                    (
                        "Nguyễn Văn Bình",
                        R.MEMBER,
                        A.YOUTH_UNION,
                        decided + datetime.timedelta(days=1),
                        datetime.date(2023, 12, 31),
                        "Đi học đại học",
                    ),
                    (
                        "Phạm Thị Thu",
                        R.MEMBER,
                        A.WOMENS_UNION,
                        decided + datetime.timedelta(days=1),
                        datetime.date(2024, 9, 30),
                        "Kiện toàn Tổ theo kế hoạch ra quân",
                    ),
                ]
            _team(
                village,
                f"Tổ Công nghệ số cộng đồng {village.name} ({commune.name})"[:200],
                decided,
                f"{300 + 10 * index + number}/QĐ-UBND",
                signer,
                seats=VILLAGE_SEATS,
                size=6 + (number % 3),
                roster=roster,
                home=commune,
                old_leader=number % 2 == 0,
                left=left,
            )
    _training(
        communes[0].parent,
        datetime.date(2024, 9, 25),
        "Bồi dưỡng kỹ năng số trước đợt ra quân 1-10/10/2024",
        "Viettel Quảng Ngãi",
        TrainingFormat.ONLINE,
        ratio=0.6,
        on=datetime.date(2024, 9, 25),
    )


def _training(unit, date, topic, organiser, format, *, ratio, on=None):
    if Training.objects.filter(unit=unit, date=date, topic=topic).exists():
        return
    members = (
        Person.objects.filter(
            memberships__team__unit__path__startswith=unit.path, memberships__start_date__lte=on or date
        )
        .distinct()
        .order_by("pk")
    )
    rng = random.Random(f"{unit.pk}{date}")
    attendees = [person for person in members if rng.random() < ratio]
    services.training_create(unit=unit, date=date, topic=topic, organiser=organiser, format=format, attendees=attendees)


SAMPLE_FILE_NAME = "danh-sach-to-cnscd-mau.xlsx"


def seed_sample_import(units):
    """The messy sample member list of a Mộ Đức commune, imported through the real import by the staff who keep
    it, so the import log has an entry and three villages left without a team above get theirs. Run after the
    targets demo; re-running changes nothing."""
    commune = units["mo_duc_communes"][-1]
    villages = list(commune.children.order_by("name").values_list("name", flat=True)[2:5])
    officer = User.objects.filter(scope_unit__in=[commune, commune.parent]).order_by("pk").first()
    result = import_members(
        io.BytesIO(messy_member_workbook(commune.name, villages)),
        commune=commune,
        user=officer,
        file_name=SAMPLE_FILE_NAME,
    )
    if result.created or result.updated:
        import_job_record(
            kind=ImportKind.MEMBERS, commune=commune, user=officer, file_name=SAMPLE_FILE_NAME, result=result
        )
    return result
