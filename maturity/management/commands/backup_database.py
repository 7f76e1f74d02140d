"""`manage.py backup_database DIRECTORY`: the database and stored files (`make backup`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.database_backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump custom format, or SQLite's backup API) and files."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            file = database_backup(target=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {file}")
