"""Share links: an admin shares one submitted report with the college; the link's life cycle."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Membership, Organisation
from assessments.services import (
    NotAllowedError,
    assessment_create,
    assessment_reopen,
    assessment_submit,
)
from reports import renders
from reports.models import RenderedDocument, ShareLink, ShareLinkView
from reports.sharing import (
    ShareLinkDraftError,
    ShareLinkExpiryError,
    share_link_create,
    share_token_hash,
)
from tests.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory
from tests.reports.test_report import reader

pytestmark = pytest.mark.django_db


def share_url(assessment) -> str:
    return reverse("reports:share", args=[assessment.pk])


def membership(user) -> Membership:
    return Membership.objects.select_related("organisation").get(user=user)


def anonymous(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def two_assessments(people, submitted):
    """A later submitted assessment beside "Meting 2025": the one that is shared."""
    return submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "3", 4: "1"})


@pytest.fixture
def shared(people, two_assessments):
    """A link to "Meting 2026" made by the admin, and its token."""
    link, token = share_link_create(
        assessment=two_assessments, membership=membership(people.admin), note="College"
    )
    return link, token


def made_link(response) -> str:
    """The new link's address as the page shows it once."""
    match = re.search(r'id="created-link" rows="\d+" readonly>([^<]+)<', response.content.decode())
    assert match, "the page shows no new link"
    return match.group(1)


def test_the_new_link_fits_its_box_on_a_phone(people, two_assessments):
    """At 375 px a row of the monospace box holds about 33 characters; the link is about 80
    (more with a long domain): two rows cut it off, so the box has room for all of it."""
    response = reader(people.admin).post(share_url(two_assessments), {"days": "30"})

    url = made_link(response)
    rows = int(re.search(r'id="created-link" rows="(\d+)"', response.content.decode()).group(1))
    assert rows * 33 >= len(url) + 10


