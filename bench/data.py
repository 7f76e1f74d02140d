"""Generate the data of `make bench`: organisations, members, assessments and action plans.

By default 650 organisations with 5 members each and 4 submitted assessments plus one draft,
half of them on a model of 40 criteria and half on one of 160 criteria over 6 dimensions, and
an action plan of 500 actions each (the plan page is measured at that size). The drafts of the
last PERSPECTIVE_DRAFTS organisations on the 160-criterion model have four perspectives, each
answered over all criteria, that disagree here and there (the compare page is measured on them).
"""

import argparse
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from assessments.models import Answer, Assessment, Membership, Organisation, Perspective
from benchmarks.models import Participation
from benchmarks.services import sector_analysts_group
from maturity.models import AnswerValue, ModelVersion
from maturity.scoring import score
from maturity.selectors import ModelStructure, model_version_structure
from maturity.services import model_version_import, model_version_publish

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (loopback benchmark users only)
PHASE_KEYS = ("ontdekken", "experimenteren", "converseren", "samenwerken")
ROLES = [
    Membership.Role.ADMIN,
    Membership.Role.RESPONDENT,
    Membership.Role.RESPONDENT,
    Membership.Role.VIEWER,
    Membership.Role.VIEWER,
]
ACTIONS_PER_ORGANISATION = 500
# The group trajectory of issue 35: this many members (the scale).
TRAJECTORY_MEMBERS = 40
BENCH_GROUP = "Bench group"
# Issue 35's "a coach with 30 trajectories": the `admin-0` of each of the last COACHES
# organisations coaches COACH_TRAJECTORIES trajectories (the last one's counting the bench
# group), each with COACHED_MEMBERS organisations (the last one invited, the others taking part)
# and two sessions; every sixth has ended. COACHES clients for the load at concurrency 8.
COACHES = 8
COACH_TRAJECTORIES = 30
COACHED_MEMBERS = 6
# The load takes its clients from the first organisations by slug, so the drafts with
# perspectives are the last ones: the questionnaire, autosave and draft PDF of the first
# organisations stay one-perspective drafts, as they were measured before perspectives. 64 is
# twice the bench's highest concurrency.
PERSPECTIVE_DRAFTS = 64
# The first is the perspective every assessment gets (Perspective.DEFAULT_NAME), with the draft's
# answers; the others answer from their own point of view: (name, bias on the scale).
OTHER_PERSPECTIVES = (("Directie", 1), ("Jeugddienst", -1), ("Webcareteam", 0))
ACTION_STATUSES = ("planned", "in_progress", "done", "cancelled")


def bench_username(*, organisation_slug: str, role: str) -> str:
    """The generated user of an organisation with a role, e.g. `o007-viewer-3`."""
    return f"o{organisation_slug.rsplit('-', 1)[-1]}-{role}"


