import argparse
import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.choices import ImportKind
from teams.management.excel_command import ExcelCommand
from teams.spreadsheets.jobs import import_job_record
from totech.spreadsheets import SpreadsheetError
from units.imports import import_villages


def day(text):
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(value)s” is not a date: write dd/mm/yyyy.") % {"value": text}) from None


class Command(ExcelCommand):
    help = "Import a commune's villages and their population figures from Excel (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        self.add_commune_arguments(parser)
        parser.add_argument("--as-of", type=day, help="date of the figures, dd/mm/yyyy (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and show what would change")

    def handle(self, *args, **options):
        commune, user = self.commune(options), self.user(options)
        as_of = options["as_of"] or timezone.localdate()
        with self.open_checked(options["file"]) as file:
            try:
                result = import_villages(file, commune=commune, as_of=as_of, dry_run=options["dry_run"])
            except SpreadsheetError as problem:
                raise CommandError(str(problem)) from problem
        if not options["dry_run"]:
            import_job_record(
                kind=ImportKind.VILLAGES,
                commune=commune,
                user=user,
                file_name=options["file"],
                result=result,
                as_of=as_of,
            )
        self.report(result, options["dry_run"])
