"""Importing a CSV through its two steps: upload (the preview), then confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse


def import_csv(client: Client, assessment, content: bytes, *, name: str = "answers.csv"):
    """Upload the file and, when its preview is shown, confirm it; the last response."""
    url = reverse("assessments:import", args=[assessment.pk])
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    response = client.post(url, {"file": file})
    if response.status_code != 200 or "token" not in (response.context or {}):
        return response
    return client.post(url, {"token": response.context["token"]})