def test_admin_makes_a_link_shown_once_and_stored_only_as_its_hash(people, two_assessments):
    response = reader(people.admin).post(
        share_url(two_assessments), {"days": "30", "note": "College 12 January"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = made_link(response)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # token_urlsafe(32): 256 bits
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.note == "College 12 January"
    assert token not in repr(list(ShareLink.objects.values()))
    assert timedelta(days=29, hours=23) < link.expires_at - link.created_at <= timedelta(days=30)
    # The list shows the link without its address.
    listed = reader(people.admin).get(share_url(two_assessments)).content.decode()
    assert "College 12 January" in listed and token not in listed


def test_expiry_defaults_to_30_days_and_is_at_most_90(people, two_assessments):
    admin = membership(people.admin)
    link, _token = share_link_create(assessment=two_assessments, membership=admin)
    assert link.expires_at - link.created_at == timedelta(days=30)
    with pytest.raises(ShareLinkExpiryError):
        share_link_create(assessment=two_assessments, membership=admin, days=91)
    response = reader(people.admin).post(share_url(two_assessments), {"days": "91"})
    assert response.status_code == 400
    assert ShareLink.objects.count() == 1


def test_anyone_with_the_link_reads_that_report_and_nothing_else(people, two_assessments, shared):
    _link, token = shared
    response = anonymous().get(reverse("shared:report", args=[token]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meting 2026" in page
    # No data of the organisation's other assessment, no history, no action plan.
    assert "Meting 2025" not in page
    assert 'id="history"' not in page
    assert "Since last time" not in page
    # No navigation: every link stays on this shared report.
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', page)
    assert hrefs and all(h.startswith(f"/shared/{token}/") or h.startswith("#") for h in hrefs)
    assert 'name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_respondents_comments_stay_inside_the_organisation(people, default_model):
    """Comments are the team's working notes; a forwarded link carries the result without them."""
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2026"
    )
    answer_all(assessment, people.respondent, {1: "4", 2: "4", 3: "3", 4: "1"})
    Answer.objects.filter(assessment=assessment).update(comment="Vraag het aan Jan (dienst ICT)")
    assessment = assessment_submit(assessment=assessment, user=people.respondent)
    _link, token = share_link_create(assessment=assessment, membership=membership(people.admin))

    page = anonymous().get(reverse("shared:report", args=[token])).content.decode()
    own = reader(people.viewer).get(reverse("reports:report", args=[assessment.pk]))

    assert "Jan (dienst ICT)" not in page
    assert "Jan (dienst ICT)" in own.content.decode()


def test_every_view_is_counted_with_its_time_only_and_listed(people, two_assessments, shared):
    link, token = shared
    for _ in range(3):
        anonymous().get(reverse("shared:report", args=[token]))

    views = ShareLinkView.objects.filter(link=link)
    assert views.count() == 3
    assert {f.name for f in ShareLinkView._meta.fields} == {"id", "link", "kind", "viewed_at"}
    page = reader(people.admin).get(share_url(two_assessments)).content.decode()
    assert "3 views" in page


def test_an_expired_link_is_gone(people, two_assessments, shared):
    link, token = shared
    ShareLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - timedelta(days=31),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    response = anonymous().get(reverse("shared:report", args=[token]))

    assert response.status_code == 410
    assert "The link has expired." in response.content.decode()
    assert "Meting 2026" not in response.content.decode()
    assert not ShareLinkView.objects.exists()
    assert "Expired" in reader(people.admin).get(share_url(two_assessments)).content.decode()


def test_a_revoked_link_stops_working_on_the_next_request(people, two_assessments, shared):
    link, token = shared
    url = reverse("shared:report", args=[token])
    assert anonymous().get(url).status_code == 200

    response = reader(people.admin).post(
        reverse("reports:share_revoke", args=[two_assessments.pk, link.pk])
    )

    assert response.status_code == 302
    gone = anonymous("nl-be").get(url)
    assert gone.status_code == 410
    assert "De organisatie die dit rapport deelde, heeft de link ingetrokken." in (
        gone.content.decode()
    )
    assert (
        anonymous().get(reverse("shared:report_document", args=[token, "pdf"])).status_code == 410
    )
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == people.admin


def test_a_guessed_token_is_not_found(people, two_assessments, shared):
    _link, token = shared
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "a" * 43):
        assert anonymous().get(reverse("shared:report", args=[guess])).status_code == 404
        assert (
            anonymous().get(reverse("shared:report_document", args=[guess, "pdf"])).status_code
            == 404
        )


def test_a_token_is_looked_up_by_its_hash(people, two_assessments, shared):
    link, token = shared
    # The stored hash is not itself a token: asking with it finds nothing.
    assert anonymous().get(reverse("shared:report", args=[link.token_hash])).status_code == 404
    assert share_token_hash(token) == link.token_hash


def test_another_organisations_admin_cannot_see_or_revoke_the_links(
    people, two_assessments, shared
):
    link, _token = shared
    other_admin = MembershipFactory(role=Membership.Role.ADMIN).user
    client = reader(other_admin)

    assert client.get(share_url(two_assessments)).status_code == 404
    revoke = reverse("reports:share_revoke", args=[two_assessments.pk, link.pk])
    assert client.post(revoke).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_link_is_revoked_only_through_its_own_assessment(
    people, submitted, two_assessments, shared
):
    link, _token = shared
    response = reader(people.admin).post(
        reverse("reports:share_revoke", args=[submitted.pk, link.pk])
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("role", ["viewer", "respondent"])
def test_viewers_and_respondents_cannot_make_links(people, two_assessments, role):
    user = getattr(people, role)
    client = reader(user)

    assert client.get(share_url(two_assessments)).status_code == 403
    assert client.post(share_url(two_assessments), {"days": "30"}).status_code == 403
    with pytest.raises(NotAllowedError):
        share_link_create(assessment=two_assessments, membership=membership(user))
    assert not ShareLink.objects.exists()


def test_a_draft_cannot_be_shared(people, draft):
    with pytest.raises(ShareLinkDraftError):
        share_link_create(assessment=draft, membership=membership(people.admin))
    response = reader(people.admin).post(share_url(draft), {"days": "30"})
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_a_link_to_a_reopened_assessment_is_gone(people, two_assessments, shared):
    _link, token = shared
    assessment_reopen(assessment=two_assessments, user=people.admin, reason="")

    assert anonymous().get(reverse("shared:report", args=[token])).status_code == 410


def test_the_benchmark_is_shown_only_when_the_organisation_shares_it(
    people, two_assessments, shared
):
    _link, token = shared
    url = reverse("shared:report", args=[token])
    assert 'id="comparison"' not in anonymous().get(url).content.decode()

    response = reader(people.admin).post(
        reverse("reports:share_benchmark", args=[two_assessments.pk]), {"share_benchmark": "on"}
    )

    assert response.status_code == 302
    assert Organisation.objects.get(pk=people.organisation.pk).share_benchmark
    assert 'id="comparison"' in anonymous().get(url).content.decode()


def test_a_viewer_cannot_change_what_shared_reports_show(people, two_assessments):
    response = reader(people.viewer).post(
        reverse("reports:share_benchmark", args=[two_assessments.pk]), {"share_benchmark": "on"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.get(pk=people.organisation.pk).share_benchmark


def test_the_shared_page_reads_a_fixed_number_of_queries(
    people, two_assessments, shared, django_assert_max_num_queries
):
    _link, token = shared
    client = anonymous()
    client.get(reverse("shared:report", args=[token]))  # warm the model structure's cache
    # The link (with its assessment, organisation and model version), the view, the answers and
    # the perspectives counted twice: 5 when measured (one perspective, benchmark not shared).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("shared:report", args=[token]))
    assert response.status_code == 200


def test_the_shared_pdf_is_rendered_through_the_token_and_counted(people, two_assessments, shared):
    link, token = shared
    response = anonymous().get(reverse("shared:report_document", args=[token, "pdf"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")
    render = RenderedDocument.objects.get()
    assert render.share_link == link and render.requested_by is None
    assert ShareLinkView.objects.get().kind == ShareLinkView.Kind.PDF


def test_a_shared_pdf_asked_of_a_full_organisation_says_try_again_later(
    people, two_assessments, shared
):
    from tests.reports.test_render_queue import viewers, waiting

    link, token = shared
    waiting(link.assessment, viewers(people.organisation, renders.ORGANISATION_QUEUE_LIMIT))
    url = reverse("shared:report_document", args=[token, "pdf"])

    page = anonymous().get(url)
    status = anonymous().get(url, headers={"accept": "application/json"})

    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert "The PDF cannot be prepared right now. Please try again later." in page.content.decode()
    assert page["X-Robots-Tag"].startswith("noindex")
    assert status.status_code == 503 and status.json()["status"] == "refused"
    assert RenderedDocument.objects.count() == renders.ORGANISATION_QUEUE_LIMIT
    assert not ShareLinkView.objects.filter(kind=ShareLinkView.Kind.PDF).exists()


def test_the_shared_pdf_shows_no_other_assessment(people, two_assessments, shared):
    from tests.reports.test_pdf import pdf_pages

    _link, token = shared
    response = anonymous().get(reverse("shared:report_document", args=[token, "pdf"]))
    text = " ".join(pdf_pages(response.content))
    assert "Meting 2026" in text
    assert "Meting 2025" not in text


def test_the_worker_does_not_render_for_a_link_revoked_meanwhile(people, two_assessments, shared):
    link, _token = shared
    two_assessments.organisation = people.organisation
    key = renders.report_document_key(
        assessment=two_assessments,
        open_actions_signature="",
        language="en",
        fmt="pdf",
        variant="shared",
    )
    render, _enqueue = renders.report_document_request(
        assessment=two_assessments, share_link=link, key=key, language="en", fmt="pdf"
    )
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())

    assert renders.report_document_build(render_id=render.pk) == "no access"
    assert not renders.REPORT_DOCUMENTS.stored(key=key, fmt="pdf")


def test_the_admins_page_reads_the_same_queries_for_many_links(
    people, two_assessments, django_assert_num_queries
):
    admin = membership(people.admin)
    client = reader(people.admin)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(share_url(two_assessments)).status_code == 200
        return len(captured)

    link, _token = share_link_create(assessment=two_assessments, membership=admin)
    ShareLinkView.objects.create(link=link)
    count_queries()  # the first request of the session reads more (the session, the model)
    one = count_queries()
    for _ in range(5):
        more, _token = share_link_create(assessment=two_assessments, membership=admin)
        ShareLinkView.objects.bulk_create(ShareLinkView(link=more) for _ in range(30))

    with django_assert_num_queries(one):
        page = client.get(share_url(two_assessments)).content.decode()
    assert page.count("30 views") == 5
    assert page.count("The latest 20 are listed.") == 5


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_the_editable_documents_are_shared_through_the_token_too(
    people, two_assessments, shared, fmt
):
    link, token = shared
    page = anonymous().get(reverse("shared:report", args=[token])).content.decode()
    url = reverse("shared:report_document", args=[token, fmt])
    assert f'href="{url}"' in page

    response = anonymous().get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert RenderedDocument.objects.get(format=fmt).share_link == link
    assert ShareLinkView.objects.filter(link=link, kind=fmt).count() == 1
