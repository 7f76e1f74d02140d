"""The demo group trajectory and its coach (`make run`, after `load_demo_data`)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.management.commands.load_demo_data import DEMO_PASSWORD
from maturity.selectors import model_version_latest_published
from trajectories.demo import COACH_USERNAME, TRAJECTORY_NAME, demo_trajectory_create


class Command(BaseCommand):
    help = "Create the demo trajectory 'Monitoring & webcare 2027' with the coach login 'coach'."

    @transaction.atomic
    def handle(self, *args, **options):
        version = model_version_latest_published()
        if version is None:
            raise CommandError("Load the default model and the demo data first.")
        with translation.override("nl-be"):
            demo_trajectory_create(password=DEMO_PASSWORD, version=version)
            label = _("Coach of the group trajectory “%(name)s”") % {"name": TRAJECTORY_NAME}
        self.stdout.write(f"  {COACH_USERNAME:<14} {label}")
