"""What the Excel management commands share: finding the commune and the user, checking the paths given,
reporting a result. Errors are in the portal's language (Vietnamese); the summary line stays English."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from totech.spreadsheets import SpreadsheetError, check_upload
from units.choices import Edition, Level
from units.models import Unit


class ExcelCommand(BaseCommand):
    def add_commune_arguments(self, parser):
        parser.add_argument("--commune", required=True, help="GSO code of the commune, e.g. 02107")
        parser.add_argument(
            "--edition", choices=Edition.values, help="map edition when the code exists on both (default: 2025)"
        )
        parser.add_argument("--user", help="username recorded as the author of the import or export")

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return super().execute(*args, **options)

    def commune(self, options) -> Unit:
        communes = {
            unit.edition: unit for unit in Unit.objects.filter(level=Level.COMMUNE, code=options["commune"].zfill(5))
        }
        commune = (
            communes.get(options["edition"])
            if options["edition"]
            else communes.get(Edition.REFORMED) or communes.get(Edition.PRE_REFORM)
        )
        if commune is None:
            raise CommandError(_("No commune with code %(code)s.") % {"code": options["commune"]})
        return commune

    def user(self, options, required=False):
        if not options.get("user"):
            if required:
                raise CommandError(
                    _("Give --user USERNAME: exports of personal data are recorded against a portal user.")
                )
            return None
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": options["user"]})
        return user

    def open_checked(self, file_name: str):
        """The file to import, opened, once it is known to be a readable, safe .xlsx."""
        path = Path(file_name)
        if not path.exists():
            raise CommandError(_("There is no file %(path)s.") % {"path": file_name})
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder: give the path of an Excel file (.xlsx).") % {"path": file_name})
        if not path.is_file():
            raise CommandError(
                _("%(path)s is not a file: give the path of an Excel file (.xlsx).") % {"path": file_name}
            )
        try:
            file = path.open("rb")
        except PermissionError as error:
            raise CommandError(_("%(path)s cannot be read: permission denied.") % {"path": file_name}) from error
        except OSError as error:
            raise CommandError(_("%(path)s cannot be read.") % {"path": file_name}) from error
        try:
            check_upload(file, path.name)
        except SpreadsheetError as problem:
            file.close()
            raise CommandError(str(problem)) from problem
        return file

    def output_checked(self, file_name: str) -> Path:
        """Where to write an export, checked before anything is exported."""
        path = Path(file_name)
        if path.is_dir():
            raise CommandError(
                _("%(path)s is a folder: give the name of the .xlsx file to write.") % {"path": file_name}
            )
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The file to write must end in .xlsx: %(path)s.") % {"path": file_name})
        if not path.parent.is_dir():
            raise CommandError(_("There is no folder %(path)s to write into.") % {"path": str(path.parent)})
        return path

    def write(self, path: Path, content: bytes):
        try:
            path.write_bytes(content)
        except PermissionError as error:
            raise CommandError(_("%(path)s cannot be written: permission denied.") % {"path": str(path)}) from error
        except OSError as error:
            raise CommandError(_("%(path)s cannot be written.") % {"path": str(path)}) from error

    def report(self, result, dry_run: bool):
        for warning in result.warnings:
            self.stderr.write(_("Worth a look: %(warning)s") % {"warning": warning})
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.error_count > len(result.errors):
                self.stderr.write(
                    _("… and %(count)s more errors.") % {"count": result.error_count - len(result.errors)}
                )
            raise CommandError(
                ngettext(
                    "%(count)s error: nothing was imported.",
                    "%(count)s errors: nothing was imported.",
                    result.error_count,
                )
                % {"count": result.error_count}
            )
        prefix = "Dry run (nothing written): " if dry_run else ""
        with translation.override("en"):  # the summary line stays machine-readable; error lines are for people
            self.stdout.write(prefix + result.summary())
