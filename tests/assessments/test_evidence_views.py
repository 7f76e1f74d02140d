"""Evidence per answer over HTTP: add, show, download, remove, and every refusal."""

import csv
import io
from html import escape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.evidence_files import (
    FILE_TOO_LARGE,
    FILE_TYPE_REFUSED,
    FILE_ZIP_REFUSED,
    FILENAME_REFUSED,
    LINK_REFUSED,
)
from assessments.evidence_models import Evidence
from assessments.services import assessment_submit
from assessments.services.evidence import QUOTA_REFUSED, evidence_storage
from assessments.views.evidence import SUBMITTED, UPLOADS_LIMITED
from tests import evidence_samples as samples
from tests.evidence import (
    add_link,
    evidence_count,
    evidence_url,
    stored_names,
    upload,
    upload_raw,
)
from tests.perspectives import (
    add_perspective,
    answer_every,
    contributor_for,
    criteria,
    first_perspective,
    logged_in,
    perspective_url,
    small_draft,
)

pytestmark = pytest.mark.django_db

KEY = "crit-001"


@pytest.fixture
def assessment(people):
    return small_draft(people)


@pytest.fixture
def respondent(people) -> Client:
    return logged_in(people.respondent)


def dutch(message, **values) -> str:
    with translation.override("nl-be"):
        text = str(message) % values if values else str(message)
    with translation.override("en"):
        english = str(message) % values if values else str(message)
    assert text != english, "not translated"
    return text


def nothing_stored() -> bool:
    return evidence_count() == 0 and stored_names(evidence_storage()) == []


