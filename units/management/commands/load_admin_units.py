from django.core.management.base import BaseCommand, CommandError

from units.choices import Edition
from units.services import AdminUnitLoadError, admin_units_load


class Command(BaseCommand):
    help = "Load or refresh an official edition of the administrative map (provinces, districts, communes)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="2025 (reformed map) or 2024 (pre-reform map)")
        parser.add_argument("--province", nargs="+", default=None, metavar="CODE", help="Only these province codes")

    def handle(self, *args, edition, province, **options):
        try:
            result = admin_units_load(edition=edition, province_codes=province)
        except AdminUnitLoadError as error:
            raise CommandError(str(error)) from error
        label = Edition(edition).label
        for title, counts in (
            ("created", result.created),
            ("updated", result.updated),
            ("unchanged", result.unchanged),
        ):
            detail = ", ".join(f"{count} {level}" for level, count in sorted(counts.items())) or "0"
            self.stdout.write(f"{label}: {title} {detail}")
