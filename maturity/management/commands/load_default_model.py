"""Load and publish the default model once; later runs leave it alone."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from maturity.models import ModelVersion
from maturity.services import model_version_import, model_version_publish

DEFAULT_MODEL_PATH = settings.BASE_DIR / "maturity" / "data" / "default_model.json"


class Command(BaseCommand):
    help = "Load the default maturity model (maturity/data/default_model.json) if it is missing."

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
        if ModelVersion.objects.filter(slug=data["slug"]).exists():
            self.stdout.write(f"The model {data['slug']} is already loaded.")
            return
        version = model_version_publish(version=model_version_import(data=data))
        self.stdout.write(f"Loaded and published {version}.")
