"""`manage.py import_model model.json`: a new draft version from a model file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.services import ModelImportError, model_version_import


def read_model_file(path: str) -> object:
    """Parse a model file, turning unreadable or malformed input into a CommandError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read ({error}).") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
        ) from error


class Command(BaseCommand):
    help = "Import a maturity model file (docs/model-format.md) as a new draft version."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        data = read_model_file(path)
        try:
            version = model_version_import(data=data)
        except ModelImportError as error:
            raise CommandError(
                f"{path} was not imported; nothing was written:\n- " + "\n- ".join(error.problems)
            ) from error
        self.stdout.write(f"Imported {version.slug} as draft version {version.version}.")
