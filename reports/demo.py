"""Demo reports: a year of monthly reports from Thanh Thịnh's teams (reformed map) in every state, and the
Mộ Đức campaign reports of October 2024 (pre-reform map). Safe to re-run: existing reports are left alone.

The teams app's demo may already have set the teams up; where a village has no team yet, one is made here
with a leader who can log in (password: the demo password).
"""

import datetime
import random

from django.utils import timezone

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.services import user_upsert
from targets.choices import IndicatorKind, PeriodKind
from targets.models import Indicator, Period
from targets.selectors import denominator_as_of
from teams.choices import Affiliation, TeamRole, TeamStatus
from teams.models import Membership, Team
from teams.services import membership_create, person_create, person_update, team_create
from units.choices import Level
from units.models import Unit

from .choices import ReportStatus
from .models import Notification, Report, ReportRequest
from .rollups import rollup_province, stale_province_quarters
from .services import (
    report_approve,
    report_reopen,
    report_request_create,
    report_return,
    report_save,
    report_url,
    schedule_set,
)

LEADER_NAMES = [
    "Đỗ Văn Tuấn",
    "Nông Thị Mai",
    "Hoàng Văn Lực",
    "Lý Thị Thu",
    "Ma Văn Khánh",
    "Triệu Thị Hằng",
    "Vi Văn Sơn",
]
ACTIVITIES = [
    "Tổ chức 2 buổi hướng dẫn cài đặt VNeID tại nhà văn hóa thôn; đi từng ngõ, gõ từng nhà hướng dẫn người cao tuổi.",
    "Hướng dẫn hộ gia đình nộp hồ sơ dịch vụ công trực tuyến và thanh toán không dùng tiền mặt tiền điện, nước.",
    "Tuyên truyền trên nhóm Zalo thôn; hỗ trợ hộ sản xuất đăng ký bán hàng trên voso.vn, postmart.vn.",
]
DIFFICULTIES = [
    "Sóng điện thoại yếu ở khu vực đồi; nhiều người cao tuổi chưa có điện thoại thông minh.",
    "Một số hộ đi làm ăn xa, khó gặp.",
]
PROPOSALS = [
    "Đề nghị xã hỗ trợ thêm 01 bộ phát wifi cho nhà văn hóa thôn.",
    "Đề nghị tổ chức lớp tập huấn kỹ năng số cho thành viên tổ.",
]


def _month_start(date: datetime.date, back: int) -> datetime.date:
    index = date.year * 12 + date.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _team_with_leader(
    unit: Unit, leader_user, decision_date: datetime.date, affiliation=Affiliation.VILLAGE_HEAD, name=""
):
    """The unit's active team (or the one named `name`) and the account of its leader: made here where the
    teams demo made none."""
    teams = (
        Team.objects.filter(unit=unit, name=name) if name else Team.objects.filter(unit=unit, status=TeamStatus.ACTIVE)
    )
    team = teams.order_by("pk").first()
    if team is None:
        team = team_create(
            unit=unit,
            name=name or f"Tổ Công nghệ số cộng đồng {unit.name}",
            decision_date=decision_date,
            decision_number="25/QĐ-UBND",
            decision_signer="Chủ tịch UBND xã",
        )
    leadership = (
        Membership.objects.filter(team=team, role=TeamRole.LEADER, end_date__isnull=True)
        .select_related("person__user")
        .first()
    )
    if leadership is None:
        commune = unit.parent if unit.level == Level.VILLAGE else unit
        person = person_create(commune=commune, full_name=leader_user.get_full_name(), user=leader_user)
        membership_create(
            team=team, person=person, start_date=decision_date, role=TeamRole.LEADER, affiliation=affiliation
        )
        return team, leader_user
    if leadership.person.user is None:
        person_update(person=leadership.person, user=leader_user)
        return team, leader_user
    return team, leadership.person.user


def _leader_account(username: str, full_name: str, unit: Unit):
    last_name, _, first_name = full_name.rpartition(" ")
    return user_upsert(
        username=username,
        password=DEMO_PASSWORD,
        first_name=first_name,
        last_name=last_name,
        role=Role.TEAM_LEADER,
        scope_unit=unit,
    )


