"""`manage.py restore_database DIRECTORY`: replace the database and files (`make restore`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maturity.database_backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the whole database and the stored files with a backup_database backup."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            database_restore(source=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {directory}")
