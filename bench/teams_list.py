"""Team list queries at scale: N village teams x 7 members in one made-up province.

Run on an empty PostgreSQL database of its own (it fills it once, then only times the queries):
    createdb totech_bench_teams
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/totech_bench_teams SECRET_KEY=x .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/totech_bench_teams SECRET_KEY=x .venv/bin/python bench/teams_list.py 20000
"""

import datetime
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "totech.settings")
django.setup()
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from teams import selectors  # noqa: E402
from teams.models import Membership, Person, Team  # noqa: E402
from teams.services import composition_preset_apply  # noqa: E402
from units.models import Unit  # noqa: E402

N = int(sys.argv[1])
if not Team.objects.exists():
    prov = Unit.objects.create(edition="2025", level="province", division_type="tinh", code="99", name="Tỉnh Bench")
    communes = Unit.objects.bulk_create(
        [
            Unit(
                edition="2025",
                level="commune",
                division_type="xa",
                code=f"9{i:04d}",
                name=f"Xã {i}",
                search_name=f"xa {i}",
                parent=prov,
                path="",
            )
            for i in range(N // 10)
        ]
    )
    for c in communes:
        c.path = f"{prov.path}{c.pk}/"
    Unit.objects.bulk_update(communes, ["path"])
    villages = Unit.objects.bulk_create(
        [
            Unit(
                edition="2025",
                level="village",
                division_type="thon",
                name=f"Thôn {j}",
                search_name=f"thon {j}",
                parent=c,
                path="",
            )
            for c in communes
            for j in range(10)
        ]
    )
    for v in villages:
        v.path = f"{v.parent.path}{v.pk}/"
    Unit.objects.bulk_update(villages, ["path"], batch_size=5000)
    teams = Team.objects.bulk_create(
        [Team(unit=v, level="village", name=f"Tổ {v.pk}") for v in villages], batch_size=5000
    )
    people = Person.objects.bulk_create(
        [
            Person(full_name=f"P{t.pk}-{k}", commune_id=t.unit.parent_id, birth_year=1970 + k * 5)
            for t in teams
            for k in range(7)
        ],
        batch_size=5000,
    )
    roles = ["leader", "deputy", "member", "member", "member", "member", "collaborator"]
    Membership.objects.bulk_create(
        [
            Membership(
                team=t,
                person=people[i * 7 + k],
                role=roles[k],
                affiliation="youth_union" if k == 1 else "citizen",
                start_date=datetime.date(2024, 1, 1),
                end_date=datetime.date(2025, 1, 1) if (t.pk % 5 == 0 and k == 5) else None,
            )
            for i, t in enumerate(teams)
            for k in range(7)
        ],
        batch_size=5000,
    )
    composition_preset_apply(province=prov, preset="thanh_thinh_2025")
    composition_preset_apply(province=prov, preset="mo_duc_2024")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
prov = Unit.objects.get(code="99", level="province")
user = User(role="province_staff", scope_unit=prov, is_active=True)
today = datetime.date.today()


def timed(label, fn, runs=3):
    best = min((lambda t0: (fn(), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(runs))
    print(f"{label:<45} {best * 1000:8.0f} ms")


qs = selectors.with_composition(selectors.teams_visible_to(user), today, selectors.all_rule_ages()).order_by(
    "unit__path", "name"
)
print("teams", Team.objects.count(), "memberships", Membership.objects.count())
timed("list: count of filtered teams", lambda: qs.count())
timed("list: one page of 25 + violations", lambda: selectors.attach_violations(list(qs[:25]), today))
timed("list: cumulative counts", lambda: selectors.team_counts(selectors.teams_visible_to(user), today))
timed("filter 'breaks a rule': count", lambda: qs.filter(selectors.breaking_rules_q(today)).count())
timed("filter 'breaks a rule': page of 25", lambda: list(qs.filter(selectors.breaking_rules_q(today))[:25]))
timed("filter size 5-6: count", lambda: qs.filter(member_count__gte=5, member_count__lte=6).count())
t = Team.objects.first()
timed("team page: violations of one team", lambda: selectors.composition_violations(t, today))
