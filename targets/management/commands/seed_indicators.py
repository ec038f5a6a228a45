from django.core.management.base import BaseCommand

from targets.services import catalogue_seed


class Command(BaseCommand):
    help = "Add the standard indicators (seed 004 and the team activity counts) that are missing. Safe to re-run."

    def handle(self, *args, **options):
        created = catalogue_seed()
        self.stdout.write(f"{len(created)} indicator(s) added.")
