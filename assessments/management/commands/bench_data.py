"""Generated load for `make bench`: 650 organisations, 5 members each, 4 submitted assessments."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, Assessment, Membership, Organisation
from maturity.models import AnswerValue, Criterion, Dimension, ModelVersion, Phase
from maturity.scoring import score
from maturity.selectors import ModelStructure, model_version_structure

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (loopback benchmark users only)
PHASE_KEYS = ("ontdekken", "experimenteren", "converseren", "samenwerken")
ROLES = [
    Membership.Role.ADMIN,
    Membership.Role.RESPONDENT,
    Membership.Role.RESPONDENT,
    Membership.Role.VIEWER,
    Membership.Role.VIEWER,
]


def bench_model(*, slug: str, criteria_count: int, dimension_count: int = 6) -> ModelVersion:
    """A published model with criteria spread over four phases and the dimensions."""
    version = ModelVersion.objects.create(
        slug=slug,
        version=1,
        name_nl=f"Benchmodel {criteria_count}",
        name_en=f"Bench model {criteria_count}",
    )
    phases = Phase.objects.bulk_create(
        Phase(
            version=version,
            order=i + 1,
            key=key,
            name_nl=key.title(),
            name_en=key.title(),
            description_nl="Beschrijving " * 10,
        )
        for i, key in enumerate(PHASE_KEYS)
    )
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            version=version,
            order=i + 1,
            key=f"dimensie-{i + 1}",
            name_nl=f"Dimensie {i + 1}",
            name_en=f"Dimension {i + 1}",
        )
        for i in range(dimension_count)
    )
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            key=f"criterium-{i + 1:03d}",
            phase=phases[i % 4],
            dimension=dimensions[(i // 4) % dimension_count],
            order=i + 1,
            statement_nl=f"Onze organisatie voldoet aan stelling {i + 1} over sociale media.",
            statement_en=f"Our organisation meets statement {i + 1} on social media.",
            help_text_nl="Een korte uitleg bij deze stelling, zoals in het echte model.",
            advice_nl="Concreet advies: wat u als volgende stap kunt doen.",
            weight=Decimal("1.5") if i % 5 == 0 else Decimal("1"),
        )
        for i in range(criteria_count)
    )
    version.status = ModelVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def bench_assessment(
    *,
    organisation: Organisation,
    structure: ModelStructure,
    level: int,
    title: str,
    moment: datetime,
    submitted: bool,
    respondent,
    rng: random.Random,
) -> Assessment:
    """An assessment answered around a maturity level, submitted with its result if asked."""
    values = {
        c.pk: str(max(0, min(4, level - c.phase.order + 2 + rng.randint(-1, 1))))
        for c in structure.criteria
    }
    assessment = Assessment.objects.create(
        organisation=organisation,
        model_version=structure.version,
        title=title,
        created_at=moment,
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, criterion_id=pk, value=value, updated_by=respondent)
        for pk, value in values.items()
    )
    if submitted:
        result = score(
            structure.spec,
            {c.key: AnswerValue.to_score(values[c.pk]) for c in structure.criteria},
        )
        assessment.result = result.to_dict()
        assessment.phase_order = result.phase.order
        assessment.maturity_index = Decimal(float(result.index)).quantize(Decimal("0.0001"))
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = moment
        assessment.save()
    return assessment


class Command(BaseCommand):
    help = "Generate benchmark data (organisations, members, submitted assessments)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=650)
        parser.add_argument("--assessments", type=int, default=4)

    @transaction.atomic
    def handle(self, *args, organisations: int, assessments: int, **options):
        rng = random.Random(2026)
        small = bench_model(slug="bench-40", criteria_count=40)
        large = bench_model(slug="bench-160", criteria_count=160)
        password = make_password(BENCH_PASSWORD)
        User = get_user_model()
        now = timezone.now()
        for number in range(organisations):
            organisation = Organisation.objects.create(
                name=f"Gemeente {number:03d}", slug=f"gemeente-{number:03d}"
            )
            users = User.objects.bulk_create(
                User(username=f"o{number:03d}-{role}-{i}", password=password)
                for i, role in enumerate(ROLES)
            )
            Membership.objects.bulk_create(
                Membership(user=user, organisation=organisation, role=role)
                for user, role in zip(users, ROLES, strict=True)
            )
            version = large if number % 2 == 0 else small
            structure = model_version_structure(version=version)
            for index in range(assessments + 1):
                bench_assessment(
                    organisation=organisation,
                    structure=structure,
                    level=min(4, index + rng.randint(0, 1)),
                    title=f"Meting {2022 + index}",
                    moment=now - timedelta(days=365 * (assessments - index)),
                    submitted=index < assessments,
                    respondent=users[1],
                    rng=rng,
                )
        self.stdout.write(f"Generated {organisations} organisations.")
