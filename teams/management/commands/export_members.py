from teams.management.excel_command import ExcelCommand
from teams.selectors import memberships_in_scope_of
from teams.spreadsheets.exports import export_roster
from units.selectors import within_unit_q


class Command(ExcelCommand):
    help = "Export a commune's current team members to Excel, in the layout import_members reads."

    def add_arguments(self, parser):
        self.add_commune_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, **options):
        output = self.output_checked(options["output"])
        commune, user = self.commune(options), self.user(options, required=True)
        memberships = memberships_in_scope_of(user).filter(within_unit_q(commune, "team__unit"))
        content, count = export_roster(
            memberships, user=user, scope_label=commune.name, filters=f"--commune {commune.code}"
        )
        self.write(output, content)
        self.stdout.write(f"{count} members written to {options['output']}")
