from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.rollups import parse_quarter, rollup_national, rollup_province
from units.choices import Level
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Recompute the summaries of a quarter and its months (--quarter 2026Q3) or of a year (--year 2026) now: every "
        "province in one run, or those with --province CODE. Safe to re-run."
    )

    def add_arguments(self, parser):
        span = parser.add_mutually_exclusive_group(required=True)
        span.add_argument("--quarter", help="For example 2026Q3.")
        span.add_argument("--year", type=int, help="For example 2026.")
        parser.add_argument("--province", help="A province code (both editions of the map when both have it).")

    def handle(self, *args, quarter=None, year=None, province=None, **options):
        number = None
        if quarter:
            try:
                year, number = parse_quarter(quarter)
            except ValueError as error:
                raise CommandError(str(error)) from error
        if not province:
            written = rollup_national(year=year, quarter=number)
            self.stdout.write(f"Every province: {written} summary row(s) written.")
            return
        provinces = Unit.objects.filter(level=Level.PROVINCE, code=province).order_by("edition")
        if not provinces.exists():
            raise CommandError(_("No province with code %(code)s.") % {"code": province})
        for unit in provinces:
            written = rollup_province(province=unit, year=year, quarter=number)
            self.stdout.write(f"{unit}: {written} summary row(s) written.")
