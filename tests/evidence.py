"""Builders for the evidence tests: addresses, uploads and what the storage holds."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.evidence_models import Evidence
from assessments.models import Assessment


def evidence_url(assessment: Assessment, key: str, name: str = "evidence", *args) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk, key, *args])


def upload(client: Client, assessment: Assessment, key: str, name: str, content: bytes, **extra):
    """POST a file (and a description) to the answer's upload address."""
    return client.post(
        evidence_url(assessment, key, "evidence_upload"),
        {"file-file": SimpleUploadedFile(name, content), "file-description": "Bewijs", **extra},
    )


def add_link(client: Client, assessment: Assessment, key: str, url: str, description: str = ""):
    return client.post(
        evidence_url(assessment, key), {"link-url": url, "link-description": description}
    )


def stored_names(storage) -> list[str]:
    """Every file in the evidence storage (its folders are organisation ids)."""
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return []
    names = list(files)
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    return names


def evidence_count() -> int:
    return Evidence.objects.count()


def upload_raw(client: Client, url: str, name: str, content: bytes):
    """POST a file under exactly this name (the test client would cut a path off the name)."""
    boundary = "groeipad-evidence-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file-file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