def bench_model_file(*, slug: str, criteria_count: int, dimension_count: int) -> dict[str, Any]:
    """A model in the `groeipad-model/1` format, criteria spread over phases and dimensions."""
    phases = [
        {
            "key": key,
            "order": i + 1,
            "threshold": "0.70",
            "name": {"nl": key.title(), "en": key.title()},
            "description": {"nl": "Beschrijving " * 10},
        }
        for i, key in enumerate(PHASE_KEYS)
    ]
    dimensions = [
        {
            "key": f"dimensie-{i + 1}",
            "order": i + 1,
            "name": {"nl": f"Dimensie {i + 1}", "en": f"Dimension {i + 1}"},
        }
        for i in range(dimension_count)
    ]
    criteria = [
        {
            "key": f"criterium-{i + 1:03d}",
            "phase": PHASE_KEYS[i % 4],
            "dimension": dimensions[(i // 4) % dimension_count]["key"],
            "order": i + 1,
            "weight": "1.5" if i % 5 == 0 else "1",
            "statement": {
                "nl": f"Onze organisatie voldoet aan stelling {i + 1} over sociale media.",
                "en": f"Our organisation meets statement {i + 1} on social media.",
            },
            "help_text": {"nl": "Een korte uitleg bij deze stelling, zoals in het echte model."},
            "advice": {"nl": "Concreet advies: wat u als volgende stap kunt doen."},
        }
        for i in range(criteria_count)
    ]
    return {
        "format": "groeipad-model/1",
        "slug": slug,
        "name": {"nl": f"Benchmodel {criteria_count}", "en": f"Bench model {criteria_count}"},
        "description": {"nl": ""},
        "minimum_coverage": "0.50",
        "phases": phases,
        "dimensions": dimensions,
        "criteria": criteria,
    }


def bench_model(*, slug: str, criteria_count: int, dimension_count: int = 6) -> ModelVersion:
    """A published model, imported and published through the app's own services."""
    data = bench_model_file(
        slug=slug, criteria_count=criteria_count, dimension_count=dimension_count
    )
    return model_version_publish(version=model_version_import(data=data))


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
    perspective = assessment.perspectives.get()
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            perspective=perspective,
            criterion_id=pk,
            value=value,
            updated_by=respondent,
        )
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


KINDS = (Organisation.Kind.MUNICIPALITY,) * 6 + (Organisation.Kind.OCMW,) * 3
KINDS += (Organisation.Kind.PROVINCE,)
POPULATIONS = (6_000, 14_000, 32_000, 70_000, 150_000, 21_000, 45_000)
REGIONS = ("Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen")


def bench_profile(number: int) -> dict[str, Any]:
    """Kind, population and region of a generated organisation, spread over every group."""
    return {
        "kind": KINDS[number % len(KINDS)],
        "population": POPULATIONS[number % len(POPULATIONS)],
        "region": REGIONS[(number // 2) % len(REGIONS)],
    }


def perspective_answer(*, value: str, bias: int, rng: random.Random) -> str:
    """Another perspective's answer to a criterion the first answered with `value`.

    Half the time it leans by `bias`, half the time it differs by a point either way, now and
    then it does not know: over four perspectives about a quarter of the criteria end up two
    points or more apart.
    """
    if rng.random() < 0.03:
        return "dk"
    shift = (bias if rng.random() < 0.5 else 0) + (rng.randint(-1, 1) if rng.random() < 0.5 else 0)
    return str(max(0, min(4, int(value) + shift)))


def bench_perspectives(*, assessment: Assessment, respondent, seed: int) -> None:
    """Three more perspectives on `assessment`, each answering what the first one answered.

    One query reads the first perspective's answers, two bulk inserts add the perspectives and
    their answers; some answers carry a comment. The random generators are the perspectives'
    own (from `seed`), so the rest of the data stays as it was.
    """
    first = dict(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    perspectives = Perspective.objects.bulk_create(
        Perspective(assessment=assessment, name=name, created_by=respondent)
        for name, _bias in OTHER_PERSPECTIVES
    )
    answers = []
    for number, (perspective, (name, bias)) in enumerate(
        zip(perspectives, OTHER_PERSPECTIVES, strict=True)
    ):
        rng = random.Random(seed * 10 + number)
        answers += [
            Answer(
                assessment=assessment,
                perspective=perspective,
                criterion_id=criterion_id,
                value=perspective_answer(value=value, bias=bias, rng=rng),
                comment=f"Bij ons loopt dit anders ({name})." if rng.random() < 0.1 else "",
                updated_by=respondent,
            )
            for criterion_id, value in first.items()
        ]
    Answer.objects.bulk_create(answers)


def bench_organisation(
    *,
    number: int,
    structure: ModelStructure,
    assessments: int,
    password: str,
    rng: random.Random,
    perspectives: bool = False,
) -> Organisation:
    """An organisation with a member per role, submitted assessments a year apart and a draft
    (with four perspectives when `perspectives`)."""
    organisation = Organisation.objects.create(
        name=f"Gemeente {number:03d}", slug=f"gemeente-{number:03d}", **bench_profile(number)
    )
    # Two in three take part in benchmarks (taken from the number, not the random generator, so
    # the answers stay those of earlier runs).
    Participation.objects.create(organisation=organisation, opted_in=number % 3 != 0)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=bench_username(organisation_slug=organisation.slug, role=f"{role}-{i}"),
            password=password,
        )
        for i, role in enumerate(ROLES)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=role)
        for user, role in zip(users, ROLES, strict=True)
    )
    now = timezone.now()
    for index in range(assessments + 1):
        assessment = bench_assessment(
            organisation=organisation,
            structure=structure,
            level=min(4, index + rng.randint(0, 1)),
            title=f"Meting {2022 + index}",
            moment=now - timedelta(days=365 * (assessments - index)),
            submitted=index < assessments,
            respondent=users[1],
            rng=rng,
        )
    if perspectives:  # the last assessment is the draft
        bench_perspectives(assessment=assessment, respondent=users[1], seed=number)
    bench_action_plan(organisation=organisation, structure=structure, owner=memberships[1])
    return organisation


def bench_action_plan(
    *, organisation: Organisation, structure: ModelStructure, owner: Membership
) -> None:
    """ACTIONS_PER_ORGANISATION actions over a year, in every status, linked to criteria."""
    today = timezone.localdate()
    now = timezone.now()
    Action.objects.bulk_create(
        Action(
            organisation=organisation,
            title=f"Actie {number}",
            criterion_key=structure.criteria[number % len(structure.criteria)].key,
            owner_member=owner if number % 2 else None,
            owner_name="" if number % 2 else f"dienst {number % 5}",
            due_date=today + timedelta(days=number % 365 - 60),
            status=(status := ACTION_STATUSES[number % 4]),
            completed_at=now if status == "done" else None,
        )
        for number in range(ACTIONS_PER_ORGANISATION)
    )


@transaction.atomic
def generate(*, organisations: int, assessments: int) -> None:
    """The two bench models and `organisations` organisations, alternating between the models."""
    rng = random.Random(2026)
    small = model_version_structure(version=bench_model(slug="bench-40", criteria_count=40))
    large = model_version_structure(version=bench_model(slug="bench-160", criteria_count=160))
    password = make_password(BENCH_PASSWORD)
    with_perspectives = set(range(0, organisations, 2)[-PERSPECTIVE_DRAFTS:])
    for number in range(organisations):
        bench_organisation(
            number=number,
            structure=large if number % 2 == 0 else small,
            assessments=assessments,
            password=password,
            rng=rng,
            perspectives=number in with_perspectives,
        )
    bench_trajectory(structure=large)
    bench_coach_trajectories(structure=large)
    # The `viewer-4` user of every organisation is also a sector analyst (the sector view load).
    sector_analysts_group().user_set.add(
        *get_user_model().objects.filter(username__endswith="-viewer-4")
    )


def bench_trajectory(*, structure: ModelStructure) -> None:
    """Issue 35's group: the first TRAJECTORY_MEMBERS organisations on the large model (their
    submitted assessments a year apart, ACTIONS_PER_ORGANISATION actions each) in one trajectory,
    every one sharing everything with two priorities; coached from the last organisation. The
    load's "group board GET" clients are viewers of its members."""
    from trajectories.models import Coach, Trajectory, TrajectoryMember

    members = list(
        Organisation.objects.filter(assessments__model_version__slug=structure.version.slug)
        .distinct()
        .order_by("slug")[:TRAJECTORY_MEMBERS]
    )
    coach_organisation = Organisation.objects.order_by("slug").last()
    today = timezone.localdate()
    trajectory = Trajectory.objects.create(
        name=BENCH_GROUP,
        coach_organisation=coach_organisation,
        model_version=structure.version,
        start_date=today - timedelta(days=365 * 2),
        end_date=today + timedelta(days=365),
    )
    coach = coach_organisation.memberships.order_by("pk").first().user
    Coach.objects.create(trajectory=trajectory, user=coach)
    keys = [d.key for d in structure.dimensions]
    TrajectoryMember.objects.bulk_create(
        TrajectoryMember(
            trajectory=trajectory,
            organisation=organisation,
            status=TrajectoryMember.Status.ACCEPTED,
            share_phase=True,
            share_profile=True,
            share_actions=True,
            share_priorities=True,
            priorities=[keys[number % len(keys)], keys[(number + 1) % len(keys)]],
            consent_version=1,
        )
        for number, organisation in enumerate(members)
    )


def bench_coach_trajectories(*, structure: ModelStructure) -> None:
    """Issue 35's coach with 30 trajectories, COACHES times (see COACH_TRAJECTORIES): the
    "coach trajectories GET" load's clients are these coaches."""
    from trajectories.models import Coach, Session, Trajectory, TrajectoryMember

    organisations = list(
        Organisation.objects.filter(assessments__model_version__slug=structure.version.slug)
        .distinct()
        .order_by("slug")
    )
    coach_organisations = list(Organisation.objects.order_by("-slug")[:COACHES])
    today = timezone.localdate()
    size = min(COACHED_MEMBERS, len(organisations))
    for c, coach_organisation in enumerate(coach_organisations):
        coach = coach_organisation.memberships.get(user__username__endswith="-admin-0").user
        count = COACH_TRAJECTORIES - Coach.objects.filter(user=coach).count()
        trajectories = Trajectory.objects.bulk_create(
            Trajectory(
                name=f"Groep {coach_organisation.slug} {number + 1:02d}",
                coach_organisation=coach_organisation,
                model_version=structure.version,
                start_date=today - timedelta(days=200),
                end_date=today + timedelta(days=-30 if number % 6 == 5 else 30 * number),
            )
            for number in range(count)
        )
        Coach.objects.bulk_create(Coach(trajectory=t, user=coach) for t in trajectories)
        members = []
        for number, trajectory in enumerate(trajectories):
            start = (c * COACH_TRAJECTORIES + number) * size
            for place in range(size):
                invited = place == size - 1 and size > 1
                members.append(
                    TrajectoryMember(
                        trajectory=trajectory,
                        organisation=organisations[(start + place) % len(organisations)],
                        status=(
                            TrajectoryMember.Status.INVITED
                            if invited
                            else TrajectoryMember.Status.ACCEPTED
                        ),
                        share_phase=not invited,
                        share_profile=not invited,
                        consent_version=0 if invited else 1,
                    )
                )
        TrajectoryMember.objects.bulk_create(members)
        Session.objects.bulk_create(
            Session(
                trajectory=trajectory,
                date=trajectory.start_date + timedelta(days=days),
                topic=f"Sessie {days // 100 + 1}",
                agenda="1. Welkom\n2. Gemeenschappelijke werkpunten",
            )
            for trajectory in trajectories
            for days in (50, 200)
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--organisations", type=int, default=650)
    parser.add_argument("--assessments", type=int, default=4)


def run(*, organisations: int, assessments: int) -> None:
    """Generate the data into an empty database (after `manage.py flush`)."""
    generate(organisations=organisations, assessments=assessments)
    print(f"Generated {organisations} organisations.")
