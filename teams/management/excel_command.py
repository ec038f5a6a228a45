"""What the Excel management commands share: finding the commune and the user, reporting a result."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from totech.spreadsheets import SpreadsheetError, check_upload
from units.choices import Edition, Level
from units.models import Unit


class ExcelCommand(BaseCommand):
    def add_commune_arguments(self, parser):
        parser.add_argument("--commune", required=True, help="GSO code of the commune, e.g. 02107")
        parser.add_argument("--edition", choices=Edition.values, help="map edition when the code exists on both (default: 2025)")
        parser.add_argument("--user", help="username recorded as the author of the import or export")

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def commune(self, options) -> Unit:
        communes = {unit.edition: unit for unit in Unit.objects.filter(level=Level.COMMUNE, code=options["commune"].zfill(5))}
        commune = communes.get(options["edition"]) if options["edition"] else communes.get(Edition.REFORMED) or communes.get(Edition.PRE_REFORM)
        if commune is None:
            raise CommandError(f"No commune with code {options['commune']}.")
        return commune

    def user(self, options, required=False):
        if not options.get("user"):
            if required:
                raise CommandError("Give --user USERNAME: exports of personal data are recorded against a portal user.")
            return None
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']}.")
        return user

    def open_checked(self, file_name: str):
        path = Path(file_name)
        if not path.exists():
            raise CommandError(f"No such file: {file_name}")
        file = path.open("rb")
        try:
            check_upload(file, path.name)
        except SpreadsheetError as problem:
            file.close()
            raise CommandError(str(problem)) from problem
        return file

    def report(self, result, dry_run: bool):
        for warning in result.warnings:
            self.stderr.write(_("Worth a look: %(warning)s") % {"warning": warning})
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.error_count > len(result.errors):
                self.stderr.write(f"… {result.error_count - len(result.errors)} more")
            raise CommandError(f"{result.error_count} error(s): nothing was imported.")
        prefix = "Dry run (nothing written): " if dry_run else ""
        with translation.override("en"):  # the summary line stays machine-readable; error lines are for people
            self.stdout.write(prefix + result.summary())
