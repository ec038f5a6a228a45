from django.core.management.base import CommandError

from teams.choices import ImportKind
from teams.management.excel_command import ExcelCommand
from teams.spreadsheets.jobs import import_job_record
from teams.spreadsheets.members import import_members
from totech.spreadsheets import SpreadsheetError


class Command(ExcelCommand):
    help = (
        "Import a commune's team member list from Excel (all or nothing). Prints 'N created, M updated, K unchanged'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        self.add_commune_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="check the file and show what would change")

    def handle(self, *args, **options):
        commune, user = self.commune(options), self.user(options)
        with self.open_checked(options["file"]) as file:
            try:
                result = import_members(
                    file, commune=commune, user=user, file_name=file.name, dry_run=options["dry_run"]
                )
            except SpreadsheetError as problem:
                raise CommandError(str(problem)) from problem
        if not options["dry_run"]:
            import_job_record(
                kind=ImportKind.MEMBERS, commune=commune, user=user, file_name=options["file"], result=result
            )
        self.report(result, options["dry_run"])
