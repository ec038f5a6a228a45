"""Roll-ups: the summaries against an independent computation on generated data, idempotence, marks that
move mid-run, the tasks and the `rollup` command."""

import datetime
import os
import random
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from reports.choices import ReportKind, ReportStatus
from reports.models import IndicatorSummary, Report, ReportValue, StaleRollup, UnitSummary
from reports.progress import progress
from reports.rollups import parse_quarter, rollup_national, rollup_periods, rollup_province, rollup_recompute
from reports.tests.factories import ScheduleFactory
from targets.choices import Aggregation, PopulationField, TargetMode
from targets.models import AchievementThreshold, Period
from targets.services import periods_generate
from targets.tests.factories import CountIndicatorFactory, IndicatorFactory, TargetFactory
from teams.choices import TeamStatus
from teams.tests.factories import MembershipFactory, TeamFactory
from units.choices import Level
from units.models import PopulationFigure, Unit
from units.tests.factories import PopulationFigureFactory, VillageFactory

TODAY = datetime.date(2026, 10, 15)  # Q3 2026 closed, its September reports due on 5 October
Q3_MONTHS = (7, 8, 9)
RECEIVED = {ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED}
STATUSES = [
    None,
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.RETURNED,
    ReportStatus.APPROVED,
    ReportStatus.APPROVED,
]


def pct(numerator, denominator):
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month_end(month):
    return (datetime.date(2026, month % 12 + 1, 1) if month < 12 else datetime.date(2027, 1, 1)) - datetime.timedelta(
        days=1
    )


@dataclass
class Fact:
    team: object
    month: int
    status: str
    submitted: datetime.date | None
    values: dict


@pytest.fixture
def generated(world, personas):
    """Both provinces (P with districts, Q without) with teams that joined or dissolved mid-quarter, random
    reports in every state for July-September 2026 (and one approved in June, outside the quarter)."""
    rng = random.Random(2026)
    for province in ("P", "Q"):
        ScheduleFactory(province=world[province])
    periods_generate(year=2026)
    world["V2"] = VillageFactory(parent=world["C2"], name="Thôn 2")
    villages = [world[name] for name in ("V1", "V2", "W1", "W2", "W3")]
    households = {village.pk: rng.randint(100, 400) for village in villages}
    for village in villages:
        PopulationFigureFactory(unit=village, as_of=datetime.date(2025, 1, 1), households=households[village.pk])
    stock = IndicatorFactory(code="households_guided", order=1, aggregation=Aggregation.STOCK)
    flow = CountIndicatorFactory(code="visits", order=2)
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    TargetFactory(indicator=stock, period=quarter, unit=world["Q"], mode=TargetMode.PERCENT, value=Decimal("60"))
    TargetFactory(indicator=stock, period=quarter, unit=world["P"], mode=TargetMode.PERCENT, value=Decimal("40"))
    TargetFactory(indicator=flow, period=quarter, unit=world["Q"], mode=TargetMode.ABSOLUTE, value=Decimal("300"))
    TargetFactory(indicator=flow, period=quarter, unit=world["K1"], mode=TargetMode.ABSOLUTE, value=Decimal("150"))

    teams = []
    spans = [
        (datetime.date(2024, 1, 1), None),
        (datetime.date(2026, 8, 15), None),
        (datetime.date(2024, 1, 1), datetime.date(2026, 7, 20)),
    ]
    for village in villages:
        for number, (founded, dissolved) in enumerate(rng.sample(spans, rng.randint(1, 3))):
            team = TeamFactory(
                unit=village,
                name=f"Tổ {number} {village.name}",
                decision_date=founded,
                dissolved_on=dissolved,
                status=TeamStatus.DISSOLVED if dissolved else TeamStatus.ACTIVE,
            )
            teams.append(team)
            for _n in range(rng.randint(1, 3)):
                left = rng.choice([None, datetime.date(2026, 9, 10), datetime.date(2026, 10, 10)])
                MembershipFactory(team=team, start_date=max(founded, datetime.date(2025, 1, 1)), end_date=left)
    teams.append(TeamFactory(unit=world["K2"], decision_date=datetime.date(2024, 1, 1)))  # a commune-level team

    facts = []
    for team in teams:
        for month in (6, *Q3_MONTHS):
            start, end = datetime.date(2026, month, 1), month_end(month)
            if team.decision_date > end or (team.dissolved_on and team.dissolved_on < start):
                continue
            status = ReportStatus.APPROVED if month == 6 else rng.choice(STATUSES)
            if status is None:
                continue
            submitted = None if status == ReportStatus.DRAFT else end + datetime.timedelta(days=rng.randint(1, 9))
            values = {stock.pk: rng.randint(0, 120), flow.pk: rng.randint(0, 60)}
            facts.append(Fact(team, month, status, submitted, values))
            create_report(team, month, status, submitted, values, personas["admin"])
    return {"world": world, "teams": teams, "facts": facts, "stock": stock, "flow": flow, "households": households}


