"""Every reports URL through the permission matrix. The team at W1 is led by the `leader` persona (see
teams/tests/permission_cases.py); its January 2026 report waits for the commune officer's review."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from reports.models import Notification, QualityRule, Report, ReportingSchedule, ReportPhoto, ReportRequest, UnitSummary
from targets.services import period_get_or_create
from targets.tests.factories import CountIndicatorFactory
from teams.tests.permission_cases import team
from totech.tests.permissions import ALL, Case

OWN_LEADER = frozenset({"leader"})
# Who fills in W1's team's reports: its leader, and the commune officer typing in a paper report (reports.selectors.
# teams_fillable_by); a named deputy too (reports/tests/test_desks.py).
FILLERS = frozenset({"leader", "commune"})
IN_SCOPE = frozenset({"admin", "province", "commune", "leader"})  # W1's team: Thái Nguyên, Thanh Thịnh


def _once(world, key, make):
    if key not in world:
        world[key] = make(world)
    return world[key]


def january(w):
    return _once(w, "january", lambda w: period_get_or_create(kind="month", year=2026, number=1))


def schedule(w):
    return _once(
        w, "schedule", lambda w: ReportingSchedule.objects.create(province=w["Q"], starts_on=datetime.date(2026, 1, 1))
    )


def report(w):
    def make(w):
        schedule(w)
        return Report.objects.create(
            team=team(w, "W1"),
            kind="periodic",
            period=january(w),
            deadline=datetime.date(2026, 2, 5),
            status="submitted",
            village=w["W1"],
            commune=w["K1"],
            province=w["Q"],
            created_by=User.objects.get_or_create(username="maker")[0],
        )

    return _once(w, "report", make)


def draft(w):
    """A draft of the leader's team for February, so the edit form opens."""

    def make(w):
        return Report.objects.create(
            team=team(w, "W1"),
            kind="periodic",
            period=period_get_or_create(kind="month", year=2026, number=2),
            deadline=datetime.date(2026, 3, 5),
            village=w["W1"],
            commune=w["K1"],
            province=w["Q"],
            created_by=User.objects.get_or_create(username="maker")[0],
        )

    return _once(w, "draft", make)


def photo(w):
    def make(w):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, format="PNG")
        item = ReportPhoto(report=report(w))
        item.image.save("p.png", ContentFile(buffer.getvalue()), save=True)
        return item

    return _once(w, "photo", make)


def ad_hoc(w):
    return _once(
        w,
        "ad_hoc",
        lambda w: ReportRequest.objects.create(
            unit=w["K1"],
            title="Báo cáo nhanh",
            covers_start=datetime.date(2026, 1, 1),
            covers_end=datetime.date(2026, 1, 31),
            deadline=datetime.date(2026, 12, 31),
            requested_by=User.objects.get_or_create(username="maker")[0],
        ),
    )


def summaries(w):
    """Quarter III/2026 summaries of Thanh Thịnh (K1) and Mộ Đức (D1), so their exports have something to show."""

    def make(w):
        quarter = period_get_or_create(kind="quarter", year=2026, number=3)
        for key in ("K1", "D1"):
            UnitSummary.objects.create(unit=w[key], period=quarter, computed_at=timezone.now())
        return quarter

    return _once(w, "summaries", make)


def notification(w):
    """Belongs to the leader persona (when the personas exist): nobody else may open it."""
    owner = User.objects.filter(username="leader").first() or User.objects.get_or_create(username="maker")[0]
    return _once(
        w, "notification", lambda w: Notification.objects.create(user=owner, kind="due_soon", key="k", message="Nhắc")
    )


