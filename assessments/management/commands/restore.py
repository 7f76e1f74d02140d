"""Load a `backup` file into an empty, migrated database: `manage.py restore groeipad.json`."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Organisation
from maturity.models import ModelVersion

NOT_EMPTY_MESSAGE = (
    "The database is not empty (it has users, organisations or model versions); restore only "
    "into a freshly migrated database, e.g. after `manage.py flush`. Nothing was loaded."
)


class Command(BaseCommand):
    help = "Restore a backup made with `manage.py backup` into an empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the JSON file written by `manage.py backup`")

    def handle(self, *args, path: str, **options) -> None:
        # Loading over existing rows would overwrite them by primary key, silently.
        if (
            get_user_model().objects.exists()
            or Organisation.objects.exists()
            or ModelVersion.objects.exists()
        ):
            raise CommandError(NOT_EMPTY_MESSAGE)
        with transaction.atomic():
            call_command("loaddata", path, verbosity=options["verbosity"], stdout=self.stdout)