def create_report(team, month, status, submitted, values, user, unit=None):
    """A report as the services leave it, written directly so the generated states need no review clicks.
    `unit`: the unit the team served then (its current one by default)."""
    period = Period.objects.get(kind="month", year=2026, number=month)
    unit = unit or team.unit
    chain = {unit.level: unit for unit in [*unit.ancestors(), unit]}
    units = {level: chain.get(level) for level in (Level.VILLAGE, Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)}
    moment = timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(9))) if submitted else None
    report = Report.objects.create(
        team=team,
        kind=ReportKind.PERIODIC,
        period=period,
        deadline=datetime.date(2026, month % 12 + 1, 5),
        status=status,
        created_by=user,
        submitted_at=moment,
        **units,
    )
    for indicator_id, value in values.items():
        ReportValue.objects.create(
            report=report,
            indicator_id=indicator_id,
            value=value,
            kind=ReportKind.PERIODIC,
            period=period,
            period_end=period.end,
            team=team,
            approved=status == ReportStatus.APPROVED,
            **units,
        )


def expected_summary(data, unit, period):
    """The independent computation of one unit's summary, from the generated facts alone."""
    stock, flow = data["stock"], data["flow"]
    teams = [team for team in data["teams"] if team.unit.path.startswith(unit.path)]
    approved = [
        fact
        for fact in data["facts"]
        if fact.team in teams
        and fact.status == ReportStatus.APPROVED
        and period.start <= datetime.date(2026, fact.month, 1)
        and month_end(fact.month) <= period.end
    ]
    flow_actual = sum(fact.values[flow.pk] for fact in approved) if approved else None
    # Stocks: each area's (the team's unit's) latest value, the report written last within a month (facts are
    # in creation order); a unit takes its own area's figure, else the sum of its children's.
    latest = {}
    for fact in sorted(approved, key=lambda fact: fact.month):
        latest[fact.team.unit_id] = fact.values[stock.pk]

    def figure(area):
        if area.pk in latest:
            return latest[area.pk]
        below = [value for child in area.children.all() if (value := figure(child)) is not None]
        return sum(below) if below else None

    stock_actual = figure(unit)
    villages = [village for village in Unit.objects.filter(level=Level.VILLAGE) if village.path.startswith(unit.path)]
    denominator = sum(data["households"][village.pk] for village in villages)

    as_of = min(period.end, TODAY)
    expected = received = on_time = pending = 0
    for month in range(1, 13):
        start, end = datetime.date(2026, month, 1), month_end(month)
        if not (period.start <= start and end <= period.end and start <= TODAY):
            continue
        middle = datetime.date(2026, month, 16 if end.day == 31 else 15 if end.day in (30, 29) else 14)
        for team in teams:
            if not (team.decision_date <= middle and (team.dissolved_on is None or team.dissolved_on >= middle)):
                continue  # not active on the month's middle day: owes no report for it
            if datetime.date(2026, month % 12 + 1, 5) >= TODAY:  # its deadline has not passed: not yet due
                pending += 1
            else:
                expected += 1
                fact = next((f for f in data["facts"] if f.team == team and f.month == month), None)
                if fact and fact.status in RECEIVED:
                    received += 1
                    on_time += fact.submitted <= datetime.date(2026, month % 12 + 1, 5)
    active = [
        team
        for team in teams
        if team.decision_date <= as_of and (team.dissolved_on is None or team.dissolved_on >= as_of)
    ]
    members = {
        membership.person_id
        for team in active
        for membership in team.memberships.all()
        if membership.start_date <= as_of and (membership.end_date is None or membership.end_date >= as_of)
    }
    covered = {team.unit_id for team in active if team.unit.level == Level.VILLAGE}
    return {
        "flow_actual": flow_actual,
        "stock_actual": stock_actual,
        "denominator": denominator,
        "stock_rate": pct(stock_actual, denominator) if stock_actual is not None else None,
        "counts": (expected, received, on_time, pending, len(active), len(members), len(villages), len(covered)),
    }


