"""Autosave of one answer: saved with its new revision, a colleague's newer answer kept, and every
bad request refused with nothing written."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, Membership
from maturity.selectors import model_version_structure
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def first_key(assessment: Assessment) -> str:
    structure = model_version_structure(version=assessment.model_version)
    return structure.criteria_of_dimension(structure.dimensions[0])[0].key


def autosave_url(assessment: Assessment, key: str | None = None) -> str:
    return reverse("assessments:answer_save", args=[assessment.pk, key or first_key(assessment)])


def english(user, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def written(assessment: Assessment) -> tuple[int, int]:
    return (
        Answer.objects.filter(assessment=assessment).count(),
        AnswerChange.objects.filter(assessment=assessment).count(),
    )


def test_autosave_stores_the_answer_and_returns_the_new_revision_and_time(people, draft):
    client = english(people.respondent)

    response = client.post(
        autosave_url(draft), {"value": "3", "comment": "Zie nota", "revision": 0}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["revision"]) == ("saved", 1)
    assert body["message"] == f"Saved at {body['time']}"
    answer = Answer.objects.get(assessment=draft)
    assert (answer.value, answer.comment, answer.revision) == ("3", "Zie nota", 1)
    assert answer.updated_by == people.respondent
    change = AnswerChange.objects.get(assessment=draft)
    assert (change.new_value, change.source) == ("3", "autosave")


def test_autosave_with_the_returned_revision_saves_again(people, draft):
    client = english(people.respondent)
    first = client.post(autosave_url(draft), {"value": "3", "revision": 0}).json()

    second = client.post(autosave_url(draft), {"value": "4", "revision": first["revision"]})

    assert (second.status_code, second.json()["revision"]) == (200, 2)
    assert Answer.objects.get(assessment=draft).value == "4"


def test_stale_autosave_keeps_the_colleagues_answer_and_says_who(people, draft):
    colleague = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.RESPONDENT
    ).user
    colleague.first_name, colleague.last_name = "An", "Peeters"
    colleague.save()
    english(colleague).post(autosave_url(draft), {"value": "4", "comment": "", "revision": 0})

    response = english(people.respondent).post(autosave_url(draft), {"value": "1", "revision": 0})

    assert response.status_code == 409
    body = response.json()
    assert (body["status"], body["value"], body["revision"], body["who"]) == (
        "conflict",
        "4",
        1,
        "An Peeters",
    )
    assert body["message"] == "Changed by An Peeters — their answer is shown here now."
    assert Answer.objects.get(assessment=draft).value == "4"


# --- bad requests: refused, nothing written ----------------------------------------------------


@pytest.mark.parametrize(
    "role", [Membership.Role.RESPONDENT, Membership.Role.VIEWER, Membership.Role.ADMIN]
)
def test_autosave_for_another_organisation_is_a_404(draft, role):
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=role).user

    response = english(outsider).post(autosave_url(draft), {"value": "3", "revision": 0})

    assert response.status_code == 404
    assert written(draft) == (0, 0)


def test_autosave_on_a_submitted_assessment_is_a_409(people, submitted):
    before = written(submitted)
    stored = set(Answer.objects.filter(assessment=submitted).values_list("value", "revision"))

    response = english(people.respondent).post(
        autosave_url(submitted), {"value": "0", "revision": 1}
    )

    assert response.status_code == 409
    assert response.json()["status"] == "submitted"
    assert written(submitted) == before
    assert set(Answer.objects.filter(assessment=submitted).values_list("value", "revision")) == (
        stored
    )


@pytest.mark.parametrize("key", ["no-such-criterion", "x" * 60])
def test_autosave_of_an_unknown_criterion_is_a_404(people, draft, key):
    response = english(people.respondent).post(
        autosave_url(draft, key), {"value": "3", "revision": 0}
    )

    assert response.status_code == 404
    assert written(draft) == (0, 0)


@pytest.mark.parametrize(
    "data",
    [
        {"value": "5", "revision": 0},
        {"value": "-1", "revision": 0},
        {"value": "yes", "revision": 0},
        {"value": "3"},
        {"value": "3", "revision": "-1"},
        {"value": "3", "revision": "abc"},
        {"value": "3", "revision": 0, "comment": "x" * 2001},
    ],
)
def test_autosave_of_a_bad_value_is_a_400(people, draft, data):
    response = english(people.respondent).post(autosave_url(draft), data)

    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert written(draft) == (0, 0)


def test_autosave_without_a_csrf_token_is_a_403(people, draft):
    client = english(people.respondent, enforce_csrf=True)

    response = client.post(autosave_url(draft), {"value": "3", "revision": 0})

    assert response.status_code == 403
    assert written(draft) == (0, 0)


def test_autosave_with_another_sessions_csrf_token_is_a_403(people, draft):
    other = english(people.admin, enforce_csrf=True)
    other.get(reverse("assessments:step", args=[draft.pk, 1]))
    foreign_token = other.cookies[settings.CSRF_COOKIE_NAME].value
    client = english(people.respondent, enforce_csrf=True)
    client.get(reverse("assessments:step", args=[draft.pk, 1]))

    response = client.post(
        autosave_url(draft),
        {"value": "3", "revision": 0},
        headers={"X-CSRFToken": foreign_token},
    )

    assert response.status_code == 403
    assert written(draft) == (0, 0)


def test_autosave_with_the_pages_csrf_token_is_accepted(people, draft):
    client = english(people.respondent, enforce_csrf=True)
    client.get(reverse("assessments:step", args=[draft.pk, 1]))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(
        autosave_url(draft), {"value": "3", "revision": 0}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 200


def test_a_viewer_cannot_autosave(people, draft):
    response = english(people.viewer).post(autosave_url(draft), {"value": "3", "revision": 0})

    assert response.status_code == 403
    assert written(draft) == (0, 0)


def test_a_signed_out_autosave_says_so_in_json_instead_of_sending_to_the_login_page(client, draft):
    # An expired session: the page's script must recognise that nothing was saved (a fetch would
    # follow a redirect to the login form and see HTML with status 200).
    response = client.post(autosave_url(draft), {"value": "3", "revision": 0})

    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "signed_out"
    assert body["login_url"] == reverse("login")
    assert written(draft) == (0, 0)


def test_an_expired_session_is_a_401_for_the_autosave(people, draft):
    client = english(people.respondent)
    Session.objects.all().delete()

    response = client.post(autosave_url(draft), {"value": "3", "revision": 0})

    assert response.status_code == 401
    assert response.json()["status"] == "signed_out"
    assert written(draft) == (0, 0)


def test_a_stale_csrf_token_on_a_script_request_is_a_403_in_json(people, draft):
    client = english(people.respondent, enforce_csrf=True)
    client.get(reverse("assessments:step", args=[draft.pk, 1]))

    response = client.post(
        autosave_url(draft),
        {"value": "3", "revision": 0},
        headers={"X-CSRFToken": "x" * 32, "Accept": "application/json"},
    )

    assert response.status_code == 403
    assert response.json()["status"] == "csrf"
    assert "this page has expired" in response.json()["message"]
    assert written(draft) == (0, 0)


def test_a_refused_csrf_check_of_a_page_is_still_the_403_page(people, draft):
    client = english(people.respondent, enforce_csrf=True)

    response = client.post(reverse("assessments:step", args=[draft.pk, 1]), {})

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_autosave_takes_only_post(people, draft):
    response = english(people.respondent).get(autosave_url(draft))

    assert response.status_code == 405


# The save checks access in the query that locks the assessment; a request with bad fields goes
# through the usual check instead. Either way the answer is the same, in the same order.

BAD_FIELDS = {"value": "9", "revision": "x"}


def test_bad_fields_for_another_organisation_are_still_a_404(draft):
    outsider = MembershipFactory(organisation=OrganisationFactory()).user

    response = english(outsider).post(autosave_url(draft), BAD_FIELDS)

    assert response.status_code == 404
    assert written(draft) == (0, 0)


def test_bad_fields_from_a_viewer_are_still_a_403(people, draft):
    response = english(people.viewer).post(autosave_url(draft), BAD_FIELDS)

    assert response.status_code == 403


def test_bad_fields_for_a_submitted_assessment_are_still_a_409(people, submitted):
    response = english(people.respondent).post(autosave_url(submitted), BAD_FIELDS)

    assert (response.status_code, response.json()["status"]) == (409, "submitted")


def test_bad_fields_for_an_unknown_criterion_are_still_a_404(people, draft):
    response = english(people.respondent).post(autosave_url(draft, "no-such-criterion"), BAD_FIELDS)

    assert response.status_code == 404


def test_a_viewer_s_valid_autosave_on_a_submitted_assessment_is_a_403(people, submitted):
    response = english(people.viewer).post(autosave_url(submitted), {"value": "1", "revision": 1})

    assert response.status_code == 403


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_autosave_of_an_assessment_key_out_of_range_is_a_404(people, draft, pk):
    url = reverse("assessments:answer_save", args=[pk, first_key(draft)])

    response = english(people.respondent).post(url, {"value": "3", "revision": 0})

    assert response.status_code == 404
    assert written(draft) == (0, 0)
