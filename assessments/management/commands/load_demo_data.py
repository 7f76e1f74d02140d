"""Demo organisation, users and assessments for development (`make run`)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.demo import demo_plan_create
from assessments.demo_evidence import demo_evidence_create
from assessments.demo_perspectives import demo_perspectives_create
from assessments.demo_reassessment import demo_reassessment_create, demo_second_version_publish
from assessments.models import Answer, Assessment, Membership, Organisation
from assessments.services import (
    AnswerInput,
    answer_question_ask,
    answer_question_reply,
    answer_validate,
    answers_save,
    assessment_create,
    assessment_submit,
    assessment_validation_set,
)
from maturity.selectors import model_version_latest_published, model_version_structure

DEMO_PASSWORD = "groeipad-demo-2026"  # noqa: S105  (printed by make run; demo only)
MODEL_EDITORS_GROUP = "Model editors"
DEMO_USERS = [
    ("communicatie", "Cato", "Communicatie", Membership.Role.RESPONDENT, False),
    ("directie", "Dirk", "Directeur", Membership.Role.VIEWER, False),
    ("beheer", "Bea", "Beheer", Membership.Role.ADMIN, False),
    # Answers for the youth service in one perspective of "Meting 2026", and sees nothing else.
    ("jana", "Jana", "Jeugd", Membership.Role.CONTRIBUTOR, False),
    ("redacteur", "Ruben", "Redacteur", None, True),
]
# Answers per phase order for each demo assessment: a year apart, the later one a phase higher.
DEMO_ASSESSMENTS = [
    ("Nulmeting 2025", {1: 3, 2: 2, 3: 1, 4: 0}, 730),
    ("Meting 2026", {1: 4, 2: 3, 3: 2, 4: 1}, 365),
]
# The later assessment was answered by three services, which then settled one consensus.
DEMO_WITH_PERSPECTIVES = "Meting 2026"
# Per dimension (in model order) a little stronger or weaker, so the profile has a shape.
DIMENSION_OFFSETS = (0, 1, 0, -1, 0, 1)
DEMO_COMMENTS = {
    "strategie-doelen-bepaald": "Visietekst goedgekeurd door het college in maart.",
    "monitoring-tool": "Monitoring gebeurt nog met de hand; een tool wordt onderzocht.",
}
# Questions the demo team could not judge yet: they show up as "find out first".
DEMO_DONT_KNOW = {"organisatie-budget"}
# How sure the team was of a few answers: an unsure one shows up as "find out first" too.
DEMO_CONFIDENCE = {
    "strategie-doelen-bepaald": "sure",
    "monitoring-tool": "unsure",
    "webcare-antwoordtermijn": "fairly_sure",
}
# The assessment whose answers the admin validated before it was submitted (docs/validation.md).
DEMO_VALIDATED = "Nulmeting 2025"


def demo_value(base: dict[int, int], criterion, dimension_index: int) -> str:
    if criterion.key in DEMO_DONT_KNOW:
        return "dk"
    offset = DIMENSION_OFFSETS[dimension_index % len(DIMENSION_OFFSETS)]
    return str(max(0, min(4, base[criterion.phase.order] + offset)))


def model_editors_group() -> Group:
    """The group whose members may edit and publish the maturity model in the admin."""
    group, _created = Group.objects.get_or_create(name=MODEL_EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="maturity"))
    return group


def demo_validate(*, assessment: Assessment, users: dict, moment) -> None:
    """The admin validates every answer; one after a question the respondent answered."""
    admin, respondent = users["beheer"], users["communicatie"]
    assessment_validation_set(assessment=assessment, user=admin, required=True)
    answers = list(Answer.objects.filter(assessment=assessment).order_by("pk"))
    asked = answers[0]
    answer_question_ask(
        assessment=assessment,
        user=admin,
        answer_pk=asked.pk,
        revision=asked.revision,
        question="Staat dit ergens op papier?",
    )
    answer_question_reply(
        assessment=assessment,
        user=respondent,
        answer_pk=asked.pk,
        reply="Ja, in het communicatieplan van januari.",
    )
    for answer in answers:
        answer_validate(
            assessment=assessment, user=admin, answer_pk=answer.pk, revision=answer.revision
        )
    # Validated on the day it was submitted, a while ago like the assessment itself.
    Answer.objects.filter(assessment=assessment).update(validated_at=moment)


class Command(BaseCommand):
    help = "Create the demo organisation 'Gemeente Voorbeeld' with users and assessments."

    @transaction.atomic
    def handle(self, *args, **options):
        version = model_version_latest_published()
        if version is None:
            raise CommandError("Load the default model first: manage.py load_default_model")
        organisation, created = Organisation.objects.get_or_create(
            slug="gemeente-voorbeeld",
            defaults={
                "name": "Gemeente Voorbeeld",
                "kind": Organisation.Kind.MUNICIPALITY,
                "region": "Oost-Vlaanderen",
                "population": 25000,
            },
        )
        users = {}
        User = get_user_model()
        for username, first, last, role, is_staff in DEMO_USERS:
            user, _new = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@voorbeeld.example",
                    "is_staff": is_staff,
                },
            )
            if _new:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if role:
                Membership.objects.get_or_create(
                    user=user, organisation=organisation, defaults={"role": role}
                )
            if is_staff:
                user.groups.add(model_editors_group())
            users[username] = user
        if created:
            self._create_assessments(organisation, users, version)
        self.stdout.write(
            self.style.SUCCESS("Demo logins (development only), password: " + DEMO_PASSWORD)
        )
        for username, _first, _last, role, _is_staff in DEMO_USERS:
            label = Membership.Role(role).label if role else _("Model editor (staff)")
            self.stdout.write(f"  {username:<14} {label}")
        if settings.GROEIPAD_MFA_REQUIRED:
            # Staff and organisation admins must set up an authenticator app (docs/security.md).
            self.stdout.write(
                _(
                    "beheer and redacteur first set up two-step sign-in (an authenticator app); "
                    "to skip that on this machine: GROEIPAD_MFA_REQUIRED=off make run"
                )
            )
        # Similar organisations that take part in benchmarks, and a sector analyst.
        call_command("load_benchmark_demo", password=DEMO_PASSWORD, stdout=self.stdout)
        if created:
            # After the benchmark demo, so its organisations answered the same version.
            demo_second_version_publish(version=version)
            demo_reassessment_create(
                organisation=organisation,
                users=users,
                start_from=Assessment.objects.get(organisation=organisation, title="Meting 2026"),
            )

    def _create_assessments(self, organisation, users, version):
        user = users["communicatie"]
        structure = model_version_structure(version=version)
        now = timezone.now()
        for title, values, days_ago in DEMO_ASSESSMENTS:
            assessment = assessment_create(organisation=organisation, user=user, title=title)
            dimension_index = {d.pk: i for i, d in enumerate(structure.dimensions)}
            inputs = [
                AnswerInput(
                    criterion=c,
                    value=demo_value(values, c, dimension_index[c.dimension_id]),
                    comment=DEMO_COMMENTS.get(c.key, ""),
                    loaded_revision=0,
                    confidence=DEMO_CONFIDENCE.get(c.key, ""),
                )
                for c in structure.criteria
            ]
            answers_save(assessment=assessment, user=user, answers=inputs)
            if title == DEMO_WITH_PERSPECTIVES:
                demo_perspectives_create(assessment=assessment, users=users, answers=inputs)
                demo_evidence_create(assessment=assessment, user=user)
            moment = now - timedelta(days=days_ago)
            if title == DEMO_VALIDATED:
                demo_validate(assessment=assessment, users=users, moment=moment)
            assessment_submit(assessment=assessment, user=user)
            Assessment.objects.filter(pk=assessment.pk).update(
                created_at=moment, submitted_at=moment
            )
        demo_plan_create(organisation=organisation, users=users)
        draft = assessment_create(organisation=organisation, user=user, title="Meting 2027")
        first_dimension = structure.dimensions[0]
        answers_save(
            assessment=draft,
            user=user,
            answers=[
                AnswerInput(criterion=c, value="4", comment="", loaded_revision=0)
                for c in structure.criteria_of_dimension(first_dimension)
            ],
        )