@pytest.fixture
def richer(generated, personas):
    """The generated data plus what the engine must get right beyond sums: a percentage over another
    indicator (activations over e-IDs), a percentage over a population figure that only some units have (and
    a province figure dated mid-quarter), targets in both modes, a province with its own thresholds, a
    district-level team, a team that moved between districts mid-quarter (its July values carry its old
    units), and a person in teams of two communes (two teams in one of them)."""
    world, rng = generated["world"], random.Random(7)
    eids = CountIndicatorFactory(code="eids", order=3)
    activations = IndicatorFactory(
        code="activations", order=4, aggregation=Aggregation.FLOW, denominator_field="", denominator_indicator=eids
    )
    trained = IndicatorFactory(code="working_age_trained", order=5, denominator_field=PopulationField.WORKING_AGE)
    PopulationFigure.objects.filter(unit__in=[world["W2"], world["V2"]]).update(working_age_population=None)
    for unit, as_of, figure in (("W1", 2025, 800), ("K2", 2025, 2000), ("V1", 2025, 900), ("P", 2026, 50000)):
        PopulationFigureFactory(unit=world[unit], as_of=datetime.date(as_of, 8, 15), working_age_population=figure)
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    TargetFactory(indicator=activations, period=quarter, unit=world["P"], mode=TargetMode.PERCENT, value=Decimal("80"))
    TargetFactory(indicator=eids, period=quarter, unit=world["C1"], mode=TargetMode.ABSOLUTE, value=Decimal("100"))
    TargetFactory(indicator=eids, period=quarter, unit=world["Q"], mode=TargetMode.ABSOLUTE, value=Decimal("50"))
    TargetFactory(indicator=trained, period=quarter, unit=world["Q"], mode=TargetMode.PERCENT, value=Decimal("5"))
    AchievementThreshold.objects.create(province=world["Q"], amber_from=Decimal(50), green_from=Decimal(80))

    new_indicators = (eids, activations, trained)
    for report in Report.objects.all():
        for indicator in new_indicators:
            ReportValue.objects.create(
                report=report,
                indicator=indicator,
                value=rng.choice([None, *range(0, 50)]),
                kind=report.kind,
                period=report.period,
                period_end=report.period.end,
                team=report.team,
                approved=report.status == ReportStatus.APPROVED,
                village=report.village,
                commune=report.commune,
                district=report.district,
                province=report.province,
            )
    district_team = TeamFactory(unit=world["D1"], name="Tổ huyện", decision_date=datetime.date(2024, 1, 1))
    moved = TeamFactory(unit=world["V2"], name="Tổ chuyển", decision_date=datetime.date(2024, 1, 1))
    everything = [generated["stock"], generated["flow"], *new_indicators]
    for team, month, unit in (
        (district_team, 7, None),
        (district_team, 9, None),
        (moved, 7, world["V1"]),
        (moved, 8, None),
        (moved, 9, None),
    ):
        values = {indicator.pk: rng.randint(1, 90) for indicator in everything}
        submitted = month_end(month) + datetime.timedelta(days=3)
        create_report(team, month, ReportStatus.APPROVED, submitted, values, personas["admin"], unit=unit)
        generated["facts"].append(Fact(team, month, ReportStatus.APPROVED, submitted, values))
    generated["teams"] += [district_team, moved]
    twice = MembershipFactory(
        team=next(team for team in generated["teams"] if team.unit == world["W1"]), start_date=datetime.date(2025, 1, 1)
    )
    MembershipFactory(
        team=next(team for team in generated["teams"] if team.unit == world["K2"]),
        person=twice.person,
        start_date=datetime.date(2025, 1, 1),
    )
    # ... and in a second team of the first one's commune: counted once there too
    MembershipFactory(
        team=next(team for team in generated["teams"] if team.unit == world["W2"]),
        person=twice.person,
        start_date=datetime.date(2025, 1, 1),
    )
    return generated


