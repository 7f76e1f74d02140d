"""Re-assessment: answers carried from the last submitted assessment, confirmed one by one.

Carrying by key and by crosswalk (a chain too), comments, removed and new criteria, several
perspectives, refused starts, the confirmation rules in the services and on the step page, and
comparable-only deltas in the report and in result.json (issue 21).
"""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, AnswerChange, Assessment, Membership
from assessments.reassessment import version_changes
from assessments.services import (
    AnswerInput,
    AnswersToConfirmError,
    AssessmentIncompleteError,
    AssessmentLockedError,
    CarryFromDraftError,
    NotAllowedError,
    answers_confirm,
    answers_save,
    assessment_create,
    assessment_submit,
    reassessment_start,
)
from maturity.models import Criterion
from maturity.selectors import model_version_structure
from reports import report as reports
from tests.conftest import answer_all
from tests.factories import MembershipFactory, build_model_version
from tests.reassessment_models import next_version, submitted_with
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db


def value_of(key: str) -> str:
    """A different answer per criterion: crit-001 → "1", crit-004 → "4", crit-005 → "0", …"""
    return str(int(key[-3:]) % 5)


@pytest.fixture
def first_version():
    """12 criteria (crit-001 … crit-012) in 3 dimensions of 4, phases 1-4 in turn."""
    return build_model_version(criteria_count=12, dimension_count=3, slug="hermeting")


@pytest.fixture
def previous(first_version, people) -> Assessment:
    return submitted_with(people, "Meting 2026", value_of, comment="Waarom {key}")


def start(people, previous: Assessment, title: str = "Hermeting 2027") -> Assessment:
    return reassessment_start(
        organisation=people.organisation, user=people.respondent, title=title, start_from=previous
    )


def carried(assessment: Assessment) -> dict[str, Answer]:
    return {
        a.criterion.key: a
        for a in Answer.objects.filter(assessment=assessment).select_related("criterion")
    }


def english_client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def step_url(assessment: Assessment, number: int) -> str:
    return reverse("assessments:step", args=[assessment.pk, number])


def keys_of_step(assessment: Assessment, number: int) -> list[str]:
    structure = model_version_structure(version=assessment.model_version)
    return [c.key for c in structure.criteria_of_dimension(structure.dimensions[number - 1])]


def confirm_all(assessment: Assessment, user) -> None:
    for perspective in assessment.perspectives.all():
        answers_confirm(
            assessment=assessment,
            user=user,
            criterion_keys=list(carried(assessment)),
            perspective_id=perspective.pk,
        )


# --- carrying -----------------------------------------------------------------------------------


def test_answers_and_comments_are_carried_by_key_each_to_confirm(people, previous):
    assessment = start(people, previous)

    answers = carried(assessment)
    assert {key: a.value for key, a in answers.items()} == {
        f"crit-{i:03d}": value_of(f"crit-{i:03d}") for i in range(1, 13)
    }
    assert {a.comment for a in answers.values()} == {f"Waarom {k}" for k in answers}
    assert all(a.to_confirm for a in answers.values())
    assert assessment.started_from == previous
    assert AnswerChange.objects.filter(assessment=assessment, source="carried").count() == 12


def test_a_reworded_criterion_carries_its_answer_and_says_what_changed(
    people, first_version, previous
):
    next_version(first_version, reword={"crit-003": "Een nieuwe verwoording"})

    assessment = start(people, previous)

    assert carried(assessment)["crit-003"].value == value_of("crit-003")
    assessment = Assessment.objects.select_related("started_from__model_version").get(
        pk=assessment.pk
    )
    # The Dutch statement was reworded: read the notes in Dutch, whatever an earlier test left.
    with translation.override("nl-be"):
        note = version_changes(assessment=assessment).notes["crit-003"]
    assert "Stelling 3" in note  # the old statement, named in the note


def test_an_answer_follows_the_crosswalk_to_the_replacing_key(people, first_version, previous):
    next_version(first_version, rename={"crit-002": "crit-twee"})

    answers = carried(start(people, previous))

    assert "crit-002" not in answers
    assert (answers["crit-twee"].value, answers["crit-twee"].comment) == (
        value_of("crit-002"),
        "Waarom crit-002",
    )


