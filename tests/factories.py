"""factory_boy factories and small builders for the tests."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation
from maturity.models import Criterion, Dimension, ModelVersion, Phase
from trajectories.models import TrajectoryMember

PHASE_KEYS = ("ontdekken", "experimenteren", "converseren", "samenwerken")
TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Achternaam"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    kind = Organisation.Kind.MUNICIPALITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.RESPONDENT


def build_model_version(
    *,
    criteria_count: int = 12,
    dimension_count: int = 3,
    slug: str = "testmodel",
    publish: bool = True,
) -> ModelVersion:
    """A model version with four phases and criteria spread evenly over phases and dimensions."""
    number = ModelVersion.objects.filter(slug=slug).count() + 1
    version = ModelVersion.objects.create(
        slug=slug, version=number, name_nl=f"Testmodel {number}", name_en=f"Test model {number}"
    )
    phases = [
        Phase.objects.create(
            version=version, order=i + 1, key=key, name_nl=key.title(), name_en=key.title()
        )
        for i, key in enumerate(PHASE_KEYS)
    ]
    dimensions = [
        Dimension.objects.create(
            version=version,
            order=i + 1,
            key=f"dim-{i + 1}",
            name_nl=f"Dimensie {i + 1}",
            name_en=f"Dimension {i + 1}",
        )
        for i in range(dimension_count)
    ]
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            key=f"crit-{i + 1:03d}",
            phase=phases[i % 4],
            dimension=dimensions[(i // 4) % dimension_count],
            order=i + 1,
            statement_nl=f"Stelling {i + 1}",
            statement_en=f"Statement {i + 1}",
            help_text_nl=f"Uitleg {i + 1}",
            advice_nl=f"Advies {i + 1}",
            weight=Decimal("1.00"),
        )
        for i in range(criteria_count)
    )
    if publish:
        version.status = ModelVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save()
    return version


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    model_version = factory.LazyFunction(lambda: build_model_version())
    title = factory.Sequence(lambda n: f"Meting {n}")


class SharingMemberFactory(factory.django.DjangoModelFactory):
    """A member of a trajectory that accepted and shares all four items, priority webcare."""

    class Meta:
        model = TrajectoryMember

    organisation = factory.SubFactory(OrganisationFactory)
    status = TrajectoryMember.Status.ACCEPTED
    share_phase = True
    share_profile = True
    share_actions = True
    share_priorities = True
    priorities = factory.LazyFunction(lambda: ["webcare"])