def summary_units():
    return list(Unit.objects.exclude(level=Level.VILLAGE).order_by("path"))


def engine_rows(unit, period):
    return [
        (
            row.indicator_id,
            row.actual,
            row.denominator,
            row.rate,
            row.target,
            row.target_mode,
            row.achievement,
            row.rating,
        )
        for row in IndicatorSummary.objects.filter(unit=unit, period=period).order_by("indicator__order")
    ]


def progress_rows(unit, period):
    return [
        (
            row.indicator.pk,
            row.actual,
            row.denominator,
            row.rate,
            row.target.value if row.target else None,
            row.target.mode if row.target else "",
            row.achievement,
            row.rating or "",
        )
        for row in progress(period=period, unit=unit)
    ]


def test_the_engine_equals_progress_for_every_unit_period_and_indicator(richer):
    """The national run against reports.progress (one unit at a time) and the counts against the independent
    computation, with a moved team, a district team, partial population figures and per-province thresholds."""
    world = richer["world"]
    rollup_national(year=2026, quarter=3, today=TODAY)
    rollup_national(year=2026, today=TODAY)
    periods = [*rollup_periods(2026, 3), *rollup_periods(2026)]
    assert len(periods) == 5
    compared = 0
    for unit in summary_units():
        for period in periods:
            want = progress_rows(unit, period)
            assert engine_rows(unit, period) == want, (unit, period)
            compared += len(want)
            if unit.path.startswith((world["P"].path, world["Q"].path)):
                counts = UnitSummary.objects.get(unit=unit, period=period)
                assert (
                    counts.reports_expected,
                    counts.reports_received,
                    counts.reports_on_time,
                    counts.reports_pending,
                    counts.active_teams,
                    counts.members,
                    counts.villages,
                    counts.villages_covered,
                ) == expected_summary(richer, unit, period)["counts"], (unit, period)
    assert compared == len(summary_units()) * 5 * 5
    # The data reach every branch the comparison is meant to cover.
    rows = IndicatorSummary.objects.filter(period__kind="quarter")
    assert rows.filter(indicator__code="activations", denominator__isnull=False, achievement__isnull=False).exists()
    assert rows.filter(indicator__code="working_age_trained", denominator__isnull=True, unit=world["Q"]).exists()
    assert rows.filter(indicator__code="working_age_trained", unit=world["P"], denominator=50000).exists()
    july = IndicatorSummary.objects.get(
        indicator__code="working_age_trained", unit=world["P"], period__kind="month", period__number=7
    )
    assert july.denominator is None  # the province's own figure is dated 15/08, and D2's village has none
    assert rows.filter(unit=world["Q"], rating__in=["red", "amber", "green"]).exists()
    moved_july = ReportValue.objects.filter(team__name="Tổ chuyển", period__number=7).first()
    assert moved_july.commune_id == world["C1"].pk and moved_july.district_id == world["D1"].pk


def full_snapshot(units):
    return {
        (row.unit_id, row.period_id, row.indicator_id): (
            row.actual,
            row.denominator,
            row.rate,
            row.target,
            row.achievement,
            row.rating,
        )
        for row in IndicatorSummary.objects.filter(unit__in=units)
    } | {
        (row.unit_id, row.period_id): (
            row.reports_expected,
            row.reports_received,
            row.reports_on_time,
            row.active_teams,
            row.members,
            row.villages,
            row.villages_covered,
        )
        for row in UnitSummary.objects.filter(unit__in=units)
    }