def test_an_answer_follows_a_chain_of_two_crosswalks(people, first_version, previous):
    second = next_version(first_version, rename={"crit-002": "crit-twee"})
    next_version(second, rename={"crit-twee": "crit-deux"})

    answers = carried(start(people, previous))

    assert answers["crit-deux"].value == value_of("crit-002")
    assert {"crit-002", "crit-twee"}.isdisjoint(answers)


def test_a_removed_criterion_is_not_carried_and_is_listed_on_the_review_page(
    people, first_version, previous, client_for
):
    next_version(first_version, remove=("crit-005",))

    assessment = start(people, previous)

    assert "crit-005" not in carried(assessment)
    assert len(carried(assessment)) == 11
    response = client_for(people.respondent).get(
        reverse("assessments:review", args=[assessment.pk])
    )
    page = response.content.decode()
    assert "Niet meer in het model" in page
    assert "Stelling 5" in page


def test_a_new_criterion_starts_empty_and_is_named_new(people, first_version, previous):
    next_version(first_version, add={"crit-nieuw": "crit-001"})

    assessment = start(people, previous)

    assert "crit-nieuw" not in carried(assessment)
    assessment = Assessment.objects.select_related("started_from__model_version").get(
        pk=assessment.pk
    )
    changes = version_changes(assessment=assessment)
    assert changes.new_count == 1
    assert changes.notes["crit-nieuw"].startswith("Nieuw in deze versie")


def test_each_perspective_starts_from_its_own_previous_answers(people, first_version):
    directie = MembershipFactory(organisation=people.organisation, role=Membership.Role.RESPONDENT)
    jeugd = MembershipFactory(organisation=people.organisation, role=Membership.Role.CONTRIBUTOR)
    previous = submitted_with(
        people,
        "Meting 2026",
        value_of,
        perspectives={
            "Directie": (directie, lambda key: "1"),
            "Jeugddienst": (jeugd, lambda key: "4"),
        },
    )

    assessment = start(people, previous)

    perspectives = {p.name: p for p in assessment.perspectives.prefetch_related("members")}
    assert set(perspectives) == {"Communicatiedienst", "Directie", "Jeugddienst"}
    assert list(perspectives["Directie"].members.all()) == [directie]
    assert list(perspectives["Jeugddienst"].members.all()) == [jeugd]
    for name, expected in (("Communicatiedienst", value_of), ("Directie", lambda k: "1")):
        answers = Answer.objects.filter(perspective=perspectives[name]).select_related("criterion")
        assert {a.criterion.key: a.value for a in answers} == {
            a.criterion.key: expected(a.criterion.key) for a in answers
        }
        assert len(answers) == 12
    assert set(
        Answer.objects.filter(perspective=perspectives["Jeugddienst"]).values_list(
            "value", flat=True
        )
    ) == {"4"}


# --- refused starts -----------------------------------------------------------------------------


def test_carrying_from_a_draft_is_refused(people, first_version):
    draft = assessment_create(organisation=people.organisation, user=people.respondent, title="X")
    answer_all(draft, people.respondent, {1: "1", 2: "2", 3: "3", 4: "4"})

    with pytest.raises(CarryFromDraftError):
        start(people, draft)

    assert Assessment.objects.count() == 1


def test_carrying_from_another_organisations_assessment_is_refused_and_creates_nothing(
    people, previous
):
    other = MembershipFactory(role=Membership.Role.ADMIN)
    theirs = assessment_create(organisation=other.organisation, user=other.user, title="Van hen")
    answer_all(theirs, other.user, {1: "4", 2: "4", 3: "4", 4: "4"})
    theirs = assessment_submit(assessment=theirs, user=other.user)
    counts = (Assessment.objects.count(), Answer.objects.count(), AnswerChange.objects.count())

    with pytest.raises(NotAllowedError):
        start(people, theirs)

    assert (Assessment.objects.count(), Answer.objects.count(), AnswerChange.objects.count()) == (
        counts
    )


