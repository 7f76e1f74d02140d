"""The columns every worker-rendered document shares: an abstract model, no table of its own.

`reports.RenderedDocument` (a report's PDF, ODT, DOCX) and `trajectories.AgendaRender` (a
session's agenda) inherit it and add what differs: what the document shows (an assessment, a
session), who may ask (a user or a share link), their formats, their indexes and constraints.
`documents.renders` runs the life of a row (asked, rendering, done or failed, stored, removed).

Why no installed app: an abstract model makes no table and no migration; Django builds it
without an app (only concrete models need one), and its fields are written into the migrations
of the apps that inherit them. Registering `documents` would add an app with nothing to install:
no table, template or translation. It stays a plain package below every app, importing none.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone


def document_storage_name(folder: str, key: str, fmt: str) -> str:
    """Where the document of this content signature is stored (no user text: a hex digest)."""
    return f"{folder}/{fmt}/{key}.{fmt}"


class DocumentRender(models.Model):
    """One rendering of a document, keyed by what it shows (`key`, a SHA-256 hex digest).

    The same content in the same format asked for again finds this row (and its stored file)
    instead of rendering again. The file is in Django's default storage under
    ``<storage_folder>/<format>/<key>.<format>``. A concrete model adds `format` (with its
    choices), `requested_by` and the foreign key of what the document shows.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RENDERING = "rendering"
        DONE = "done"
        FAILED = "failed"

    # The folder of the concrete model's files in the default storage.
    storage_folder: ClassVar[str]

    key = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def storage_name(self) -> str:
        return document_storage_name(self.storage_folder, self.key, self.format)


ACTIVE = (DocumentRender.Status.QUEUED, DocumentRender.Status.RENDERING)
FINISHED = (DocumentRender.Status.DONE, DocumentRender.Status.FAILED)
