"""A new model version reaches the drafts (issue 29, item 4): the publish review lists them, the
drafts show a banner to their respondents and admins, and each moves (answers by key and
crosswalk, new questions marked, removed ones named) or stays."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.management.commands.load_demo_data import model_editors_group
from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, Membership
from assessments.reassessment import version_changes
from assessments.services import (
    NotAllowedError,
    answers_save,
    assessment_create,
    perspective_create,
)
from assessments.services.version_move import (
    NoNewerVersionError,
    assessment_keep_version,
    assessment_move_to_version,
)
from maturity.models import ModelVersion
from maturity.services import model_version_new_draft
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, build_model_version
from tests.reassessment_models import answer_inputs, next_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    """The English pages leave English active in this thread: the next test starts in Dutch."""
    yield
    translation.deactivate()


def client_in(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def first_version() -> ModelVersion:
    return build_model_version(criteria_count=12, dimension_count=3, slug="hermeting")


@pytest.fixture
def old_draft(first_version, people) -> Assessment:
    """A draft on version 1 with every criterion answered "2", each with a comment."""
    draft = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2027"
    )
    keys = [c.key for c in first_version.criteria.all()]
    answers_save(
        assessment=draft,
        user=people.respondent,
        answers=answer_inputs(draft, dict.fromkeys(keys, "2"), comment="Over {key}"),
    )
    return draft


@pytest.fixture
def second_version(first_version, old_draft) -> ModelVersion:
    """crit-002 renamed (crosswalk) to crit-twee, crit-003 removed, crit-new added."""
    return next_version(
        first_version,
        rename={"crit-002": "crit-twee"},
        remove=("crit-003",),
        add={"crit-new": "crit-001"},
        reword={"crit-004": "Een nieuwe verwoording"},
    )


def answers_by_key(assessment) -> dict[str, Answer]:
    return {
        a.criterion.key: a
        for a in Answer.objects.filter(assessment=assessment).select_related("criterion")
    }


# --- the publish review -----------------------------------------------------------------------


def test_the_publish_review_lists_the_drafts_on_older_versions(first_version, old_draft):
    other = OrganisationFactory(name="Gemeente Elders")
    admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    assessment_create(organisation=other, user=admin, title="Meting Elders")
    draft = model_version_new_draft(source=first_version)
    editor = UserFactory(is_staff=True)
    editor.groups.add(model_editors_group())

    page = client_in(editor).get(reverse("admin:maturity_modelversion_publish", args=[draft.pk]))

    text = page.content.decode()
    assert "Drafts of organisations on older versions" in text
    assert "Gemeente Voorbeeld – “Meting 2027” (version 1" in text
    assert "Gemeente Elders – “Meting Elders” (version 1" in text


def test_the_publish_review_says_when_no_draft_is_on_an_older_version(first_version):
    draft = model_version_new_draft(source=first_version)
    editor = UserFactory(is_staff=True)
    editor.groups.add(model_editors_group())

    page = client_in(editor).get(reverse("admin:maturity_modelversion_publish", args=[draft.pk]))

    assert "No organisation has a draft on an older version." in page.content.decode()


# --- the banner ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["respondent", "admin"])
def test_after_publishing_the_draft_shows_a_banner(people, old_draft, second_version, role):
    client = client_in(getattr(people, role))

    step = client.get(reverse("assessments:step", args=[old_draft.pk, 1])).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    banner = "A new version of the model is published (version 2); “Meting 2027” still uses"
    assert banner in step
    assert banner in dashboard
    assert reverse("assessments:version", args=[old_draft.pk]) in step


def test_a_viewer_sees_no_banner(people, old_draft, second_version):
    dashboard = client_in(people.viewer).get(reverse("dashboard")).content.decode()

    assert "A new version of the model is published" not in dashboard


def test_no_banner_without_a_newer_version(people, old_draft):
    step = client_in(people.respondent).get(reverse("assessments:step", args=[old_draft.pk, 1]))

    assert "A new version of the model is published" not in step.content.decode()


def test_a_draft_on_an_archived_version_is_offered_the_current_one(
    people, old_draft, second_version
):
    third = next_version(second_version, add={"crit-drie": "crit-001"})

    page = client_in(people.respondent).get(reverse("dashboard")).content.decode()

    assert third.version == 3
    assert "A new version of the model is published (version 3)" in page


# --- moving -----------------------------------------------------------------------------------


def test_the_version_page_names_what_moving_changes(people, old_draft, second_version):
    page = client_in(people.respondent).get(reverse("assessments:version", args=[old_draft.pk]))

    text = page.content.decode()
    assert "11 answered questions go along." in text
    assert "1 question is new" in text and "New statement crit-new" in text
    assert "1 answered question is no longer in the model" in text


def test_moving_carries_answers_by_key_and_crosswalk(people, old_draft, second_version):
    moved = assessment_move_to_version(assessment=old_draft, user=people.respondent)

    answers = answers_by_key(old_draft)
    old_draft.refresh_from_db()
    assert old_draft.model_version == second_version
    assert moved.carried == 11
    assert [c.key for c in moved.new] == ["crit-new"]
    assert [c.key for c in moved.removed] == ["crit-003"]
    assert (answers["crit-twee"].value, answers["crit-twee"].comment) == ("2", "Over crit-002")
    assert "crit-003" not in answers and "crit-new" not in answers
    assert all(a.criterion.version_id == second_version.pk for a in answers.values())


def test_a_removed_answer_stays_in_the_change_history(people, old_draft, second_version):
    assessment_move_to_version(assessment=old_draft, user=people.respondent)

    kept = AnswerChange.objects.get(assessment=old_draft, source="version_removed")
    assert (kept.criterion.key, kept.old_value) == ("crit-003", "2")


def test_after_moving_the_new_question_is_marked_on_its_step(people, old_draft, second_version):
    assessment_move_to_version(assessment=old_draft, user=people.admin)

    assessment = Assessment.objects.select_related("moved_from", "started_from").get(
        pk=old_draft.pk
    )
    with translation.override("en"):
        notes = version_changes(assessment=assessment).notes
    assert notes["crit-new"] == "New in this version of the model: version 1 did not have it."
    with translation.override("nl-be"):  # the Dutch statement was reworded
        assert "Stelling 4" in version_changes(assessment=assessment).notes["crit-004"]
    assert [c.key for c in version_changes(assessment=assessment).removed] == ["crit-003"]
    step = client_in(people.respondent).get(reverse("assessments:detail", args=[old_draft.pk]))
    assert step.status_code == 302


def test_moving_keeps_each_perspectives_answers_apart(people, old_draft, second_version):
    directie = perspective_create(assessment=old_draft, user=people.admin, name="Directie")
    answers_save(
        assessment=old_draft,
        user=people.admin,
        answers=answer_inputs(old_draft, {"crit-002": "4"}),
        perspective_id=directie.pk,
    )

    assessment_move_to_version(assessment=old_draft, user=people.admin)

    theirs = Answer.objects.get(perspective=directie)
    assert (theirs.criterion.key, theirs.value) == ("crit-twee", "4")


def test_the_version_page_moves_and_the_banner_goes(people, old_draft, second_version):
    client = client_in(people.respondent)

    response = client.post(reverse("assessments:version", args=[old_draft.pk]), {"choice": "move"})

    assert response.status_code == 302
    assert "A new version of the model" not in client.get(reverse("dashboard")).content.decode()
    assert AssessmentEvent.objects.filter(
        assessment=old_draft, kind=AssessmentEvent.Kind.MOVED, note="v1 → v2"
    ).exists()


def test_there_is_nothing_to_move_to_without_a_newer_version(people, old_draft):
    with pytest.raises(NoNewerVersionError):
        assessment_move_to_version(assessment=old_draft, user=people.respondent)


def test_a_viewer_cannot_move_a_draft(people, old_draft, second_version):
    with pytest.raises(NotAllowedError):
        assessment_move_to_version(assessment=old_draft, user=people.viewer)
    response = client_in(people.viewer).post(
        reverse("assessments:version", args=[old_draft.pk]), {"choice": "move"}
    )

    assert response.status_code == 403
    old_draft.refresh_from_db()
    assert old_draft.model_version_id != second_version.pk


# --- staying ----------------------------------------------------------------------------------


def test_staying_dismisses_the_banner_until_a_newer_version(people, old_draft, second_version):
    client = client_in(people.admin)
    client.post(reverse("assessments:version", args=[old_draft.pk]), {"choice": "stay"})

    assert "A new version of the model" not in client.get(reverse("dashboard")).content.decode()
    old_draft.refresh_from_db()
    assert old_draft.model_version_id != second_version.pk
    next_version(second_version, add={"crit-drie": "crit-001"})
    assert "(version 3)" in client.get(reverse("dashboard")).content.decode()


def test_staying_is_recorded(people, old_draft, second_version):
    assessment_keep_version(assessment=old_draft, user=people.respondent)

    assert AssessmentEvent.objects.filter(
        assessment=old_draft, kind=AssessmentEvent.Kind.VERSION_KEPT
    ).exists()


def test_the_step_page_stays_within_its_query_budget_with_a_banner(
    people, old_draft, second_version, django_assert_max_num_queries
):
    client = client_in(people.respondent)
    url = reverse("assessments:step", args=[old_draft.pk, 1])
    client.get(url)  # warm: the structures are cached, the session written

    # session, user, memberships, the assessment, the answers, the step's linked actions, the
    # evidence of the step's answers, and the model's current version (read only for a draft
    # whose version was archived: a published one has nothing newer)
    with django_assert_max_num_queries(8):
        assert "A new version" in client.get(url).content.decode()