def test_the_start_form_refuses_a_forged_start_from_and_creates_nothing(
    people, previous, client_for
):
    other = MembershipFactory(role=Membership.Role.ADMIN)
    theirs = assessment_create(organisation=other.organisation, user=other.user, title="Van hen")
    count = Assessment.objects.count()

    response = client_for(people.respondent).post(
        reverse("assessments:new"), {"title": "Vervalst", "start_from": str(theirs.pk)}
    )

    # Only the organisation's latest submitted assessment can be started from: another
    # organisation's is not found (404), and nothing is created.
    assert response.status_code == 404
    assert Assessment.objects.count() == count


def test_the_start_form_starts_from_the_previous_one_by_default(people, previous, client_for):
    client = client_for(people.respondent)
    form = client.get(reverse("assessments:new")).context["form"]
    assert form["start_from"].value() == previous.pk

    response = client.post(
        reverse("assessments:new"), {"title": "Hermeting", "start_from": str(previous.pk)}
    )

    new = Assessment.objects.get(title="Hermeting")
    assert response.status_code == 302
    assert new.started_from == previous
    assert len(carried(new)) == 12


def test_the_start_form_can_start_empty(people, previous, client_for):
    client_for(people.respondent).post(
        reverse("assessments:new"), {"title": "Leeg", "start_from": ""}
    )

    new = Assessment.objects.get(title="Leeg")
    assert new.started_from is None
    assert not carried(new)


# --- confirming ---------------------------------------------------------------------------------


def test_confirming_one_answer_confirms_only_that_one_with_an_audit_row(people, previous):
    assessment = start(people, previous)

    confirmed = answers_confirm(
        assessment=assessment, user=people.admin, criterion_keys=["crit-001"]
    )

    answers = carried(assessment)
    assert confirmed == ["crit-001"]
    assert not answers["crit-001"].to_confirm
    assert answers["crit-001"].value == value_of("crit-001")
    assert sum(a.to_confirm for a in answers.values()) == 11
    [row] = AnswerChange.objects.filter(assessment=assessment, source="confirmed")
    assert (row.criterion.key, row.old_value, row.new_value, row.changed_by) == (
        "crit-001",
        value_of("crit-001"),
        value_of("crit-001"),
        people.admin,
    )


def test_confirming_twice_is_a_no_op(people, previous):
    assessment = start(people, previous)
    answers_confirm(assessment=assessment, user=people.admin, criterion_keys=["crit-001"])

    again = answers_confirm(assessment=assessment, user=people.admin, criterion_keys=["crit-001"])

    assert again == []
    assert AnswerChange.objects.filter(assessment=assessment, source="confirmed").count() == 1


def test_changing_a_carried_answer_clears_to_confirm(people, previous):
    assessment = start(people, previous)
    answer = carried(assessment)["crit-001"]
    criterion = Criterion.objects.get(pk=answer.criterion_id)

    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[
            AnswerInput(criterion=criterion, value="0", comment="", loaded_revision=answer.revision)
        ],
    )

    assert not carried(assessment)["crit-001"].to_confirm


def test_submitting_waits_until_every_carried_answer_is_confirmed_or_changed(people, previous):
    assessment = start(people, previous)
    answers_confirm(
        assessment=assessment,
        user=people.respondent,
        criterion_keys=[f"crit-{i:03d}" for i in range(1, 12)],
    )

    with pytest.raises(AnswersToConfirmError) as refused:
        assessment_submit(assessment=assessment, user=people.respondent)

    assert refused.value.missing == ["crit-012"]
    assert isinstance(refused.value, AssessmentIncompleteError)
    last = carried(assessment)["crit-012"]
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[
            AnswerInput(
                criterion=last.criterion, value="3", comment="", loaded_revision=last.revision
            )
        ],
    )
    submitted = assessment_submit(assessment=assessment, user=people.respondent)
    assert not submitted.is_draft


