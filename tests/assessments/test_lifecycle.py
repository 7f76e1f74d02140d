"""An assessment's life cycle (issue 29, item 3): delete a draft, mark a test, baselines, a
running draft, deadlines; the services' rules, the pages, who may use them, their queries."""

import datetime
import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, Perspective
from assessments.selectors import (
    organisation_baselines,
    organisation_history_signature,
    organisation_latest_submitted,
    organisation_submitted_assessments,
)
from assessments.services import (
    AssessmentLockedError,
    CarryFromTestError,
    NotAllowedError,
    NotSubmittedError,
    TitleMismatchError,
    assessment_create,
    assessment_delete,
    assessment_mark_test,
    assessment_set_deadline,
    perspective_create,
    reassessment_start,
)
from tests.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    """The English pages leave English active in this thread: the next test starts in Dutch."""
    yield
    translation.deactivate()


VALUES = {1: "4", 2: "3", 3: "2", 4: "1"}


def client_in(user, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.fixture
def history(default_model, people) -> list[Assessment]:
    """Meting 2026 (counts), then Meting leeg (test), submitted later and marked as a test."""
    counted = submitted_assessment(people, "Meting 2026", VALUES)
    test = submitted_assessment(people, "Meting leeg (test)", {1: "0", 2: "0", 3: "0", 4: "0"})
    assessment_mark_test(assessment=test, user=people.admin, is_test=True)
    return [counted, test]


# --- deleting a draft ------------------------------------------------------------------------


def test_an_admin_deletes_a_draft_with_its_perspectives_and_answers(people, draft):
    answer_all(draft, people.respondent, VALUES)
    perspective_create(assessment=draft, user=people.admin, name="Directie")

    deleted = assessment_delete(assessment=draft, user=people.admin, typed_title=" nulmeting 2026")

    assert (deleted.title, deleted.perspectives) == ("Nulmeting 2026", 2)
    assert deleted.answers == draft.model_version.criteria.count()
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(assessment_id=draft.pk).exists()
    assert not Perspective.objects.filter(assessment_id=draft.pk).exists()
    assert not AnswerChange.objects.filter(assessment_id=draft.pk).exists()


def test_a_draft_is_deleted_only_when_its_title_is_typed(people, draft):
    with pytest.raises(TitleMismatchError):
        assessment_delete(assessment=draft, user=people.admin, typed_title="Nulmeting")

    assert Assessment.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_an_admin_deletes_a_draft(people, draft, role):
    with pytest.raises(NotAllowedError):
        assessment_delete(assessment=draft, user=getattr(people, role), typed_title=draft.title)

    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_a_submitted_assessment_is_never_deleted(people, submitted):
    with pytest.raises(AssessmentLockedError):
        assessment_delete(assessment=submitted, user=people.admin, typed_title=submitted.title)

    assert Assessment.objects.filter(pk=submitted.pk).exists()


def test_a_deletion_is_written_to_the_audit_log(people, draft, caplog):
    with caplog.at_level(logging.INFO, logger="groeipad.audit"):
        assessment_delete(assessment=draft, user=people.admin, typed_title=draft.title)

    assert f"assessment deleted: id={draft.pk}" in caplog.text
    assert f"by user={people.admin.pk}" in caplog.text


def test_the_delete_page_deletes_after_the_title_is_typed(people, draft):
    client = client_in(people.admin)
    url = reverse("assessments:delete", args=[draft.pk])

    wrong = client.post(url, {"typed_title": "Iets anders"})
    right = client.post(url, {"typed_title": "Nulmeting 2026"})

    assert wrong.status_code == 400
    assert "That is not the title of this assessment" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == reverse("dashboard")
    assert not Assessment.objects.filter(pk=draft.pk).exists()


# --- a test: out of the history, the trend, the baselines; readable; restorable --------------


def test_a_test_leaves_the_history_and_the_baselines(people, history):
    counted, test = history
    organisation_id = people.organisation.pk
    membership = people.admin.memberships.get()

    assert organisation_submitted_assessments(organisation_id=organisation_id) == [counted]
    assert organisation_latest_submitted(organisation_id=organisation_id) == counted
    assert organisation_baselines(membership=membership) == [counted]
    assert AssessmentEvent.objects.filter(
        assessment=test, kind=AssessmentEvent.Kind.MARKED_TEST, user=people.admin
    ).exists()


def test_a_test_is_never_the_default_baseline_of_a_reassessment(people, history):
    counted, _test = history
    client = client_in(people.respondent)

    page = client.get(reverse("assessments:new")).content.decode()
    response = client.post(
        reverse("assessments:new"), {"title": "Hermeting 2027", "start_from": str(counted.pk)}
    )

    assert "Meting leeg (test)" not in page
    assert re.search(rf'<input[^>]*value="{counted.pk}"[^>]*checked', page)
    created = Assessment.objects.get(title="Hermeting 2027")
    assert response.status_code == 302
    assert created.started_from == counted


def test_a_test_cannot_be_started_from(people, history):
    _counted, test = history
    test.refresh_from_db()

    with pytest.raises(CarryFromTestError):
        reassessment_start(
            organisation=people.organisation, user=people.admin, title="X", start_from=test
        )
    forged = client_in(people.respondent).post(
        reverse("assessments:new"), {"title": "X", "start_from": str(test.pk)}
    )
    assert forged.status_code == 404
    assert not Assessment.objects.filter(title="X").exists()


def test_the_team_chooses_an_older_baseline(people, default_model):
    older = submitted_assessment(people, "Meting 2025", VALUES)
    latest = submitted_assessment(people, "Meting 2026", VALUES)
    client = client_in(people.respondent)

    page = client.get(reverse("assessments:new")).content.decode()
    client.post(reverse("assessments:new"), {"title": "Hermeting", "start_from": str(older.pk)})

    assert page.index("Meting 2026") < page.index("Meting 2025")  # newest first, the default
    assert Assessment.objects.get(title="Hermeting").started_from == older
    assert latest.pk != older.pk


def test_a_test_stays_readable_and_says_so_on_the_dashboard(people, history):
    _counted, test = history
    client = client_in(people.viewer)

    report = client.get(reverse("reports:report", args=[test.pk]))
    dashboard = client.get(reverse("dashboard")).content.decode()

    assert report.status_code == 200
    assert "This assessment is left out of the history" in report.content.decode()
    assert "Test – does not count" in dashboard


def test_a_restored_test_counts_again(people, history):
    counted, test = history

    assessment_mark_test(assessment=test, user=people.admin, is_test=False)

    assert organisation_submitted_assessments(organisation_id=people.organisation.pk) == [
        counted,
        test,
    ]
    assert AssessmentEvent.objects.filter(
        assessment=test, kind=AssessmentEvent.Kind.RESTORED
    ).exists()


def test_marking_and_restoring_change_the_history_signature(people, history):
    _counted, test = history
    seen = {organisation_history_signature(organisation_id=people.organisation.pk)}

    assessment_mark_test(assessment=test, user=people.admin, is_test=False)
    seen.add(organisation_history_signature(organisation_id=people.organisation.pk))
    assessment_mark_test(assessment=test, user=people.admin, is_test=True)
    seen.add(organisation_history_signature(organisation_id=people.organisation.pk))

    assert len(seen) == 3


def test_a_test_leaves_the_report_of_a_later_assessment(people, history):
    _counted, _test = history
    later = submitted_assessment(people, "Hermeting 2027", VALUES)

    page = client_in(people.viewer).get(reverse("reports:report", args=[later.pk]))

    assert "Meting 2026" in page.content.decode()
    assert "Meting leeg (test)" not in page.content.decode()


def test_a_draft_cannot_be_marked_as_a_test(people, draft):
    with pytest.raises(NotSubmittedError):
        assessment_mark_test(assessment=draft, user=people.admin, is_test=True)


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_an_admin_marks_a_test(people, submitted, role):
    with pytest.raises(NotAllowedError):
        assessment_mark_test(assessment=submitted, user=getattr(people, role), is_test=True)


def test_the_manage_page_marks_and_restores(people, submitted):
    client = client_in(people.admin)
    url = reverse("assessments:manage", args=[submitted.pk])

    client.post(url, {"action": "mark_test"})
    submitted.refresh_from_db()
    assert submitted.is_test
    assert "Count it again" in client.get(url).content.decode()
    client.post(url, {"action": "restore"})
    submitted.refresh_from_db()
    assert not submitted.is_test


# --- a second draft asks first -----------------------------------------------------------------


def test_a_second_draft_on_the_same_model_asks_first(people, draft):
    client = client_in(people.respondent)
    url = reverse("assessments:new")

    page = client.get(url).content.decode()
    refused = client.post(url, {"title": "Hermeting 2027"})

    assert "An assessment is already running: Nulmeting 2026 — continue filling it in?" in page
    assert reverse("assessments:detail", args=[draft.pk]) in page
    assert refused.status_code == 409
    assert not Assessment.objects.filter(title="Hermeting 2027").exists()


def test_the_question_reads_in_dutch(people, draft):
    page = client_in(people.respondent, "nl-be").get(reverse("assessments:new")).content.decode()

    assert "Er loopt al een meting: Nulmeting 2026 — verder invullen?" in page


def test_a_second_draft_starts_when_asked_explicitly(people, draft):
    response = client_in(people.respondent).post(
        reverse("assessments:new"), {"title": "Hermeting 2027", "start_anyway": "yes"}
    )

    assert response.status_code == 302
    assert Assessment.objects.filter(title="Hermeting 2027", status="draft").exists()


def test_no_question_once_the_draft_is_submitted(people, submitted):
    response = client_in(people.respondent).post(
        reverse("assessments:new"), {"title": "Hermeting 2027", "start_from": ""}
    )

    assert response.status_code == 302


# --- deadlines ----------------------------------------------------------------------------------


def test_a_drafts_deadline_shows_on_the_dashboard(people, draft):
    assessment_set_deadline(assessment=draft, user=people.admin, deadline=datetime.date(2027, 3, 1))

    with translation.override("en"):
        page = client_in(people.respondent).get(reverse("dashboard")).content.decode()
        shown = date_format(datetime.date(2027, 3, 1), "DATE_FORMAT")

    assert f"deadline {shown}" in page


def test_only_an_admin_sets_a_drafts_deadline(people, draft):
    with pytest.raises(NotAllowedError):
        assessment_set_deadline(
            assessment=draft, user=people.respondent, deadline=datetime.date(2027, 3, 1)
        )


def test_the_manage_page_saves_a_deadline(people, draft):
    client_in(people.admin).post(
        reverse("assessments:manage", args=[draft.pk]),
        {"action": "deadline", "deadline": "2027-03-01"},
    )

    draft.refresh_from_db()
    assert draft.deadline == datetime.date(2027, 3, 1)


def test_a_perspectives_deadline_shows_on_its_card_and_the_contributors(people, draft):
    contributor = MembershipFactory(organisation=people.organisation, role="contributor")
    perspective = draft.perspectives.get()
    client = client_in(people.respondent)
    client.post(
        reverse("assessments:perspective_edit", args=[draft.pk, perspective.pk]),
        {"name": perspective.name, "members": [contributor.pk], "deadline": "2027-02-15"},
    )

    cards = client.get(reverse("assessments:perspectives", args=[draft.pk])).content.decode()
    own = client_in(contributor.user).get(reverse("dashboard")).content.decode()

    perspective.refresh_from_db()
    assert perspective.deadline == datetime.date(2027, 2, 15)
    assert "Deadline: 15 February 2027" in cards
    assert "Deadline: 15 February 2027" in own
    assert "0 of" in own  # the contributor's card shows progress too


# --- who may open the pages ----------------------------------------------------------------------

ADMIN_PAGES = ("assessments:manage", "assessments:delete")


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_pages_send_anonymous_visitors_to_log_in(draft, name):
    response = Client().get(reverse(name, args=[draft.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", (*ADMIN_PAGES, "assessments:version"))
def test_another_organisations_assessment_is_not_found(draft, stranger, name):
    for method in ("get", "post"):
        response = getattr(client_in(stranger), method)(reverse(name, args=[draft.pk]))
        assert response.status_code == 404
    assert Assessment.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_the_admin_pages_refuse_other_roles(people, draft, name, role):
    client = client_in(getattr(people, role))
    url = reverse(name, args=[draft.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"typed_title": draft.title, "action": "deadline"}).status_code == 403
    assert Assessment.objects.filter(pk=draft.pk).exists()


def test_a_contributor_cannot_manage(people, draft):
    contributor = MembershipFactory(organisation=people.organisation, role="contributor")
    draft.perspectives.get().members.add(contributor)

    response = client_in(contributor.user).get(reverse("assessments:manage", args=[draft.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_an_admin_opens_the_admin_pages(people, draft, name):
    assert client_in(people.admin).get(reverse(name, args=[draft.pk])).status_code == 200


def test_the_version_page_refuses_a_viewer(people, draft):
    response = client_in(people.viewer).get(reverse("assessments:version", args=[draft.pk]))

    assert response.status_code == 403


# --- queries do not grow with the history --------------------------------------------------------


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["assessments:new", "dashboard"])
def test_the_starting_pages_queries_do_not_grow_with_the_history(people, default_model, name):
    client = client_in(people.admin)
    submitted_assessment(people, "Meting 1", VALUES)
    few = count_queries(client, reverse(name))
    for number in range(2, 6):
        test = submitted_assessment(people, f"Meting {number}", VALUES)
    assessment_mark_test(assessment=test, user=people.admin, is_test=True)
    assessment_create(organisation=people.organisation, user=people.admin, title="Lopend")

    assert count_queries(client, reverse(name)) <= few + 1  # + the running draft's prompt


def test_the_manage_and_delete_pages_take_a_fixed_number_of_queries(
    people, draft, django_assert_max_num_queries
):
    client = client_in(people.admin)
    answer_all(draft, people.respondent, VALUES)
    client.get(reverse("dashboard"))  # the session is written once after logging in
    # session, user, memberships, the assessment (+ its perspectives), the answers counted
    with django_assert_max_num_queries(5):
        client.get(reverse("assessments:delete", args=[draft.pk]))
    with django_assert_max_num_queries(4):
        client.get(reverse("assessments:manage", args=[draft.pk]))


def test_a_reassessment_compares_with_the_baseline_it_started_from(people, default_model):
    older = submitted_assessment(people, "Meting 2025", VALUES)
    submitted_assessment(people, "Meting 2026", VALUES)
    hermeting = reassessment_start(
        organisation=people.organisation, user=people.admin, title="Hermeting", start_from=older
    )

    page = client_in(people.admin).get(reverse("reports:report", args=[hermeting.pk]))

    assert page.context["report"].previous == older
