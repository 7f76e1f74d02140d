"""The waiting page's cheap poll (a render's status by its id) and the download by render id,
shown with the PDF (the ODT and DOCX share the view).

Both exist so that one user's 12 PDF tabs cost the web workers little (docs/performance.md,
"PDFs off the web workers"): the poll is one query after the session's, the download skips the
content signature. Neither may show anything to someone who cannot see the report.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from actions.selectors import action_list_first_open
from assessments.models import Membership
from documents.renders import STALE_AFTER
from reports import renders
from reports.models import RenderedDocument, storage_name
from reports.pdf import OPEN_ACTIONS_SHOWN
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def render_of(people, assessment, *, status="queued", key="a") -> RenderedDocument:
    return RenderedDocument.objects.create(
        key=key * 64,
        assessment=assessment,
        organisation=assessment.organisation,
        requested_by=people.viewer,
        language="nl-be",
        status=status,
    )


def status_url(render: RenderedDocument, assessment=None) -> str:
    assessment_pk = (assessment or render.assessment).pk
    return reverse("reports:report_document_status", args=[assessment_pk, render.pk])


def pdf_url(assessment) -> str:
    return reverse("reports:report_pdf", args=[assessment.pk])


def test_the_poll_tells_how_far_the_render_is(client, people, draft):
    render = render_of(people, draft)
    client.force_login(people.viewer)

    answers = {}
    for status in ("queued", "rendering", "done", "failed"):
        RenderedDocument.objects.filter(pk=render.pk).update(status=status)
        response = client.get(status_url(render))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        answers[status] = response.json()

    assert answers["queued"] == {"status": "queued", "message": None, "document_url": None}
    assert answers["rendering"]["status"] == "rendering"
    assert answers["done"] == {
        "status": "ready",
        "message": None,
        "document_url": f"{pdf_url(draft)}?render={render.pk}",
    }
    assert answers["failed"]["status"] == "failed" and answers["failed"]["message"]


def test_a_render_that_lost_its_task_sends_the_page_to_ask_again(client, people, draft):
    render = render_of(people, draft)
    RenderedDocument.objects.filter(pk=render.pk).update(
        requested_at=timezone.now() - STALE_AFTER - timedelta(seconds=1)
    )
    client.force_login(people.viewer)

    answer = client.get(status_url(render)).json()

    assert answer == {"status": "stale", "message": None, "document_url": pdf_url(draft)}
    # Asked there again, the PDF is made (eager in tests: rendered and served at once).
    assert client.get(pdf_url(draft))["Content-Type"] == "application/pdf"


def test_the_poll_costs_one_query_after_the_session(client, people, draft):
    render = render_of(people, draft)
    client.force_login(people.viewer)
    client.get(status_url(render))  # the session's renewal, once every few minutes

    with CaptureQueriesContext(connection) as queries:
        assert client.get(status_url(render)).status_code == 200

    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in queries.captured_queries]
    assert tables == ['"django_session"', '"auth_user"', '"reports_rendereddocument"']


def test_the_poll_is_404_to_anyone_who_cannot_see_the_report(client, people, draft, submitted):
    render = render_of(people, draft)

    assert client.get(status_url(render)).status_code == 302  # to the login page
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.get(status_url(render)).status_code == 404
    contributor = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    ).user
    client.force_login(contributor)
    assert client.get(status_url(render)).status_code == 404
    client.force_login(people.viewer)
    assert client.get(status_url(render, submitted)).status_code == 404  # another assessment's
    Membership.objects.filter(user=people.viewer).delete()
    assert client.get(status_url(render)).status_code == 404


def test_the_download_by_render_id_serves_that_file_and_skips_the_signature(client, people, draft):
    render = render_of(people, draft, status="done")
    default_storage.save(storage_name(render.key, "pdf"), ContentFile(b"%PDF-1.7 the asked one"))
    client.force_login(people.viewer)
    client.get(status_url(render))  # the session's renewal

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{pdf_url(draft)}?render={render.pk}")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 the asked one"
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "actions_action" not in sql and "assessments_answer" not in sql
    assert len(queries) <= 5


def test_a_render_id_that_does_not_fit_falls_back_to_the_checked_path(
    client, people, draft, submitted
):
    other = render_of(people, submitted, status="done", key="b")
    default_storage.save(
        storage_name(other.key, "pdf"), ContentFile(b"%PDF-1.7 another assessment")
    )
    client.force_login(people.viewer)

    for asked in (str(other.pk), "x", "9" * 30):
        response = client.get(f"{pdf_url(draft)}?render={asked}")
        assert response.status_code == 200
        # Rendered for this draft (eager in tests), not the other assessment's file.
        assert response.content.startswith(b"%PDF-") and b"another" not in response.content

    Membership.objects.filter(user=people.viewer).delete()
    assert client.get(f"{pdf_url(submitted)}?render={other.pk}").status_code == 404


def test_the_waiting_page_polls_its_render_s_status_address(client, people, draft):
    client.force_login(people.viewer)
    membership = Membership.objects.get(user=people.viewer)
    with override("nl-be"):
        key = renders.report_document_key(
            assessment=draft,
            open_actions_signature=action_list_first_open(
                membership=membership, limit=OPEN_ACTIONS_SHOWN
            ).signature,
            language="nl-be",
            fmt="pdf",
        )
    waiting = RenderedDocument.objects.create(
        key=key,
        assessment=draft,
        organisation=draft.organisation,
        requested_by=people.respondent,
        language="nl-be",
    )

    page = client.get(pdf_url(draft))
    answer = client.get(pdf_url(draft), HTTP_ACCEPT="application/json")

    assert page.status_code == 202
    assert f'data-poll-url="{status_url(waiting)}"' in page.content.decode()
    assert f'data-pdf-url="{pdf_url(draft)}"' in page.content.decode()
    assert json.loads(answer.content)["status_url"] == status_url(waiting)
    assert RenderedDocument.objects.count() == 1  # the waiting render, not a second one