def test_a_file_is_added_and_downloaded_as_an_attachment_with_its_checked_type(
    assessment, respondent
):
    response = upload(respondent, assessment, KEY, "strategie.pdf", samples.pdf())
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.filename, evidence.content_type) == ("strategie.pdf", "application/pdf")
    assert evidence.stored_name.endswith(".pdf") and "strategie" not in evidence.stored_name
    page = respondent.get(evidence_url(assessment, KEY)).content.decode()
    assert "strategie.pdf" in page
    download = respondent.get(evidence_url(assessment, KEY, "evidence_file", evidence.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="strategie.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == samples.pdf()


def test_a_download_offers_a_safe_name_for_a_name_with_quotes_and_accents(assessment, respondent):
    upload(respondent, assessment, KEY, 'beleid "v2" één.pdf', samples.pdf())
    evidence = Evidence.objects.get()
    download = respondent.get(evidence_url(assessment, KEY, "evidence_file", evidence.pk))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"v2"' not in disposition and "\n" not in disposition


def test_a_link_is_shown_with_its_domain_and_never_fetched(assessment, respondent):
    response = add_link(
        respondent, assessment, KEY, "https://www.gemeente.be/raad/12", "Raadsbesluit"
    )
    assert response.status_code == 302
    page = respondent.get(evidence_url(assessment, KEY)).content.decode()
    assert 'href="https://www.gemeente.be/raad/12" rel="noopener noreferrer"' in page
    assert "(gemeente.be)" in page
    step = respondent.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
    assert "Raadsbesluit" in step and 'rel="noopener noreferrer"' in step


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>"])
def test_javascript_and_data_links_are_refused_in_dutch(assessment, people, url):
    client = logged_in(people.respondent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    response = add_link(client, assessment, KEY, url)
    assert response.status_code == 400
    assert dutch(LINK_REFUSED) in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (samples.exe, "strategie.pdf", FILE_TYPE_REFUSED),
        (samples.html, "dashboard.png", FILE_TYPE_REFUSED),
        (samples.png_with_zip, "dashboard.png", FILE_TYPE_REFUSED),
        (samples.zip_bomb_docx, "rapport.docx", FILE_ZIP_REFUSED),
    ],
)
def test_files_whose_content_is_refused_are_not_stored(assessment, people, make, name, message):
    client = logged_in(people.respondent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    response = upload(client, assessment, KEY, name, make())
    assert response.status_code == 400
    assert dutch(message) in response.content.decode()
    assert nothing_stored()


def test_an_empty_file_is_refused(assessment, respondent):
    response = upload(respondent, assessment, KEY, "leeg.pdf", b"")
    assert response.status_code == 400
    assert nothing_stored()


@pytest.mark.parametrize(
    "name", ["../../etc/evil.pdf", "map\\besluit.pdf", "besluit\x1b[31m.pdf", "x" * 296 + ".pdf"]
)
def test_unsafe_file_names_are_refused(assessment, respondent, name):
    url = evidence_url(assessment, KEY, "evidence_upload")
    response = upload_raw(respondent, url, name, samples.pdf())
    assert response.status_code == 400
    assert escape(FILENAME_REFUSED % {"max": 120}) in response.content.decode()
    assert nothing_stored()


def test_a_file_over_the_limit_is_refused_while_it_streams(assessment, respondent, settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 1024 * 1024  # 1 MB, so the body stays within the header
    big = samples.pdf() + b"0" * (1024 * 1024 + 1)
    response = upload(respondent, assessment, KEY, "groot.pdf", big)
    assert response.status_code == 400
    assert str(FILE_TOO_LARGE % {"limit": 1}) in response.content.decode()
    assert nothing_stored()


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    assessment, respondent
):
    url = evidence_url(assessment, KEY, "evidence_upload")
    huge = 50 * 1024 * 1024

    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = respondent.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(huge),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413
    assert str(FILE_TOO_LARGE % {"limit": 10}) in response.content.decode()
    assert nothing_stored()


def test_the_organisation_quota_refuses_the_file_that_does_not_fit(
    assessment, respondent, settings
):
    settings.EVIDENCE_ORGANISATION_QUOTA_BYTES = len(samples.pdf()) * 2 - 1
    assert upload(respondent, assessment, KEY, "een.pdf", samples.pdf()).status_code == 302
    response = upload(respondent, assessment, KEY, "twee.pdf", samples.pdf())
    assert response.status_code == 400
    assert escape(QUOTA_REFUSED % {"quota": 0}) in response.content.decode()
    assert evidence_count() == 1 and len(stored_names(evidence_storage())) == 1


def test_uploads_are_limited_per_user(assessment, respondent, settings):
    settings.EVIDENCE_UPLOADS_PER_HOUR = 2
    for _ in range(2):
        assert upload(respondent, assessment, KEY, "a.pdf", samples.pdf()).status_code == 302
    response = upload(respondent, assessment, KEY, "c.pdf", samples.pdf())
    assert response.status_code == 429
    assert str(UPLOADS_LIMITED) in response.content.decode()
    assert evidence_count() == 2


def test_nothing_is_added_to_a_submitted_assessment(people, respondent):
    assessment = small_draft(people)
    answer_every(assessment, people.respondent, first_perspective(assessment), "3")
    assessment_submit(assessment=assessment, user=people.respondent)
    response = upload(respondent, assessment, KEY, "laat.pdf", samples.pdf())
    assert response.status_code == 409
    assert str(SUBMITTED) in response.content.decode()
    assert add_link(respondent, assessment, KEY, "https://example.org/").status_code == 409
    assert nothing_stored()


def test_another_organisations_answer_is_a_404(assessment, stranger):
    client = logged_in(stranger)
    assert upload(client, assessment, KEY, "a.pdf", samples.pdf()).status_code == 404
    assert add_link(client, assessment, KEY, "https://example.org/").status_code == 404
    assert client.get(evidence_url(assessment, KEY)).status_code == 404
    assert nothing_stored()


def test_another_organisation_cannot_download_or_remove(assessment, respondent, stranger):
    upload(respondent, assessment, KEY, "a.pdf", samples.pdf())
    evidence = Evidence.objects.get()
    client = logged_in(stranger)
    assert client.get(evidence_url(assessment, KEY, "evidence_file", evidence.pk)).status_code == (
        404
    )
    remove = evidence_url(assessment, KEY, "evidence_remove", evidence.pk)
    assert client.post(remove).status_code == 404
    assert evidence_count() == 1


def test_evidence_of_another_criterion_is_a_404(assessment, respondent):
    upload(respondent, assessment, KEY, "a.pdf", samples.pdf())
    evidence = Evidence.objects.get()
    other = evidence_url(assessment, "crit-002", "evidence_file", evidence.pk)
    assert respondent.get(other).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(assessment):
    response = Client().get(evidence_url(assessment, KEY))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_viewer_downloads_but_does_not_add(assessment, people, respondent):
    upload(respondent, assessment, KEY, "a.pdf", samples.pdf())
    evidence = Evidence.objects.get()
    viewer = logged_in(people.viewer)
    url = evidence_url(assessment, KEY, "evidence_file", evidence.pk)
    assert viewer.get(url).status_code == 200
    assert upload(viewer, assessment, KEY, "b.pdf", samples.pdf()).status_code == 403
    assert add_link(viewer, assessment, KEY, "https://example.org/").status_code == 404
    assert evidence_count() == 1


def test_a_contributor_works_only_within_their_perspective(assessment, people, respondent):
    youth = add_perspective(assessment, people.respondent, "Jeugddienst")
    contributor = contributor_for(people, youth)
    client = logged_in(contributor)
    own = perspective_url("evidence_upload", assessment, youth, KEY)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(own, {"file-file": SimpleUploadedFile("j.pdf", samples.pdf())})
    assert response.status_code == 302
    assert Evidence.objects.get().answer.perspective == youth
    upload(respondent, assessment, KEY, "comm.pdf", samples.pdf())
    theirs = Evidence.objects.get(filename="comm.pdf")
    first = first_perspective(assessment)
    assert client.get(perspective_url("evidence", assessment, first, KEY)).status_code == 404
    url = perspective_url("evidence_file", assessment, first, KEY, theirs.pk)
    assert client.get(url).status_code == 404
    other = perspective_url("evidence_upload", assessment, first, KEY)
    assert upload_raw(client, other, "x.pdf", samples.pdf()).status_code == 404
    assert evidence_count() == 2


def test_removing_evidence_deletes_its_file(
    assessment, respondent, django_capture_on_commit_callbacks
):
    upload(respondent, assessment, KEY, "a.pdf", samples.pdf())
    evidence = Evidence.objects.get()
    storage = evidence_storage()
    assert storage.exists(evidence.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        removed = respondent.post(evidence_url(assessment, KEY, "evidence_remove", evidence.pk))
    assert removed.status_code == 302
    assert evidence_count() == 0
    assert not storage.exists(evidence.stored_name)


def test_evidence_on_an_unanswered_question_keeps_the_answer_unanswered(assessment, respondent):
    add_link(respondent, assessment, KEY, "https://example.org/")
    review = respondent.get(reverse("assessments:review", args=[assessment.pk]))
    assert review.status_code == 200
    answer = Evidence.objects.get().answer
    assert (answer.value, answer.revision) == ("", 0)
    # The step page loaded before still saves this question's first answer without a conflict.
    step = reverse("assessments:step", args=[assessment.pk, 1])
    data = {f"{c.key}-revision": 0 for c in criteria(assessment)[:4]}
    data |= {f"{KEY}-value": "3", f"{KEY}-comment": "", "action": "save"}
    assert respondent.post(step, data).status_code == 302
    answer.refresh_from_db()
    assert answer.value == "3"


def test_the_step_button_saves_then_opens_the_evidence_page(assessment, respondent):
    step = reverse("assessments:step", args=[assessment.pk, 1])
    data = {f"{c.key}-revision": 0 for c in criteria(assessment)[:4]}
    data |= {f"{KEY}-value": "2", "goto": f"evidence:{KEY}"}
    response = respondent.post(step, data)
    assert response.status_code == 302
    assert response["Location"] == evidence_url(assessment, KEY)


def test_the_answers_csv_has_the_evidence_count_and_file_names_guarded(assessment, respondent):
    upload(respondent, assessment, KEY, "=1+1.pdf", samples.pdf())
    upload(respondent, assessment, KEY, "schema.docx", samples.docx())
    add_link(respondent, assessment, KEY, "https://example.org/besluit")
    response = respondent.get(reverse("assessments:answers_csv", args=[assessment.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][4:] == ["evidence", "evidence_files"]
    first = rows[1]
    assert first[0] == KEY
    assert first[4:] == ["3", "'=1+1.pdf; schema.docx"]
    assert {row[4] for row in rows[2:]} == {"0"}
