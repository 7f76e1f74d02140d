"""Evidence files through Django's storage API: the local folder and S3 (a real moto server).

Every test runs on both backends; the S3 one talks to ``moto_server`` on loopback (started
here, or the one ``.ci/run`` starts for the PostgreSQL pass: GROEIPAD_MOTO_URL).
"""

import uuid

import boto3
import pytest
from django.urls import reverse

from assessments.evidence_models import Evidence
from assessments.services import assessment_submit, reassessment_start
from assessments.services.evidence import evidence_storage
from tests import evidence_samples as samples
from tests.evidence import evidence_url, stored_names, upload
from tests.perspectives import answer_every, first_perspective, logged_in, small_draft
from tests.servers import moto_start

pytestmark = pytest.mark.django_db

KEY = "crit-001"
REGION = "us-east-1"
KEYS = {"access_key": "testing", "secret_key": "testing"}


@pytest.fixture(scope="module")
def moto():
    server = moto_start()
    yield server
    server.stop()


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path):
    """The evidence storage of this test: a folder, or a fresh bucket on the moto server."""
    storages = dict(settings.STORAGES)
    if request.param == "local":
        storages["evidence"] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence", "base_url": None},
        }
        settings.STORAGES = storages
        yield request.param
        return
    server = request.getfixturevalue("moto")
    bucket = f"groeipad-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=server.url, region_name=REGION, **_boto_keys())
    client.create_bucket(Bucket=bucket)
    storages["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": server.url,
            "region_name": REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "location": "evidence",
            "default_acl": None,
            "file_overwrite": False,
            **KEYS,
        },
    }
    settings.STORAGES = storages
    yield request.param


def _boto_keys() -> dict:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def assessment(people):
    return small_draft(people)


def test_the_backend_is_the_one_configured(backend):
    expected = "S3Storage" if backend == "s3" else "FileSystemStorage"
    assert type(evidence_storage()).__name__ == expected


def test_a_file_is_stored_read_back_and_removed(
    backend, assessment, people, django_capture_on_commit_callbacks
):
    client = logged_in(people.respondent)
    assert upload(client, assessment, KEY, "cijfers.xlsx", samples.xlsx()).status_code == 302
    evidence = Evidence.objects.get()
    storage = evidence_storage()
    assert stored_names(storage) == [evidence.stored_name]
    assert storage.size(evidence.stored_name) == len(samples.xlsx())
    download = client.get(evidence_url(assessment, KEY, "evidence_file", evidence.pk))
    assert b"".join(download.streaming_content) == samples.xlsx()
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(evidence_url(assessment, KEY, "evidence_remove", evidence.pk))
    assert stored_names(storage) == []


def test_a_refused_file_leaves_nothing_in_the_storage(backend, assessment, people):
    client = logged_in(people.respondent)
    assert upload(client, assessment, KEY, "rapport.docx", samples.zip_bomb_docx()).status_code == (
        400
    )
    assert upload(client, assessment, KEY, "foto.png", samples.html()).status_code == 400
    assert stored_names(evidence_storage()) == []
    assert not Evidence.objects.exists()


def test_a_reassessment_carries_the_evidence_with_the_same_stored_file(
    backend, people, django_capture_on_commit_callbacks
):
    previous = small_draft(people, title="Meting 2025")
    client = logged_in(people.respondent)
    upload(client, previous, KEY, "strategie.pdf", samples.pdf())
    answer_every(previous, people.respondent, first_perspective(previous), "3")
    previous = assessment_submit(assessment=previous, user=people.respondent)
    new = reassessment_start(
        organisation=people.organisation, user=people.respondent, title="2026", start_from=previous
    )
    original = Evidence.objects.get(answer__assessment=previous)
    carried = Evidence.objects.get(answer__assessment=new)
    assert carried.carried_from == original
    assert carried.stored_name == original.stored_name
    assert carried.answer.to_confirm
    download = client.get(evidence_url(new, KEY, "evidence_file", carried.pk))
    assert b"".join(download.streaming_content) == samples.pdf()
    # Removed from the new draft, the file stays for the submitted assessment's evidence.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(evidence_url(new, KEY, "evidence_remove", carried.pk))
    assert evidence_storage().exists(original.stored_name)
    step = client.get(reverse("assessments:step", args=[new.pk, 1])).content.decode()
    assert "strategie.pdf" not in step
