"""Celery tasks: thin wrappers that take ids and call the services (schedules: CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation

from units.choices import Level
from units.models import Unit

from .rankings import warm_team_scores
from .rollups import open_quarters, rollup_province, stale_province_quarters
from .services import notifications_email, reminders_send


@shared_task
def send_report_reminders() -> int:
    """Daily: one reminder task per province (about a hundred on both editions of the map)."""
    province_ids = list(Unit.objects.filter(level=Level.PROVINCE).values_list("pk", flat=True))
    for province_id in province_ids:
        remind_province.delay(province_id)
    return len(province_ids)


@shared_task(acks_late=True)
def remind_province(province_id: int) -> int:
    """Remind one province's team leaders; notifications are keyed, so a rerun sends nothing twice."""
    return reminders_send(province=Unit.objects.get(pk=province_id))


EMAIL_RETRY_SECONDS = 60  # then twice as long each time


@shared_task(bind=True, acks_late=True, max_retries=3)
def email_notifications(self, notification_ids: list[int], language: str = settings.LANGUAGE_CODE):
    """E-mail notifications once the change they tell of has committed (services.notify), in the language it was
    made in. A notification already e-mailed is not sent again; those a mail server refused are tried again 1, 2
    and 4 minutes later, then left not e-mailed (each refusal is logged)."""
    with translation.override(language):
        refused = notifications_email(ids=notification_ids)
    if refused and self.request.retries < self.max_retries:
        # Queued without raising (throw=False), and returned so that an in-process run (tests, `make run` without
        # Redis) tries again too: a refusal never reaches the request whose change was committed.
        return self.retry(
            args=[refused, language], countdown=EMAIL_RETRY_SECONDS * 2**self.request.retries, throw=False
        )
    return None


# --- roll-ups (reports.rollups): every task recomputes from source and upserts, so a redelivery is harmless --


@shared_task
def drain_stale_rollups() -> int:
    """Every few minutes: one recompute task per province and quarter with stale marks."""
    groups = stale_province_quarters()
    for province_id, year, quarter in groups:
        recompute_province_period.delay(province_id, year, quarter)
    return len(groups)


@shared_task
def recompute_open_quarters() -> int:
    """Nightly: every province's open quarters and their years, one task each (the years are recomputed only
    here; the quarters also catch what a lost mark would miss)."""
    province_ids = list(Unit.objects.filter(level=Level.PROVINCE).values_list("pk", flat=True))
    quarters = open_quarters(timezone.localdate())
    spans = [*quarters, *((year, None) for year in sorted({year for year, _quarter in quarters}))]
    for province_id in province_ids:
        for year, quarter in spans:
            recompute_province_period.delay(province_id, year, quarter)
    return len(province_ids) * len(spans)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def recompute_province_period(province_id: int, year: int, quarter: int | None = None) -> int:
    """A province's quarter, or its year when `quarter` is None; then a quarter's team scores are computed
    ahead of the dashboards' first visitor (they are cached until the next roll-up)."""
    province = Unit.objects.get(pk=province_id)
    written = rollup_province(province=province, year=year, quarter=quarter)
    if quarter is not None:
        warm_team_scores(province, year, quarter, timezone.localdate())
    return written
