"""`manage.py export_model <slug> [--version N] > model.json`"""

import json

from django.core.management.base import BaseCommand, CommandError

from maturity.models import ModelVersion
from maturity.services import model_version_export


class Command(BaseCommand):
    help = "Write a maturity model version as JSON (docs/model-format.md) to standard output."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Let our --version (the model version) replace Django's --version (Django's own).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--version", type=int, dest="number", help="default: the newest")

    def handle(self, *args, slug: str, number: int | None, **options):
        versions = ModelVersion.objects.filter(slug=slug)
        if number is not None:
            versions = versions.filter(version=number)
        version = versions.order_by("-version").first()
        if version is None:
            raise CommandError(f"No model version {slug} {number or ''}".strip() + " exists.")
        data = model_version_export(version=version)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