def _values(indicators, team: Team, period: Period, month_index: int, rng: random.Random) -> dict[int, int]:
    """Flows vary month by month; stocks climb towards the targets, never above the village's figures and never
    falling (the data-quality checks would flag them: reports.quality)."""
    values, by_code = {}, {}
    for indicator in indicators:
        by_code[indicator.code] = indicator.pk
        if indicator.code == "eid_issued":  # accounts issued: most of those registered so far
            values[indicator.pk] = int(values.get(by_code.get("eid_level2"), 0) * 0.92)
            continue
        if indicator.kind == IndicatorKind.COUNT:
            # Within a factor of 3 of each other: never "far above the team's history" by chance.
            values[indicator.pk] = rng.randint(12, 30) if indicator.code != "propaganda_sessions" else rng.randint(2, 4)
            continue
        base = denominator_as_of(indicator=indicator, unit=team.unit, date=period.end)
        share = min(0.95, 0.45 + 0.04 * month_index + rng.uniform(0, 0.03))
        if indicator.denominator_indicator_id:
            base = values.get(indicator.denominator_indicator_id)
            share = min(0.97, 0.7 + 0.02 * month_index)
        values[indicator.pk] = int((base or 0) * share)
    return values


def _backdate(report: Report, moment: datetime.datetime) -> None:
    """Demo only: the services stamp 'now'; a year of history needs the moments it would have happened at."""
    Report.objects.filter(pk=report.pk, submitted_at__isnull=False).update(submitted_at=moment)
    report.transitions.update(at=moment)


def _report(*, leader, team, period, indicators, month_index, rng, texts_from=0):
    values = _values(indicators, team, period, month_index, rng)
    texts = {
        "activities": ACTIVITIES[(month_index + texts_from) % 3],
        "difficulties": DIFFICULTIES[month_index % 2],
        "proposals": PROPOSALS[month_index % 2] if month_index % 3 == 0 else "",
    }
    return report_save(user=leader, team=team, period=period, version=0, values=values, **texts)


def _send(report: Report, leader, values: dict[int, int] | None = None, quality_note: str = "") -> Report:
    """Send the report as it stands (the leader pressing Send), with `values` changed."""
    report = Report.objects.get(pk=report.pk)
    return report_save(
        user=leader,
        team=report.team,
        period=report.period,
        version=report.version,
        submit=True,
        values=dict(report.values.values_list("indicator_id", "value")) | (values or {}),
        quality_note=quality_note,
        **{name: getattr(report, name) for name in ("activities", "difficulties", "proposals")},
    )


# The demo's data-quality warning (reports.quality): a month of door-to-door visits far above the team's history,
# sent with the leader's explanation; it waits for the commune officer's review.
CAMPAIGN_VISITS = 160
CAMPAIGN_NOTE = (
    "Tháng này tổ phối hợp với Đoàn Thanh niên ra quân 10 ngày, đi từng ngõ, gõ từng nhà hướng dẫn "
    "cài đặt VNeID nên số lượt đến hộ gia đình tăng cao."
)


def _at(date: datetime.date, days: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date + datetime.timedelta(days=days), datetime.time(9, 30)))


def seed(units, users, campaign=None):
    """Schedules for both demo provinces, a year of Thanh Thịnh's monthly reports, Mộ Đức's campaign and
    quarterly reports of 2024-2025, and an open ad-hoc request. Returns the demo teams."""
    rng = random.Random(6)
    by_username = {user.username: user for user in users}
    today = timezone.localdate()
    first_month = _month_start(today, 12)
    department = by_username["so.thainguyen"]
    schedule_set(
        user=department,
        province=units["thai_nguyen"],
        frequency=PeriodKind.MONTH,
        deadline_day=5,
        remind_days_before=3,
        starts_on=first_month,
    )
    schedule_set(
        user=by_username["so.quangngai"],
        province=units["quang_ngai"],
        frequency=PeriodKind.QUARTER,
        deadline_day=10,
        remind_days_before=5,
        starts_on=datetime.date(2024, 1, 1),
    )
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    teams = _thanh_thinh(units, by_username, indicators, first_month, today, rng)
    teams += _mo_duc(units, by_username, indicators, campaign, rng)
    thanh_thinh = units["thanh_thinh"]
    if not ReportRequest.objects.filter(unit=thanh_thinh, title="Báo cáo nhanh kết quả hướng dẫn VNeID").exists():
        report_request_create(
            user=by_username["xa.thanhthinh"],
            unit=thanh_thinh,
            title="Báo cáo nhanh kết quả hướng dẫn VNeID",
            instructions="Các tổ báo cáo nhanh số người được hướng dẫn kích hoạt VNeID từ đầu tháng.",
            covers_start=today.replace(day=1),
            covers_end=today,
            deadline=today + datetime.timedelta(days=5),
        )
    _inbox_shows_only_open_work()
    stale = stale_province_quarters()
    for province_id, year, quarter in stale:  # what the beat job does within minutes
        rollup_province(province=Unit.objects.get(pk=province_id), year=year, quarter=quarter)
    for province_id, year in sorted({(province_id, year) for province_id, year, _quarter in stale}):  # and nightly
        rollup_province(province=Unit.objects.get(pk=province_id), year=year)
    return teams