def test_confirming_on_a_submitted_assessment_is_refused(people, previous):
    assessment = start(people, previous)
    confirm_all(assessment, people.respondent)
    assessment_submit(assessment=assessment, user=people.respondent)

    with pytest.raises(AssessmentLockedError):
        answers_confirm(assessment=assessment, user=people.respondent, criterion_keys=["crit-001"])


def test_a_viewer_cannot_confirm(people, previous):
    assessment = start(people, previous)

    with pytest.raises(NotAllowedError):
        answers_confirm(assessment=assessment, user=people.viewer, criterion_keys=["crit-001"])

    assert carried(assessment)["crit-001"].to_confirm


# --- confirming on the step page ----------------------------------------------------------------


def test_the_step_page_shows_carried_answers_to_confirm(people, previous):
    assessment = start(people, previous)

    response = english_client(people.respondent).get(step_url(assessment, 1))

    page = response.content.decode()
    assert page.count('name="confirm" value="crit-') == 4
    assert "Confirm this step (4 answers)" in page
    assert "To confirm" in page


def test_the_confirm_button_of_a_criterion_confirms_it(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))

    response = client.post(step_url(assessment, 1), data | {"confirm": "crit-002"})

    assert response.status_code == 302
    assert response.url == step_url(assessment, 1)
    assert [k for k, a in carried(assessment).items() if not a.to_confirm] == ["crit-002"]
    assert "1 answer confirmed." in [str(m) for m in get_messages(response.wsgi_request)]


def test_confirm_this_step_confirms_the_steps_answers_and_keeps_a_changed_one(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))
    data["crit-001-value"] = "0"  # changed while confirming the rest

    response = client.post(step_url(assessment, 1), data | {"action": "confirm_step"})

    assert response.status_code == 302
    answers = carried(assessment)
    step = keys_of_step(assessment, 1)
    assert [k for k in step if answers[k].to_confirm] == []
    assert answers["crit-001"].value == "0"
    assert all(answers[k].to_confirm for k in answers if k not in step)
    sources = AnswerChange.objects.filter(assessment=assessment).exclude(source="carried")
    assert sorted(sources.values_list("criterion__key", "source")) == [
        ("crit-001", "form"),
        ("crit-002", "confirmed"),
        ("crit-003", "confirmed"),
        ("crit-004", "confirmed"),
    ]


def test_a_carried_answer_counts_in_the_progress_only_once_confirmed(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    before = client.get(step_url(assessment, 1)).context["answered"]
    answers_confirm(assessment=assessment, user=people.respondent, criterion_keys=["crit-001"])

    after = client.get(step_url(assessment, 1)).context["answered"]

    assert (before, after) == (0, 1)


def test_confirming_on_the_step_page_of_a_submitted_assessment_is_a_conflict(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))
    confirm_all(assessment, people.respondent)
    assessment_submit(assessment=assessment, user=people.respondent)
    changes = AnswerChange.objects.count()

    response = client.post(step_url(assessment, 1), data | {"action": "confirm_step"})

    # Nothing changes; the page says the assessment was submitted meanwhile and links the report.
    assert response.status_code == 409
    assert reverse("reports:report", args=[assessment.pk]) in response.content.decode()
    assert "submitted meanwhile" in response.content.decode()
    assert AnswerChange.objects.count() == changes


def test_the_review_page_lists_what_is_still_to_confirm_and_submitting_waits(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    url = reverse("assessments:review", args=[assessment.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"confirm": "yes"})

    assert "Still to confirm" in page
    assert "Statement 12" in page
    assert response.status_code == 200
    assert Assessment.objects.get(pk=assessment.pk).is_draft
    assert "12 carried-over answers still need confirming." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


# --- comparable-only deltas ---------------------------------------------------------------------


@pytest.fixture
def compared(people, first_version):
    """Meting 2026 all "2" on version 1; version 2 adds crit-nieuw to dimension 1 (phase 1);
    the re-assessment confirms every carried answer and answers the new one "4"."""
    before = submitted_with(people, "Meting 2026", lambda key: "2")
    next_version(first_version, add={"crit-nieuw": "crit-001"})
    assessment = start(people, before)
    confirm_all(assessment, people.respondent)
    new = Criterion.objects.get(version=assessment.model_version, key="crit-nieuw")
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[AnswerInput(criterion=new, value="4", comment="", loaded_revision=0)],
    )
    return before, assessment_submit(assessment=assessment, user=people.respondent)


