"""Perspectives' services: add, rename and assign, delete, settle the consensus, submit, reopen."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    ConsensusAnswer,
    Membership,
    Perspective,
)
from assessments.perspective_selectors import AnswerState, assessment_answer_states
from assessments.services import (
    MAX_PERSPECTIVES,
    AssessmentLockedError,
    ConsensusNotNeededError,
    LastPerspectiveError,
    NotAllowedError,
    PerspectiveNameTakenError,
    PerspectiveNotFoundError,
    TooManyPerspectivesError,
    assessment_reopen,
    assessment_score_answers,
    assessment_submit,
    consensus_save,
    perspective_create,
    perspective_delete,
    perspective_update,
)
from tests.factories import MembershipFactory
from tests.perspectives import (
    add_perspective,
    answer,
    answer_every,
    contributor_for,
    criteria,
    first_perspective,
    small_draft,
    values_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(people) -> Assessment:
    return small_draft(people)


def names(assessment: Assessment) -> list[str]:
    return list(assessment.perspectives.order_by("pk").values_list("name", flat=True))


def settle(assessment, user, criterion, value, *, revision=0, note="besproken op 12/3"):
    return consensus_save(
        assessment=assessment,
        user=user,
        criterion=criterion,
        value=value,
        note=note,
        loaded_revision=revision,
        previous_value="",
    )


def scored_as(assessment, value: str) -> dict:
    """The result of every criterion answered with ``value``, from the same scoring service."""
    answers = {c.pk: AnswerState(value, "", 1) for c in criteria(assessment)}
    return assessment_score_answers(assessment=assessment, answers=answers).to_dict()


# Create


def test_a_new_assessment_has_one_default_perspective(assessment):
    assert names(assessment) == [Perspective.DEFAULT_NAME]


def test_create_trims_the_name(people, assessment):
    perspective = perspective_create(
        assessment=assessment, user=people.respondent, name="  Directie "
    )
    assert perspective.name == "Directie"
    assert perspective.created_by == people.respondent


def test_create_refuses_a_name_taken_in_another_case(people, assessment):
    add_perspective(assessment, people.respondent, "Directie")
    with pytest.raises(PerspectiveNameTakenError):
        perspective_create(assessment=assessment, user=people.admin, name="DIRECTIE")
    with pytest.raises(PerspectiveNameTakenError):
        perspective_create(assessment=assessment, user=people.admin, name=" communicatiedienst")
    assert names(assessment) == [Perspective.DEFAULT_NAME, "Directie"]


def test_the_same_name_may_be_used_in_another_assessment(people, assessment):
    other = small_draft(people, title="Andere meting")
    add_perspective(assessment, people.respondent, "Directie")
    add_perspective(other, people.respondent, "Directie")
    assert names(other) == [Perspective.DEFAULT_NAME, "Directie"]


def test_create_refuses_an_empty_name(people, assessment):
    with pytest.raises(ValidationError):
        perspective_create(assessment=assessment, user=people.respondent, name="   ")
    assert names(assessment) == [Perspective.DEFAULT_NAME]


def test_create_refuses_the_thirteenth_perspective(people, assessment):
    for number in range(2, MAX_PERSPECTIVES + 1):
        add_perspective(assessment, people.respondent, f"Dienst {number}")
    with pytest.raises(TooManyPerspectivesError):
        perspective_create(assessment=assessment, user=people.respondent, name="Dienst 13")
    assert assessment.perspectives.count() == MAX_PERSPECTIVES


def test_create_refuses_a_submitted_assessment(people, assessment):
    answer_every(assessment, people.respondent, first_perspective(assessment), "3")
    assessment_submit(assessment=assessment, user=people.respondent)
    with pytest.raises(AssessmentLockedError):
        perspective_create(assessment=assessment, user=people.admin, name="Directie")
    assert assessment.perspectives.count() == 1


@pytest.mark.parametrize("who", ["viewer", "contributor", "stranger"])
def test_create_refuses_who_may_not_answer(people, assessment, stranger, who):
    user = {
        "viewer": people.viewer,
        "stranger": stranger,
        "contributor": contributor_for(people, first_perspective(assessment)),
    }[who]
    with pytest.raises(NotAllowedError):
        perspective_create(assessment=assessment, user=user, name="Directie")
    assert assessment.perspectives.count() == 1


# Update


def test_update_renames_and_sets_the_members(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    admin = people.organisation.memberships.get(user=people.admin)

    perspective_update(
        assessment=assessment,
        perspective_id=directie.pk,
        user=people.respondent,
        name=" Directie en schepenen ",
        member_ids=[admin.pk],
    )

    directie.refresh_from_db()
    assert directie.name == "Directie en schepenen"
    assert list(directie.members.all()) == [admin]


def test_update_may_keep_the_name_in_another_case(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    perspective_update(
        assessment=assessment,
        perspective_id=directie.pk,
        user=people.respondent,
        name="DIRECTIE",
        member_ids=[],
    )
    assert names(assessment) == [Perspective.DEFAULT_NAME, "DIRECTIE"]


def test_update_refuses_another_perspectives_name(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    with pytest.raises(PerspectiveNameTakenError):
        perspective_update(
            assessment=assessment,
            perspective_id=directie.pk,
            user=people.respondent,
            name="communicatiedienst",
            member_ids=[],
        )
    assert names(assessment) == [Perspective.DEFAULT_NAME, "Directie"]


def test_update_refuses_a_member_of_another_organisation_and_changes_nothing(
    people, assessment, stranger
):
    directie = add_perspective(assessment, people.respondent, "Directie")
    ours = people.organisation.memberships.get(user=people.admin)
    theirs = stranger.memberships.get()

    with pytest.raises(NotAllowedError):
        perspective_update(
            assessment=assessment,
            perspective_id=directie.pk,
            user=people.respondent,
            name="Nieuwe naam",
            member_ids=[ours.pk, theirs.pk],
        )

    directie.refresh_from_db()
    assert directie.name == "Directie"
    assert not directie.members.exists()


def test_update_refuses_a_perspective_of_another_assessment(people, assessment):
    other = add_perspective(small_draft(people, title="Andere"), people.respondent, "Directie")
    with pytest.raises(Perspective.DoesNotExist):
        perspective_update(
            assessment=assessment,
            perspective_id=other.pk,
            user=people.respondent,
            name="Gekaapt",
            member_ids=[],
        )
    other.refresh_from_db()
    assert other.name == "Directie"


def test_update_refuses_a_viewer(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    with pytest.raises(NotAllowedError):
        perspective_update(
            assessment=assessment,
            perspective_id=directie.pk,
            user=people.viewer,
            name="Gekaapt",
            member_ids=[],
        )
    directie.refresh_from_db()
    assert directie.name == "Directie"


# Delete


def test_delete_keeps_the_answers_in_the_audit_trail(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    first, second = criteria(assessment)[:2]
    answer(assessment, people.respondent, directie, {first.key: "1", second.key: "dk"})

    count = perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.admin)

    assert count == 2
    assert not Perspective.objects.filter(pk=directie.pk).exists()
    assert not Answer.objects.filter(perspective_id=directie.pk).exists()
    trail = AnswerChange.objects.filter(assessment=assessment, source="perspective_deleted")
    assert sorted(trail.values_list("criterion__key", "old_value", "perspective_name")) == [
        (first.key, "1", "Directie"),
        (second.key, "dk", "Directie"),
    ]
    assert {change.changed_by for change in trail} == {people.admin}


def test_delete_leaves_the_other_perspectives_answers(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer_every(assessment, people.respondent, communicatie, "3")
    answer_every(assessment, people.respondent, directie, "1")

    perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.respondent)

    assert set(values_of(communicatie).values()) == {"3"}
    assert Answer.objects.filter(assessment=assessment).count() == len(criteria(assessment))


def test_the_last_perspective_cannot_be_deleted(people, assessment):
    only = first_perspective(assessment)
    answer(assessment, people.respondent, only, {criteria(assessment)[0].key: "2"})
    with pytest.raises(LastPerspectiveError):
        perspective_delete(assessment=assessment, perspective_id=only.pk, user=people.admin)
    assert values_of(only) == {criteria(assessment)[0].key: "2"}
    assert not AnswerChange.objects.filter(source="perspective_deleted").exists()


def test_with_one_perspective_left_the_settled_consensus_goes(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    settle(assessment, people.respondent, criteria(assessment)[0], "2")
    assert ConsensusAnswer.objects.filter(assessment=assessment).exists()

    perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.respondent)

    assert not ConsensusAnswer.objects.filter(assessment=assessment).exists()
    # …and the one left is the consensus again.
    answer(assessment, people.respondent, first_perspective(assessment), {"crit-001": "4"})
    assert assessment_answer_states(assessment=assessment)[criteria(assessment)[0].pk].value == "4"


def test_with_two_perspectives_left_the_settled_consensus_stays(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    add_perspective(assessment, people.respondent, "Jeugddienst")
    settle(assessment, people.respondent, criteria(assessment)[0], "2")

    perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.respondent)

    assert ConsensusAnswer.objects.filter(assessment=assessment).count() == 1


@pytest.mark.parametrize("who", ["viewer", "contributor"])
def test_delete_refuses_who_may_not_answer(people, assessment, who):
    directie = add_perspective(assessment, people.respondent, "Directie")
    user = people.viewer if who == "viewer" else contributor_for(people, directie)
    with pytest.raises(NotAllowedError):
        perspective_delete(assessment=assessment, perspective_id=directie.pk, user=user)
    assert Perspective.objects.filter(pk=directie.pk).exists()


def test_delete_refuses_a_submitted_assessment(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer_every(assessment, people.respondent, first_perspective(assessment), "3")
    answer_every(assessment, people.respondent, directie, "3")
    assessment_submit(assessment=assessment, user=people.respondent)
    with pytest.raises(AssessmentLockedError):
        perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.admin)
    assert Answer.objects.filter(perspective=directie).count() == len(criteria(assessment))


# Consensus


def test_consensus_save_stores_the_answer_its_note_and_the_trail(people, assessment):
    add_perspective(assessment, people.respondent, "Directie")
    criterion = criteria(assessment)[0]

    outcome = settle(assessment, people.respondent, criterion, "3", note="besproken op 12/3: ja")

    assert not outcome.conflict
    row = ConsensusAnswer.objects.get(assessment=assessment)
    assert (row.value, row.note, row.revision, row.from_rule) == (
        "3",
        "besproken op 12/3: ja",
        1,
        False,
    )
    change = AnswerChange.objects.get(assessment=assessment, source="consensus")
    assert (change.new_value, change.new_comment) == ("3", "besproken op 12/3: ja")


def test_consensus_save_keeps_a_colleagues_newer_answer(people, assessment):
    add_perspective(assessment, people.respondent, "Directie")
    criterion = criteria(assessment)[0]
    settle(assessment, people.admin, criterion, "4", note="van de collega")

    # The respondent loaded the page before the admin settled it (revision 0).
    outcome = settle(assessment, people.respondent, criterion, "1", revision=0)

    assert outcome.conflict
    assert (outcome.current.value, outcome.current.note) == ("4", "van de collega")
    row = ConsensusAnswer.objects.get(assessment=assessment)
    assert (row.value, row.revision) == ("4", 1)
    # With the revision they now see, the save goes through.
    assert not settle(assessment, people.respondent, criterion, "1", revision=1).conflict
    row.refresh_from_db()
    assert (row.value, row.revision) == ("1", 2)


def test_consensus_save_refuses_a_submitted_assessment(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer_every(assessment, people.respondent, first_perspective(assessment), "3")
    answer_every(assessment, people.respondent, directie, "1")
    assessment_submit(assessment=assessment, user=people.respondent)
    stored = list(ConsensusAnswer.objects.filter(assessment=assessment).values_list("value"))

    with pytest.raises(AssessmentLockedError):
        settle(assessment, people.admin, criteria(assessment)[0], "4", revision=1)

    assert (
        list(ConsensusAnswer.objects.filter(assessment=assessment).values_list("value")) == stored
    )


def test_consensus_save_with_one_perspective_is_refused(people, assessment):
    with pytest.raises(ConsensusNotNeededError):
        settle(assessment, people.respondent, criteria(assessment)[0], "3")
    assert not ConsensusAnswer.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "contributor"])
def test_consensus_save_refuses_who_may_not_answer(people, assessment, who):
    directie = add_perspective(assessment, people.respondent, "Directie")
    user = people.viewer if who == "viewer" else contributor_for(people, directie)
    with pytest.raises(NotAllowedError):
        settle(assessment, user, criteria(assessment)[0], "3")
    assert not ConsensusAnswer.objects.exists()


# Answers per perspective, submit, reopen


def test_each_perspective_answers_the_same_criterion_independently(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    key = criteria(assessment)[0].key

    answer(assessment, people.respondent, communicatie, {key: "4"})
    answer(assessment, people.admin, directie, {key: "0"})  # loaded at revision 0: no conflict

    assert values_of(communicatie) == {key: "4"}
    assert values_of(directie) == {key: "0"}
    trail = AnswerChange.objects.filter(assessment=assessment).order_by("pk")
    assert list(trail.values_list("perspective_name", "new_value")) == [
        ("Communicatiedienst", "4"),
        ("Directie", "0"),
    ]


def test_answers_into_another_assessments_perspective_are_refused(people, assessment):
    other = small_draft(people, title="Andere")
    foreign_perspective = first_perspective(other)
    with pytest.raises(PerspectiveNotFoundError):
        answer(assessment, people.respondent, foreign_perspective, {"crit-001": "2"})
    assert not Answer.objects.exists()


def test_submit_with_several_perspectives_scores_the_median(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    jeugd = add_perspective(assessment, people.respondent, "Jeugddienst")
    # Median of 4, 1 and 0: 1 everywhere; of 4 and 1 alone it would be 2 (rounded down).
    answer_every(assessment, people.respondent, communicatie, "4")
    answer_every(assessment, people.respondent, directie, "1")
    answer_every(assessment, people.respondent, jeugd, "0")

    submitted = assessment_submit(assessment=assessment, user=people.respondent)

    stored = ConsensusAnswer.objects.filter(assessment=assessment)
    assert set(stored.values_list("value", "from_rule")) == {("1", True)}
    assert stored.count() == len(criteria(assessment))
    assert submitted.result == scored_as(assessment, "1")
    assert submitted.result != scored_as(assessment, "2")


def test_submit_scores_a_settled_consensus_answer_over_the_rule(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer_every(assessment, people.respondent, communicatie, "4")
    answer_every(assessment, people.respondent, directie, "1")  # the rule: 2 everywhere
    settled = criteria(assessment)[0]
    settle(assessment, people.respondent, settled, "4", note="besproken: toch volledig")

    assessment_submit(assessment=assessment, user=people.respondent)

    rows = {row.criterion_id: row for row in ConsensusAnswer.objects.filter(assessment=assessment)}
    assert (rows[settled.pk].value, rows[settled.pk].from_rule) == ("4", False)
    others = [rows[c.pk] for c in criteria(assessment)[1:]]
    assert {(row.value, row.from_rule) for row in others} == {("2", True)}


def test_submit_refuses_a_consensus_with_a_criterion_nobody_answered(people, assessment):
    from assessments.services import AssessmentIncompleteError

    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    everything_but_last = {c.key: "3" for c in criteria(assessment)[:-1]}
    answer(assessment, people.respondent, communicatie, everything_but_last)
    answer(assessment, people.respondent, directie, everything_but_last)

    with pytest.raises(AssessmentIncompleteError) as refused:
        assessment_submit(assessment=assessment, user=people.respondent)

    assert refused.value.missing == [criteria(assessment)[-1].key]
    assert not ConsensusAnswer.objects.exists()


def test_submit_with_one_perspective_stores_no_consensus_rows(people, assessment):
    answer_every(assessment, people.respondent, first_perspective(assessment), "2")
    submitted = assessment_submit(assessment=assessment, user=people.respondent)
    assert submitted.result == scored_as(assessment, "2")
    assert not ConsensusAnswer.objects.exists()


def test_reopen_removes_the_rules_rows_and_keeps_the_settled_ones(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    answer_every(assessment, people.respondent, communicatie, "4")
    answer_every(assessment, people.respondent, directie, "1")
    settled = criteria(assessment)[0]
    settle(assessment, people.respondent, settled, "3")
    assessment_submit(assessment=assessment, user=people.respondent)

    assessment_reopen(assessment=assessment, user=people.admin, reason="Directie herziet")

    rows = ConsensusAnswer.objects.filter(assessment=assessment)
    assert list(rows.values_list("criterion_id", "value", "from_rule")) == [
        (settled.pk, "3", False)
    ]
    # The rule proposes again from the perspectives' (possibly changed) answers.
    answer(assessment, people.respondent, directie, {criteria(assessment)[1].key: "4"})
    states = assessment_answer_states(assessment=Assessment.objects.get(pk=assessment.pk))
    assert states[criteria(assessment)[1].pk].value == "4"
    assert states[settled.pk].value == "3"


def test_a_contributor_writes_only_in_their_perspective(people, assessment):
    communicatie = first_perspective(assessment)
    directie = add_perspective(assessment, people.respondent, "Directie")
    contributor = contributor_for(people, directie)
    membership = Membership.objects.get(user=contributor)
    assert membership.role == Membership.Role.CONTRIBUTOR
    assert list(membership.perspectives.all()) == [directie]

    answer(assessment, contributor, directie, {"crit-001": "2"})
    with pytest.raises(NotAllowedError):
        answer(assessment, contributor, communicatie, {"crit-001": "4"})
    with pytest.raises(NotAllowedError):
        answer(assessment, contributor, None, {"crit-001": "4"})  # the first perspective

    assert values_of(directie) == {"crit-001": "2"}
    assert values_of(communicatie) == {}


def test_a_contributor_of_a_deleted_perspective_writes_nowhere(people, assessment):
    directie = add_perspective(assessment, people.respondent, "Directie")
    contributor = contributor_for(people, directie)
    perspective_delete(assessment=assessment, perspective_id=directie.pk, user=people.respondent)
    with pytest.raises(NotAllowedError):
        answer(assessment, contributor, None, {"crit-001": "4"})
    assert not Answer.objects.exists()


def test_a_member_of_another_organisation_is_never_assigned(people, assessment):
    foreign = MembershipFactory(role=Membership.Role.CONTRIBUTOR)
    directie = add_perspective(assessment, people.respondent, "Directie")
    with pytest.raises(NotAllowedError):
        perspective_update(
            assessment=assessment,
            perspective_id=directie.pk,
            user=people.admin,
            name="Directie",
            member_ids=[foreign.pk],
        )
    with pytest.raises(NotAllowedError):
        answer(assessment, foreign.user, directie, {"crit-001": "4"})
    assert not Answer.objects.exists()
