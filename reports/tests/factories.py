import datetime

import factory

from reports.choices import Frequency
from reports.models import ReportingSchedule


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingSchedule
        django_get_or_create = ["province"]

    frequency = Frequency.MONTHLY
    deadline_day = 5
    remind_days_before = 3
    starts_on = datetime.date(2026, 1, 1)
