"""At most ORGANISATION_QUEUE_LIMIT report documents waiting or running per organisation: beyond
that an ask gets "try again later" (503), whoever in the organisation asks."""

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import Membership
from documents.renders import RenderQueueFullError
from reports import renders
from reports.models import RenderedDocument
from reports.renders import ORGANISATION_QUEUE_LIMIT
from tests.factories import MembershipFactory
from tests.security.test_races import in_threads

pytestmark = pytest.mark.django_db

TRY_LATER = "De PDF kan nu niet worden klaargemaakt. Probeer later opnieuw."


def viewers(organisation, count: int) -> list:
    return [
        MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER)
        for _ in range(count)
    ]


def waiting(draft, memberships) -> None:
    """A render waiting for each of these members, each of its own content."""
    for number, membership in enumerate(memberships):
        RenderedDocument.objects.create(
            key=f"{number:064x}",
            assessment=draft,
            organisation=draft.organisation,
            requested_by_id=membership.user_id,
            language="nl-be",
        )


def test_a_full_organisation_answers_try_again_later(client_for, people, draft):
    waiting(draft, viewers(people.organisation, ORGANISATION_QUEUE_LIMIT))
    client = client_for(people.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    response = client.get(reverse("reports:report_pdf", args=[draft.pk]))

    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert TRY_LATER in response.content.decode()
    assert RenderedDocument.objects.count() == ORGANISATION_QUEUE_LIMIT


def test_one_place_left_renders_the_document(client_for, people, draft):
    waiting(draft, viewers(people.organisation, ORGANISATION_QUEUE_LIMIT - 1))

    response = client_for(people.admin).get(reverse("reports:report_pdf", args=[draft.pk]))

    assert response.status_code == 200  # rendered by the (eager) worker, then served
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_parallel_asks_of_different_members_queue_no_more_than_the_bound(people, draft):
    """Six members ask at once for six different documents: LIMIT are queued, the others
    refused. The bound is counted under the organisation's row lock (PostgreSQL); SQLite runs
    IMMEDIATE transactions, one after the other."""
    members = viewers(people.organisation, 6)

    def asking(number: int, membership: Membership):
        return lambda: renders.report_document_request(
            assessment=draft,
            membership=membership,
            key=f"{number:064x}",
            language="nl-be",
            fmt="pdf",
        )[1]

    outcomes = in_threads(*(asking(n, m) for n, m in enumerate(members)))

    assert outcomes.count(True) == ORGANISATION_QUEUE_LIMIT
    assert (
        sum(isinstance(o, RenderQueueFullError) for o in outcomes) == 6 - ORGANISATION_QUEUE_LIMIT
    )
    assert RenderedDocument.objects.count() == ORGANISATION_QUEUE_LIMIT