CASES = [
    Case("reports:list", allowed=ALL),
    Case(
        "reports:new",
        kwargs=lambda w: {"team_pk": team(w, "W1").pk, "period_pk": (schedule(w), january(w))[1].pk},
        allowed=FILLERS,
    ),
    Case(
        "reports:new",
        kwargs=lambda w: {"team_pk": team(w, "W1").pk, "period_pk": (schedule(w), january(w))[1].pk},
        data=lambda w: {"version": "0", "action": "save"},
        allowed=FILLERS,
        allowed_status=302,
        label="reports:new POST (save a draft)",
    ),
    Case(
        "reports:new",
        kwargs=lambda w: {"team_pk": team(w, "W2").pk, "period_pk": (schedule(w), january(w))[1].pk},
        data=lambda w: {"version": "0", "action": "save"},
        allowed=frozenset({"commune"}),
        allowed_status=302,
        label="reports:new POST sibling village team",
    ),
    Case(
        "reports:new_ad_hoc",
        kwargs=lambda w: {"team_pk": team(w, "W1").pk, "request_pk": ad_hoc(w).pk},
        allowed=FILLERS,
    ),
    Case("reports:detail", kwargs=lambda w: {"pk": report(w).pk}, allowed=IN_SCOPE),
    Case("reports:edit", kwargs=lambda w: {"pk": draft(w).pk}, allowed=FILLERS),
    Case(
        "reports:edit",
        kwargs=lambda w: {"pk": draft(w).pk},
        data=lambda w: {"version": "1", "action": "save"},
        allowed=FILLERS,
        allowed_status=302,
        label="reports:edit POST",
    ),
    # Review and photo uploads take POSTs; a GET in scope is sent back to the report.
    Case("reports:review", kwargs=lambda w: {"pk": report(w).pk}, allowed=IN_SCOPE, allowed_status=302),
    Case("reports:photo_add", kwargs=lambda w: {"pk": draft(w).pk}, allowed=FILLERS, allowed_status=302),
    Case("reports:photo", kwargs=lambda w: {"pk": report(w).pk, "photo_pk": photo(w).pk}, allowed=IN_SCOPE),
    Case(
        "reports:photo_delete",
        kwargs=lambda w: {"pk": report(w).pk, "photo_pk": photo(w).pk},
        allowed=FILLERS,
        allowed_status=302,
    ),
    Case("reports:progress", allowed=ALL),
    Case("reports:dashboard", allowed=ALL),
    Case(
        "reports:dashboard_unit",
        kwargs=lambda w: {"unit_pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune dashboard",
    ),
    Case(
        "reports:dashboard_unit",
        kwargs=lambda w: {"unit_pk": w["D1"].pk},
        allowed=frozenset({"admin", "district"}),
        label="district dashboard",
    ),
    Case(
        "reports:dashboard_teams",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["K1"])[1].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune team ranking",
    ),
    Case(
        "reports:dashboard_teams",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["D1"])[1].pk},
        allowed=frozenset({"admin", "district"}),
        label="district team ranking",
    ),
    Case(
        "reports:dashboard_excel",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["K1"])[1].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune report in Excel",
    ),
    Case(
        "reports:dashboard_excel",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["D1"])[1].pk},
        allowed=frozenset({"admin", "district"}),
        label="district report in Excel",
    ),
    Case(
        "reports:dashboard_data",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["K1"])[1].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune data in Excel",
    ),
    Case(
        "reports:dashboard_data",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["D1"])[1].pk},
        allowed=frozenset({"admin", "district"}),
        label="district data in Excel",
    ),
    Case("reports:methodology", allowed=ALL),
    # "Recompute now" takes a POST (reports/tests/test_expectations.py posts as every persona); a GET in scope goes
    # back to the dashboard.
    Case(
        "reports:dashboard_recompute",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["K1"])[1].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        allowed_status=302,
        label="commune recompute",
    ),
    Case(
        "reports:dashboard_recompute",
        kwargs=lambda w: {"unit_pk": (summaries(w), w["D1"])[1].pk},
        allowed=frozenset({"admin", "district"}),
        allowed_status=302,
        label="district recompute",
    ),
    Case("reports:schedules", allowed=ALL),
    Case(
        "reports:schedule_edit",
        kwargs=lambda w: {"province_pk": w["Q"].pk},
        allowed=frozenset({"admin", "province"}),
        label="own province schedule",
    ),
    Case(
        "reports:schedule_edit",
        kwargs=lambda w: {"province_pk": w["O"].pk},
        allowed=frozenset({"admin", "outsider"}),
        label="other province schedule",
    ),
    Case("reports:requests", allowed=ALL),
    Case("reports:request_create", allowed=frozenset({"province", "commune", "outsider"})),
    Case("reports:notifications", allowed=ALL),
    Case(
        "reports:notification_open", kwargs=lambda w: {"pk": notification(w).pk}, allowed=OWN_LEADER, allowed_status=302
    ),
    Case("reports:notifications_read", allowed=ALL, allowed_status=302),
]

QUALITY_STAFF = frozenset({"admin", "province", "district", "commune", "outsider"})


def quality_rule(w):
    def make(w):
        return QualityRule.objects.create(
            province=w["Q"],
            name="Quy tắc",
            left_indicator=CountIndicatorFactory(),
            operator="lte",
            right_field="households",
        )

    return _once(w, "quality_rule", make)


CASES += [
    Case("reports:quality", allowed=QUALITY_STAFF),
    Case(
        "reports:quality_unit",
        kwargs=lambda w: {"unit_pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune data quality",
    ),
    Case(
        "reports:quality_unit",
        kwargs=lambda w: {"unit_pk": w["D1"].pk},
        allowed=frozenset({"admin", "district"}),
        label="district data quality",
    ),
    Case(
        "reports:quality_excel",
        kwargs=lambda w: {"unit_pk": (report(w), w["K1"])[1].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="data quality in Excel",
    ),
    Case(
        "reports:quality_rules", kwargs=lambda w: {"province_pk": w["Q"].pk}, allowed=frozenset({"admin", "province"})
    ),
    Case(
        "reports:quality_rule_create",
        kwargs=lambda w: {"province_pk": w["Q"].pk},
        allowed=frozenset({"admin", "province"}),
    ),
    Case(
        "reports:quality_rule_edit",
        kwargs=lambda w: {"province_pk": w["Q"].pk, "pk": quality_rule(w).pk},
        allowed=frozenset({"admin", "province"}),
    ),
    Case(
        "reports:quality_rule_delete",
        kwargs=lambda w: {"province_pk": w["Q"].pk, "pk": quality_rule(w).pk},
        allowed=frozenset({"admin", "province"}),
        allowed_status=302,
    ),
]