def test_one_commune_recompute_equals_the_province_run(richer):
    world = richer["world"]
    for province in ("P", "Q"):
        rollup_province(province=world[province], year=2026, quarter=3, today=TODAY)
    province_run = full_snapshot(summary_units())
    for commune in ("C1", "C2", "K1", "K2"):
        IndicatorSummary.objects.all().delete()
        UnitSummary.objects.all().delete()
        rollup_recompute(unit=world[commune], year=2026, quarter=3, today=TODAY)
        chain = [unit for unit in summary_units() if world[commune].path.startswith(unit.path)]
        assert len(chain) == (3 if commune.startswith("C") else 2)
        recomputed = full_snapshot(summary_units())
        assert recomputed == {
            key: value for key, value in province_run.items() if key[0] in {unit.pk for unit in chain}
        }
        assert len(recomputed) == len(chain) * 4 * 6  # the quarter and its months


def test_a_commune_alone_reads_only_its_own_facts_and_equals_the_province_run(richer, django_assert_max_num_queries):
    """A scope of communes only reads the facts under them (Scope.roots) and writes the same rows."""
    from django.db import transaction

    from reports import rollups

    world = richer["world"]
    rollup_province(province=world["P"], year=2026, quarter=3, today=TODAY)
    province_run = full_snapshot([world["C1"], world["C2"]])
    IndicatorSummary.objects.all().delete()
    UnitSummary.objects.all().delete()
    scope = rollups.Scope([world["C1"], world["C2"]], rollup_periods(2026, 3), TODAY)
    assert scope.roots == [world["C1"], world["C2"]] and not scope.everywhere
    with transaction.atomic(), django_assert_max_num_queries(30):
        rollups._write([world["C1"], world["C2"]], rollup_periods(2026, 3), TODAY)
    assert full_snapshot([world["C1"], world["C2"]]) == province_run


def rating(achievement, amber=Decimal(70), green=Decimal(90)):
    return "green" if achievement >= green else "amber" if achievement >= amber else "red"


def summaries_of(unit, period):
    return {row.indicator_id: row for row in IndicatorSummary.objects.filter(unit=unit, period=period)}


def test_summaries_match_an_independent_computation(generated):
    world, stock, flow = generated["world"], generated["stock"], generated["flow"]
    for province in ("P", "Q"):
        rollup_province(province=world[province], year=2026, quarter=3, today=TODAY)
        rollup_province(province=world[province], year=2026, today=TODAY)

    summary_units = list(Unit.objects.exclude(level=Level.VILLAGE).exclude(pk=world["O"].pk).exclude(parent=world["O"]))
    periods = [
        Period.objects.get(kind="year", year=2026),
        Period.objects.get(kind="quarter", year=2026, number=3),
        *Period.objects.filter(kind="month", year=2026, number__in=Q3_MONTHS),
    ]
    assert UnitSummary.objects.count() == len(summary_units) * len(periods)
    assert IndicatorSummary.objects.count() == 2 * len(summary_units) * len(periods)
    for unit in summary_units:
        for period in periods:
            want = expected_summary(generated, unit, period)
            rows = summaries_of(unit, period)
            assert (rows[flow.pk].actual, rows[stock.pk].actual) == (want["flow_actual"], want["stock_actual"]), (
                unit,
                period,
            )
            assert rows[stock.pk].denominator == want["denominator"]
            assert rows[stock.pk].rate == want["stock_rate"]
            counts = UnitSummary.objects.get(unit=unit, period=period)
            assert (
                counts.reports_expected,
                counts.reports_received,
                counts.reports_on_time,
                counts.reports_pending,
                counts.active_teams,
                counts.members,
                counts.villages,
                counts.villages_covered,
            ) == want["counts"], (unit, period)

    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    for unit_key, stock_target, flow_target in (
        ("Q", 60, 300),
        ("K1", 60, 150),
        ("K2", 60, None),
        ("P", 40, None),
        ("D1", 40, None),
    ):
        unit = world[unit_key]
        want, rows = expected_summary(generated, unit, quarter), summaries_of(unit, quarter)
        if want["stock_rate"] is not None:
            achievement = pct(want["stock_rate"], stock_target)
            assert (rows[stock.pk].target, rows[stock.pk].achievement) == (stock_target, achievement), unit
            assert rows[stock.pk].rating == rating(achievement)
        if flow_target and want["flow_actual"] is not None:
            achievement = pct(want["flow_actual"], flow_target)
            assert (rows[flow.pk].target, rows[flow.pk].achievement, rows[flow.pk].rating) == (
                flow_target,
                achievement,
                rating(achievement),
            )
        if flow_target is None:  # an absolute target above that nobody split down: no target, no status
            assert (rows[flow.pk].target, rows[flow.pk].achievement, rows[flow.pk].rating) == (None, None, "")


