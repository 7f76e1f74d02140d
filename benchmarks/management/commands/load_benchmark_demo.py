"""Demo organisations that take part in benchmarks, and a sector analyst (`make run`).

Called by `load_demo_data`. The groups are chosen so that "Gemeente Voorbeeld" (a municipality
of 25,000 in Oost-Vlaanderen) sees a comparison with the municipalities of its size, and the
refusal of the narrower regional group (too few in Oost-Vlaanderen) with the reason.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Organisation
from bench.data import bench_assessment
from benchmarks.models import Participation
from benchmarks.services import benchmark_release_all, sector_analysts_group
from maturity.selectors import model_version_latest_published, model_version_structure

ANALYST_USERNAME = "koepel"
Kind = Organisation.Kind
# name, kind, population, region, maturity level (0..4) in 2025 and now, takes part
DEMO_ORGANISATIONS = [
    ("Gemeente Denderzele", Kind.MUNICIPALITY, 31_000, "Oost-Vlaanderen", 1, 2, True),
    ("Gemeente Scheldeveld", Kind.MUNICIPALITY, 27_500, "Oost-Vlaanderen", 2, 3, True),
    ("Gemeente Leiebrug", Kind.MUNICIPALITY, 42_000, "Oost-Vlaanderen", 0, 1, True),
    ("Gemeente Kempenhout", Kind.MUNICIPALITY, 38_000, "Antwerpen", 1, 1, True),
    ("Gemeente Netevoort", Kind.MUNICIPALITY, 26_000, "Antwerpen", 2, 2, True),
    ("Gemeente Maasdonk", Kind.MUNICIPALITY, 33_000, "Limburg", 1, 3, True),
    ("Gemeente Duinhove", Kind.MUNICIPALITY, 45_000, "West-Vlaanderen", 3, 4, True),
    ("Gemeente Heidebeek", Kind.MUNICIPALITY, 14_000, "Limburg", 0, 1, True),
    ("Gemeente Boshoven", Kind.MUNICIPALITY, 18_000, "Vlaams-Brabant", 1, 2, True),
    ("Gemeente Polderkerke", Kind.MUNICIPALITY, 11_000, "West-Vlaanderen", 0, 0, True),
    ("Gemeente Rivierdal", Kind.MUNICIPALITY, 21_000, "Oost-Vlaanderen", 2, 2, True),
    ("Gemeente Zandhoven-Noord", Kind.MUNICIPALITY, 16_500, "Antwerpen", 1, 2, True),
    ("Stad Havenstad", Kind.MUNICIPALITY, 160_000, "Antwerpen", 3, 4, True),
    ("OCMW Denderzele", Kind.OCMW, 31_000, "Oost-Vlaanderen", 0, 1, True),
    ("OCMW Kempenhout", Kind.OCMW, 38_000, "Antwerpen", 1, 1, True),
    ("OCMW Heidebeek", Kind.OCMW, 14_000, "Limburg", 0, 2, True),
    ("Provincie Noorderland", Kind.PROVINCE, 900_000, "Antwerpen", 2, 3, True),
    ("Provincie Zuiderland", Kind.PROVINCE, 1_100_000, "Limburg", 2, 2, True),
    # Does not take part: counts in no benchmark.
    ("Gemeente Stilleveld", Kind.MUNICIPALITY, 29_000, "Oost-Vlaanderen", 4, 4, False),
]


class Command(BaseCommand):
    help = "Create demo organisations that take part in benchmarks, and a sector analyst."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True)

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        version = model_version_latest_published()
        if version is None:
            raise CommandError("Load the default model first: manage.py load_default_model")
        structure = model_version_structure(version=version)
        rng = random.Random(19)
        now = timezone.now()
        for name, kind, population, region, before, after, opted_in in DEMO_ORGANISATIONS:
            organisation, created = Organisation.objects.get_or_create(
                slug=name.lower().replace(" ", "-"),
                defaults={"name": name, "kind": kind, "population": population, "region": region},
            )
            Participation.objects.get_or_create(
                organisation=organisation, defaults={"opted_in": opted_in}
            )
            if not created:
                continue
            for title, level, days_ago in (
                ("Zelfevaluatie 2025", before, 400),
                ("Zelfevaluatie 2026", after, 30),
            ):
                bench_assessment(
                    organisation=organisation,
                    structure=structure,
                    level=level,
                    title=title,
                    moment=now - timedelta(days=days_ago),
                    submitted=True,
                    respondent=None,
                    rng=rng,
                )
        analyst, new = get_user_model().objects.get_or_create(
            username=ANALYST_USERNAME,
            defaults={"first_name": "Koen", "last_name": "Koepel", "email": "koepel@vvsg.example"},
        )
        if new:
            analyst.set_password(password)
            analyst.save()
        analyst.groups.add(sector_analysts_group())
        # The pages show releases, never the live data: the demo starts with one.
        benchmark_release_all()
        taking_part = sum(1 for *_rest, opted_in in DEMO_ORGANISATIONS if opted_in)
        role = _("Sector analyst (%(count)d demo organisations take part)") % {"count": taking_part}
        self.stdout.write(f"  {ANALYST_USERNAME:<14} {role}")
