"""Services check the role they need themselves and refuse with named errors."""

import pytest

from assessments.models import Membership
from assessments.services import (
    AnswerInput,
    InvitationUnusableError,
    LastAdminError,
    NotAllowedError,
    answers_save,
    assessment_create,
    assessment_reopen,
    assessment_submit,
    invitation_accept,
    invitation_create,
    membership_remove,
)
from maturity.selectors import model_version_structure
from tests.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _draft(people):
    return assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting"
    )


def _one_answer(assessment):
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    return [AnswerInput(criterion=criterion, value="2", comment="", loaded_revision=0)]


def test_viewer_cannot_start_an_assessment(people, default_model):
    with pytest.raises(NotAllowedError):
        assessment_create(organisation=people.organisation, user=people.viewer, title="Meting")


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_only_answerers_of_the_organisation_can_save_answers(people, default_model, who):
    assessment = _draft(people)
    user = people.viewer if who == "viewer" else UserFactory()
    with pytest.raises(NotAllowedError):
        answers_save(assessment=assessment, user=user, answers=_one_answer(assessment))
    assert not assessment.answers.exists()


def test_viewer_cannot_submit(people, default_model):
    assessment = _draft(people)
    answer_all(assessment, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    with pytest.raises(NotAllowedError):
        assessment_submit(assessment=assessment, user=people.viewer)
    assessment.refresh_from_db()
    assert assessment.is_draft


def test_respondent_cannot_reopen(people, default_model):
    assessment = submitted_assessment(people, "Meting", {1: "4", 2: "3", 3: "2", 4: "1"})
    with pytest.raises(NotAllowedError):
        assessment_reopen(assessment=assessment, user=people.respondent)
    assessment.refresh_from_db()
    assert not assessment.is_draft


def test_respondent_cannot_invite(people):
    with pytest.raises(NotAllowedError):
        invitation_create(
            organisation=people.organisation,
            invited_by=people.respondent,
            email="nieuw@example.be",
            role=Membership.Role.VIEWER,
            accept_url="https://example.be/TOKEN",
        )
    assert not people.organisation.invitations.exists()


def test_respondent_cannot_remove_a_member(people):
    target = Membership.objects.get(organisation=people.organisation, user=people.viewer)
    with pytest.raises(NotAllowedError):
        membership_remove(membership=target, removed_by=people.respondent)
    assert Membership.objects.filter(pk=target.pk).exists()


def test_the_last_admin_cannot_be_removed(people):
    target = Membership.objects.get(organisation=people.organisation, user=people.admin)
    with pytest.raises(LastAdminError):
        membership_remove(membership=target, removed_by=people.admin)
    assert Membership.objects.filter(pk=target.pk).exists()


def test_one_of_two_admins_can_be_removed(people):
    second = MembershipFactory(organisation=people.organisation, role=Membership.Role.ADMIN)
    membership_remove(membership=second, removed_by=people.admin)
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_an_accepted_invitation_cannot_be_used_again(people):
    invitation = invitation_create(
        organisation=people.organisation,
        invited_by=people.admin,
        email="nieuw@example.be",
        role=Membership.Role.VIEWER,
        accept_url="https://example.be/TOKEN",
    )
    invitation_accept(invitation=invitation, user=UserFactory())
    with pytest.raises(InvitationUnusableError):
        invitation_accept(invitation=invitation, user=UserFactory())