def test_a_district_less_province_rolls_communes_straight_up(generated):
    world = generated["world"]
    rollup_recompute(unit=world["K1"], year=2026, quarter=3, today=TODAY)
    assert set(UnitSummary.objects.values_list("unit_id", flat=True)) == {world["K1"].pk, world["Q"].pk}
    rollup_recompute(unit=world["C1"], year=2026, quarter=3, today=TODAY)
    assert {world["C1"].pk, world["D1"].pk, world["P"].pk} <= set(UnitSummary.objects.values_list("unit_id", flat=True))


def snapshot():
    return sorted(
        IndicatorSummary.objects.values_list(
            "unit_id", "period_id", "indicator_id", "actual", "denominator", "target", "achievement", "rating"
        )
    ), sorted(
        UnitSummary.objects.values_list(
            "unit_id", "period_id", "reports_expected", "reports_received", "members", "villages_covered"
        )
    )


def test_running_twice_writes_the_same_rows(generated):
    world = generated["world"]
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    first, first_ids = snapshot(), set(IndicatorSummary.objects.values_list("pk", flat=True))
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    rollup_recompute(unit=world["K1"], year=2026, quarter=3, today=TODAY)
    assert snapshot() == first
    assert set(IndicatorSummary.objects.values_list("pk", flat=True)) == first_ids  # updated in place


def test_an_approval_changes_the_summary_on_the_next_run(generated, personas):
    world, flow = generated["world"], generated["flow"]
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    rollup_recompute(unit=world["K2"], year=2026, quarter=3, today=TODAY)
    before = summaries_of(world["Q"], quarter)[flow.pk].actual or 0
    team = next(team for team in generated["teams"] if team.unit == world["K2"])
    Report.objects.filter(team=team, period__number=9, period__kind="month").delete()
    create_report(
        team,
        9,
        ReportStatus.APPROVED,
        datetime.date(2026, 10, 2),
        {flow.pk: 17, generated["stock"].pk: 1},
        personas["admin"],
    )
    rollup_recompute(unit=world["K2"], year=2026, quarter=3, today=TODAY)
    after = summaries_of(world["Q"], quarter)[flow.pk].actual
    removed = sum(
        f.values[flow.pk]
        for f in generated["facts"]
        if f.team == team and f.month == 9 and f.status == ReportStatus.APPROVED
    )
    assert after == before - removed + 17


def test_a_mark_moved_mid_run_survives(generated, monkeypatch):
    from reports import rollups

    world = generated["world"]
    mark = StaleRollup.objects.create(unit=world["K1"], year=2026, quarter=3, marked_at=timezone.now())
    real_write = rollups._write

    def approval_arrives(*args, **kwargs):
        StaleRollup.objects.filter(pk=mark.pk).update(marked_at=timezone.now() + datetime.timedelta(seconds=1))
        return real_write(*args, **kwargs)

    monkeypatch.setattr(rollups, "_write", approval_arrives)
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    assert StaleRollup.objects.filter(pk=mark.pk).exists()
    monkeypatch.setattr(rollups, "_write", real_write)
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    assert not StaleRollup.objects.filter(pk=mark.pk).exists()