def _inbox_shows_only_open_work():
    """A year of history leaves hundreds of notices; the demo keeps unread only those about open reports."""
    open_urls = [report_url(report) for report in Report.objects.exclude(status=ReportStatus.APPROVED)]
    Notification.objects.filter(read_at__isnull=True).exclude(url__in=open_urls).update(read_at=timezone.now())


def _thanh_thinh(units, by_username, indicators, first_month, today, rng):
    """Twelve months for Thanh Thịnh's village teams and commune team; the last month in every state."""
    thanh_thinh, department, officer = units["thanh_thinh"], by_username["so.thainguyen"], by_username["xa.thanhthinh"]
    decision = first_month - datetime.timedelta(days=30)
    teams = []
    for index, village in enumerate(units["thanh_thinh_villages"]):
        if index and not Team.objects.filter(unit=village, status=TeamStatus.ACTIVE).exists():
            continue  # villages the teams demo left without a team stay without one
        username = "totruong.bangiang" if index == 0 else f"totruong.thanhthinh{index + 1}"
        leader = by_username.get(username) or _leader_account(username, LEADER_NAMES[index], village)
        teams.append(_team_with_leader(village, leader, decision))
    commune_leader = _leader_account("totruong.xathanhthinh", LEADER_NAMES[6], thanh_thinh)
    teams.append(_team_with_leader(thanh_thinh, commune_leader, decision, Affiliation.YOUTH_UNION))

    months = list(Period.objects.filter(kind=PeriodKind.MONTH, start__gte=first_month, end__lt=today).order_by("start"))
    for team_index, (team, leader) in enumerate(teams):
        reviewer = officer  # on the reformed map the commune reviews its village teams and its commune team
        for month_index, period in enumerate(months):
            if Report.objects.filter(team=team, period=period).exists():
                continue
            last = month_index == len(months) - 1
            if last and team_index == 5:
                continue  # one team has not reported yet: missing on the commune's page, overdue on its own
            report = _report(
                leader=leader, team=team, period=period, indicators=indicators, month_index=month_index, rng=rng
            )
            if last and team_index == 4:
                continue  # a draft, started but not sent
            sent_at = _at(report.deadline, 3 if rng.random() < 0.15 else -2)
            if last and team_index == 1:
                visits = Indicator.objects.filter(code="door_to_door_visits").first()
                report = _send(report, leader, {visits.pk: CAMPAIGN_VISITS} if visits else {}, CAMPAIGN_NOTE)
            else:
                report = _send(report, leader)
            if last and team_index == 0:
                report_return(
                    user=reviewer,
                    report=report,
                    comment="Số hộ được hướng dẫn dịch vụ công chưa khớp với sổ theo dõi của thôn, đề nghị kiểm tra lại.",
                )
            elif last and team_index == 3:  # returned, corrected and sent again: waits for review
                report_return(user=reviewer, report=report, comment="Bổ sung nội dung khó khăn, đề xuất.")
                report = _send(report, leader)
            elif not (last and team_index in (1, 2)):  # those two wait for review
                report_approve(user=reviewer, report=report)
                if month_index == 2 and team_index == 3:
                    report_reopen(
                        user=department,
                        report=report,
                        reason="Sở rà soát: số tài khoản kích hoạt vượt số đăng ký, đề nghị tổ báo cáo lại.",
                    )
                    report_approve(user=reviewer, report=_send(report, leader))
            _backdate(report, sent_at)
    return [team for team, _leader in teams]


def _mo_duc(units, by_username, indicators, campaign, rng):
    """The village teams of Mộ Đức's first commune on the pre-reform map (set up by the teams demo): the October
    2024 campaign and the quarters of 2024 and early 2025, all approved."""
    commune = units["mo_duc_communes"][0]
    officer = by_username["xa.moduc"]
    quarters = list(
        Period.objects.filter(
            kind=PeriodKind.QUARTER, start__gte=datetime.date(2024, 1, 1), end__lt=datetime.date(2025, 7, 1)
        ).order_by("start")
    )
    periods = quarters + ([campaign] if campaign else [])
    teams = []
    for index, village in enumerate(commune.children.order_by("name")):
        existing = Team.objects.filter(unit=village).order_by("pk").first()
        if existing is None:
            continue  # a village the teams demo left without a team stays without one
        leader = _leader_account(f"totruong.moduc{index + 1}", LEADER_NAMES[index], village)
        team, leader = _team_with_leader(village, leader, datetime.date(2022, 9, 1), name=existing.name)
        for number, period in enumerate(periods):
            if Report.objects.filter(team=team, period=period).exists():
                continue
            report = _report(
                leader=leader, team=team, period=period, indicators=indicators, month_index=number, rng=rng
            )
            report = _send(report, leader)
            report_approve(user=officer, report=report)
            _backdate(report, _at(report.deadline, -1))
        teams.append(team)
    return teams
