"""The perspectives' data migration (assessments 0004–0006), forwards and backwards, on the suite's
database (SQLite or PostgreSQL, whichever DATABASE_URL names).

The tests migrate the real test database, so they run outside a transaction and always end at
the latest migrations again, whatever happens in between: the tests after them see the schema
they expect.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import build_model_version

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assessments", "0003_labels_and_constraint_messages")]


def migrate(targets):
    """Migrate to ``targets`` and return the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the executor's graph reads the applied migrations anew
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_apps() -> Iterator:
    """The database at assessments 0003 (before perspectives); back at the latest afterwards."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate(latest())


def old_assessments(apps, criteria) -> dict[str, int]:
    """Two organisations' assessments made with the models before perspectives; their pks."""
    Organisation = apps.get_model("assessments", "Organisation")
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    user = get_user_model().objects.create(username="historisch")
    version = criteria[0].version_id
    made = {}
    for number, (title, values) in enumerate(
        [
            ("Volledig", ["4", "3", "dk", "na"]),
            ("Half", ["1", "", "2"]),
            ("Leeg", []),
        ]
    ):
        organisation = Organisation.objects.create(name=f"Gemeente {title}", slug=f"g-{number}")
        assessment = Assessment.objects.create(
            organisation=organisation, model_version_id=version, title=title, created_by_id=user.pk
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, criterion_id=c.pk, value=v, comment=f"over {c.key}")
            for c, v in zip(criteria, values, strict=False)
        )
        made[title] = assessment.pk
    return made


def answers_by_perspective(apps, assessment_pk: int) -> dict[str, dict[str, str]]:
    Perspective = apps.get_model("assessments", "Perspective")
    Answer = apps.get_model("assessments", "Answer")
    return {
        p.name: dict(Answer.objects.filter(perspective=p).values_list("criterion__key", "value"))
        for p in Perspective.objects.filter(assessment_id=assessment_pk).order_by("pk")
    }


def test_each_assessment_gets_one_perspective_with_all_its_answers_and_back(old_apps):
    criteria = list(build_model_version(criteria_count=4).criteria.order_by("order"))
    made = old_assessments(old_apps, criteria)

    new_apps = migrate(latest())

    assert answers_by_perspective(new_apps, made["Volledig"]) == {
        "Communicatiedienst": {"crit-001": "4", "crit-002": "3", "crit-003": "dk", "crit-004": "na"}
    }
    assert answers_by_perspective(new_apps, made["Half"]) == {
        "Communicatiedienst": {"crit-001": "1", "crit-002": "", "crit-003": "2"}
    }
    assert answers_by_perspective(new_apps, made["Leeg"]) == {"Communicatiedienst": {}}
    Answer = new_apps.get_model("assessments", "Answer")
    assert not Answer.objects.filter(perspective__isnull=True).exists()
    perspective = new_apps.get_model("assessments", "Perspective").objects.get(
        assessment_id=made["Volledig"]
    )
    assert perspective.created_by.username == "historisch"

    back = migrate(BEFORE)

    # Nothing lost on the way there and back.
    OldAnswer = back.get_model("assessments", "Answer")
    assert sorted(
        OldAnswer.objects.values_list("assessment_id", "criterion__key", "value", "comment")
    ) == sorted(
        (made[title], c.key, v, f"over {c.key}")
        for title, values in (("Volledig", ["4", "3", "dk", "na"]), ("Half", ["1", "", "2"]))
        for c, v in zip(criteria, values, strict=False)
    )


def test_back_keeps_the_first_perspectives_answers_and_drops_contributors(old_apps):
    criteria = list(build_model_version(criteria_count=4).criteria.order_by("order"))
    made = old_assessments(old_apps, criteria)
    new_apps = migrate(latest())
    Perspective = new_apps.get_model("assessments", "Perspective")
    Answer = new_apps.get_model("assessments", "Answer")
    Membership = new_apps.get_model("assessments", "Membership")
    Invitation = new_apps.get_model("assessments", "Invitation")
    ConsensusAnswer = new_apps.get_model("assessments", "ConsensusAnswer")
    assessment_pk = made["Volledig"]
    organisation_id = Perspective.objects.get(
        assessment_id=assessment_pk
    ).assessment.organisation_id
    directie = Perspective.objects.create(assessment_id=assessment_pk, name="Directie")
    Answer.objects.bulk_create(
        Answer(assessment_id=assessment_pk, perspective=directie, criterion_id=c.pk, value="0")
        for c in criteria
    )
    ConsensusAnswer.objects.create(
        assessment_id=assessment_pk, criterion_id=criteria[0].pk, value="2", note="besproken"
    )
    viewer = Membership.objects.create(
        user_id=get_user_model().objects.create(username="kijker").pk,
        organisation_id=organisation_id,
        role="viewer",
    )
    contributor = Membership.objects.create(
        user_id=get_user_model().objects.create(username="jeugd").pk,
        organisation_id=organisation_id,
        role="contributor",
    )
    directie.members.add(contributor)
    Invitation.objects.create(
        organisation_id=organisation_id,
        email="sport@example.org",
        role="contributor",
        perspective=directie,
    )
    Invitation.objects.create(
        organisation_id=organisation_id, email="nieuw@example.org", role="viewer"
    )

    back = migrate(BEFORE)

    OldAnswer = back.get_model("assessments", "Answer")
    assert dict(
        OldAnswer.objects.filter(assessment_id=assessment_pk).values_list("criterion__key", "value")
    ) == {"crit-001": "4", "crit-002": "3", "crit-003": "dk", "crit-004": "na"}
    assert OldAnswer.objects.count() == 7  # "Volledig" 4 and "Half" 3, one per criterion
    OldMembership = back.get_model("assessments", "Membership")
    assert list(OldMembership.objects.values_list("pk", "role")) == [(viewer.pk, "viewer")]
    OldInvitation = back.get_model("assessments", "Invitation")
    assert list(OldInvitation.objects.values_list("email", flat=True)) == ["nieuw@example.org"]

    # And forwards again: one perspective, the answers that were kept.
    again = migrate(latest())
    assert answers_by_perspective(again, assessment_pk) == {
        "Communicatiedienst": {"crit-001": "4", "crit-002": "3", "crit-003": "dk", "crit-004": "na"}
    }
