from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from reports import demo as reports_demo
from targets import demo as targets_demo
from teams import demo as teams_demo
from units import demo as units_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data (two provinces, villages, a user per role). Safe to re-run."

    @transaction.atomic
    def handle(self, *args, **options):
        units = units_demo.seed()
        users = accounts_demo.seed(units)
        teams_demo.seed(units)
        campaign = targets_demo.seed(units, users)
        teams_demo.seed_sample_import(units)
        reports_demo.seed(units, users, campaign)
        self.stdout.write(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD}):")
        for user in users:
            scope = f" · {user.scope_unit}" if user.scope_unit else ""
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()}{scope}")
