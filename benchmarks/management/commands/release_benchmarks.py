"""`manage.py release_benchmarks`: a new benchmark release of every published model slug.

What the nightly task runs (and staff can ask for in the admin); see docs/benchmark.md.
"""

from django.core.management.base import BaseCommand

from benchmarks.services import benchmark_release_all


class Command(BaseCommand):
    help = "Compute and store a benchmark release of every published model."

    def handle(self, *args, **options):
        for release in benchmark_release_all():
            self.stdout.write(f"{release.model_slug}: {len(release.groups)} groups")
