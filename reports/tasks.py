"""Celery tasks: thin wrappers that take ids and call the services (schedules: CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from units.choices import Level
from units.models import Unit

from .services import reminders_send


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
