from django.core.management.base import BaseCommand, CommandError

from reports.rollups import parse_quarter, rollup_province
from units.choices import Level
from units.models import Unit


class Command(BaseCommand):
    help = "Recompute the quarterly summaries now (every province, or those with --province CODE). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="For example 2026Q3.")
        parser.add_argument("--province", help="A province code (both editions of the map when both have it).")

    def handle(self, *args, quarter, province=None, **options):
        try:
            year, number = parse_quarter(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from error
        provinces = Unit.objects.filter(level=Level.PROVINCE).order_by("edition", "code")
        if province:
            provinces = provinces.filter(code=province)
            if not provinces.exists():
                raise CommandError(f"No province with code {province}.")
        for unit in provinces:
            written = rollup_province(province=unit, year=year, quarter=number)
            self.stdout.write(f"{unit}: {written} summary row(s) written.")