def test_a_failed_run_leaves_the_previous_summaries(generated, monkeypatch):
    from reports import rollups

    world = generated["world"]
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    before = snapshot()
    UnitSummary.objects.filter(unit=world["Q"]).delete()  # the next run would write these rows again

    def fail(*args, **kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(rollups, "scope_counts", fail)
    with pytest.raises(RuntimeError):
        rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    assert not UnitSummary.objects.filter(unit=world["Q"]).exists()
    monkeypatch.undo()
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    assert snapshot() == before


def test_the_beat_task_drains_every_mark(generated):
    from reports.tasks import drain_stale_rollups

    world = generated["world"]
    for commune in ("K1", "K2", "C2"):
        StaleRollup.objects.create(unit=world[commune], year=2026, quarter=3, marked_at=timezone.now())
    assert drain_stale_rollups.delay().get() == 2  # one run per province: Q (K1, K2) and P (C2)
    assert not StaleRollup.objects.exists()
    assert (
        UnitSummary.objects.filter(unit__in=[world["K1"], world["Q"], world["C2"], world["D2"], world["P"]]).count()
        == 5 * 4
    )
    assert not UnitSummary.objects.filter(unit=world["O"]).exists()


def test_the_nightly_task_recomputes_open_quarters_of_every_province(generated, monkeypatch):
    from reports import tasks

    calls = []
    monkeypatch.setattr(tasks, "rollup_province", lambda **kwargs: calls.append(kwargs) or 0)
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2026, 10, 1))
    assert tasks.recompute_open_quarters.delay().get() == 3 * 3
    assert sorted((call["province"].code, call["year"], call["quarter"] or 0) for call in calls) == sorted(
        (code, 2026, quarter)
        for code in ("51", "19", "01")
        for quarter in (0, 3, 4)  # 0: the year
    )
    calls.clear()
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2027, 1, 5))
    tasks.recompute_open_quarters.delay()
    assert {(call["year"], call["quarter"]) for call in calls} == {(2026, 4), (2027, 1), (2026, None), (2027, None)}


def test_rollup_command(generated, capsys):
    world = generated["world"]
    StaleRollup.objects.create(unit=world["K1"], year=2026, quarter=3, marked_at=timezone.now())
    call_command("rollup", quarter="2026Q3", province="19")
    assert set(UnitSummary.objects.values_list("unit_id", flat=True)) == {world["Q"].pk, world["K1"].pk, world["K2"].pk}
    assert not StaleRollup.objects.exists()
    assert "Thái Nguyên" in capsys.readouterr().out
    call_command("rollup", quarter="2026q3")
    assert UnitSummary.objects.filter(unit=world["P"]).exists()
    assert not UnitSummary.objects.filter(period__kind="year").exists()
    call_command("rollup", year=2026, province="19")
    assert set(UnitSummary.objects.filter(period__kind="year").values_list("unit_id", flat=True)) == {
        world["Q"].pk,
        world["K1"].pk,
        world["K2"].pk,
    }


@pytest.mark.parametrize("text", ["2026", "2026Q5", "Q3", "2026-Q3"])
def test_rollup_command_refuses_a_bad_quarter(text):
    with pytest.raises(ValueError):
        parse_quarter(text)


@pytest.mark.django_db
def test_rollup_command_errors_are_vietnamese():
    with translation.override("vi"):
        with pytest.raises(CommandError, match="^“2026-Q3” không phải là một quý: hãy ghi theo dạng 2026Q3.$"):
            call_command("rollup", quarter="2026-Q3")
        # Superscript digits pass str.isdigit() and then failed int() with Python's English message.
        with pytest.raises(CommandError, match="^“²⁰²⁶Q3” không phải là một quý: hãy ghi theo dạng 2026Q3.$"):
            call_command("rollup", quarter="²⁰²⁶Q3")
        with pytest.raises(CommandError, match="^Không có tỉnh/thành phố nào mã 99.$"):
            call_command("rollup", quarter="2026Q3", province="99")


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL): CI sets it")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_drains_marks_through_redis(generated):
    """The beat task and the recompute tasks it queues, run by a Celery worker over the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from reports.tasks import drain_stale_rollups
    from totech.celery import app

    world = generated["world"]
    StaleRollup.objects.create(unit=world["K1"], year=2026, quarter=3, marked_at=timezone.now())
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        assert drain_stale_rollups.apply_async(ignore_result=False).get(timeout=30) == 1
        deadline = time.monotonic() + 30
        while StaleRollup.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert not StaleRollup.objects.exists()
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    assert UnitSummary.objects.filter(period=quarter, unit__in=[world["K1"], world["Q"]]).count() == 2
    want = expected_summary(generated, world["K1"], quarter)
    assert summaries_of(world["K1"], quarter)[generated["flow"].pk].actual == want["flow_actual"]