def test_a_new_criterion_does_not_move_the_dimension_delta(compared):
    before, after = compared
    stored_before = {d["key"]: d["index"] for d in before.result["dimensions"]}
    stored_after = {d["key"]: d["index"] for d in after.result["dimensions"]}
    # The new criterion's "4" did raise dimension 1's index …
    assert stored_after["dim-1"] != stored_before["dim-1"]

    report = reports.report_build(assessment=after)

    # … yet compared on the comparable criteria alone, nothing changed.
    assert {row.dimension.key: row.delta for row in report.dimensions} == {
        "dim-1": 0.0,
        "dim-2": 0.0,
        "dim-3": 0.0,
    }
    assert report.summary.change.index_delta == 0.0
    assert [c.key for c in report.only_in_current] == ["crit-nieuw"]
    assert report.only_in_previous == ()


def test_the_report_says_how_many_questions_are_new_and_not_compared(people, compared, client_for):
    _before, after = compared

    page = client_for(people.respondent).get(reverse("reports:report", args=[after.pk]))

    content = " ".join(page.content.decode().split())
    assert "1 vraag nieuw, niet vergeleken: “Nieuwe stelling crit-nieuw”" in content


def test_result_json_names_the_comparison(people, compared, client_for):
    before, after = compared
    client = client_for(people.respondent)

    data = client.get(reverse("reports:result_json", args=[after.pk])).json()
    first = client.get(reverse("reports:result_json", args=[before.pk])).json()

    assert data["comparison"] == {
        "previous_assessment": {
            "id": before.pk,
            "title": "Meting 2026",
            "submitted_at": before.submitted_at.isoformat(),
        },
        "comparable_criteria": 12,
        "new_criteria": ["crit-nieuw"],
        "removed_criteria": [],
    }
    assert first["comparison"] is None


def test_result_json_counts_a_replaced_and_a_removed_criterion(
    people, first_version, previous, client_for
):
    next_version(first_version, rename={"crit-002": "crit-twee"}, remove=("crit-005",))
    assessment = start(people, previous)
    confirm_all(assessment, people.respondent)
    assessment = assessment_submit(assessment=assessment, user=people.respondent)

    data = client_for(people.respondent).get(reverse("reports:result_json", args=[assessment.pk]))

    comparison = data.json()["comparison"]
    assert (comparison["comparable_criteria"], comparison["new_criteria"]) == (11, [])
    assert comparison["removed_criteria"] == ["crit-005"]


def test_a_submit_between_saving_and_confirming_goes_to_the_report_not_a_500(people, previous):
    assessment = start(people, previous)
    client = english_client(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))

    with mock.patch(
        "assessments.views.questionnaire.answers_confirm", side_effect=AssessmentLockedError
    ):
        response = client.post(step_url(assessment, 1), data | {"action": "confirm_step"})

    assert response.status_code == 302
    assert response.url == reverse("reports:report", args=[assessment.pk])


def test_with_perspectives_the_review_counts_a_criterion_once_every_carried_answer_is_confirmed(
    people, first_version, client_for
):
    directie = MembershipFactory(organisation=people.organisation, role=Membership.Role.RESPONDENT)
    previous = submitted_with(
        people, "Meting 2026", value_of, perspectives={"Directie": (directie, lambda k: "1")}
    )
    assessment = start(people, previous)
    client = client_for(people.respondent)
    url = reverse("assessments:review", args=[assessment.pk])
    communicatie = assessment.perspectives.get(name="Communicatiedienst")
    answers_confirm(
        assessment=assessment,
        user=people.respondent,
        criterion_keys=["crit-001"],
        perspective_id=communicatie.pk,
    )
    before = client.get(url).context["answered"]

    confirm_all(assessment, people.respondent)

    assert (before, client.get(url).context["answered"]) == (0, 12)
