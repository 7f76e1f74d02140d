"""Builders for the perspective tests: a small draft, its perspectives, their answers."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment, Invitation, Membership, Perspective
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_create,
    invitation_accept,
    invitation_create,
    perspective_create,
)
from maturity.selectors import model_version_structure
from tests.factories import UserFactory, build_model_version

ACCEPT_URL = "https://groeipad.example/invitations/TOKEN/"


def small_draft(people, *, title: str = "Meting met perspectieven") -> Assessment:
    """A draft of the people's organisation on a fresh 12-criterion model (3 steps of 4)."""
    build_model_version(criteria_count=12)
    return assessment_create(organisation=people.organisation, user=people.respondent, title=title)


def criteria(assessment: Assessment):
    return model_version_structure(version=assessment.model_version).criteria


def first_perspective(assessment: Assessment) -> Perspective:
    return assessment.perspectives.order_by("pk").first()


def add_perspective(assessment: Assessment, user, name: str) -> Perspective:
    return perspective_create(assessment=assessment, user=user, name=name)


def answer(assessment: Assessment, user, perspective: Perspective | None, values: dict) -> None:
    """Answer criteria (by key) in one perspective, each loaded as it is now."""
    by_key = {c.key: c for c in criteria(assessment)}
    current = {}
    if perspective is not None:
        current = {
            a.criterion.key: a.revision
            for a in Answer.objects.filter(perspective=perspective).select_related("criterion")
        }
    outcome = answers_save(
        assessment=assessment,
        user=user,
        perspective_id=perspective.pk if perspective else None,
        answers=[
            AnswerInput(
                criterion=by_key[key], value=value, comment="", loaded_revision=current.get(key, 0)
            )
            for key, value in values.items()
        ],
    )
    assert not outcome.conflicts


def answer_every(assessment: Assessment, user, perspective: Perspective, value: str) -> None:
    answer(assessment, user, perspective, {c.key: value for c in criteria(assessment)})


def values_of(perspective: Perspective) -> dict[str, str]:
    return dict(
        Answer.objects.filter(perspective=perspective).values_list("criterion__key", "value")
    )


def contributor_for(people, perspective: Perspective):
    """Invite someone into one perspective and accept: a contributor assigned to it."""
    invitation = invitation_create(
        organisation=people.organisation,
        invited_by=people.respondent,
        email="jeugd@voorbeeld.example",
        role=Membership.Role.RESPONDENT,  # the perspective makes it a contributor's invitation
        accept_url=ACCEPT_URL,
        perspective=perspective,
    )
    user = UserFactory(email=invitation.email)
    invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk), user=user)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def perspective_url(name: str, assessment: Assessment, perspective: Perspective, *args) -> str:
    return reverse(f"assessments:perspective_{name}", args=[assessment.pk, perspective.pk, *args])
