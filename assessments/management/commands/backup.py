"""Write the project's data as JSON to standard output: `manage.py backup > groeipad.json`."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Accounts, the maturity models and the organisations' work. Left out on purpose: content
# types and permissions (rebuilt by `migrate`, referred to by natural key), sessions, the admin
# log and django-axes' login attempts.
BACKUP_LABELS = ("auth.user", "auth.group", "maturity", "assessments")


class Command(BaseCommand):
    help = "Dump users, groups, maturity models and assessments as JSON (for `restore`)."

    def handle(self, *args, **options) -> None:
        call_command(
            "dumpdata",
            *BACKUP_LABELS,
            natural_foreign=True,
            indent=1,
            stdout=self.stdout,
        )
