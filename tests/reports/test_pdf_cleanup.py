"""Old report PDFs are removed: superseded ones when a newer one is stored, the rest daily.

Files in Django's default storage (the test MEDIA_ROOT) and their RenderedDocument rows; the current
PDF of each assessment and language stays, and a second cleanup finds nothing.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from documents.models import FINISHED
from reports import renders
from reports.models import RenderedDocument, storage_name
from reports.tasks import report_document_render, report_documents_cleanup

pytestmark = pytest.mark.django_db


def stored(people, assessment, key: str, *, days_ago: float, status="done", language="en"):
    """A render asked for `days_ago` days ago, with its file when it is done."""
    asked = timezone.now() - timedelta(days=days_ago)
    render = RenderedDocument.objects.create(
        key=key * 64,
        assessment=assessment,
        organisation=people.organisation,
        requested_by=people.viewer,
        language=language,
        status=status,
        requested_at=asked,
        finished_at=asked if status in FINISHED else None,
    )
    if status == "done":
        default_storage.save(storage_name(render.key, "pdf"), ContentFile(b"%PDF-1.7 test"))
    return render


def files() -> set[str]:
    folder = settings.MEDIA_ROOT / "reports" / "pdf"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def test_the_daily_cleanup_removes_old_and_superseded_pdfs_and_keeps_the_current(
    people, draft, submitted
):
    old_current = stored(people, submitted, "a", days_ago=settings.REPORT_DOCUMENT_KEEP_DAYS + 1)
    superseded = stored(people, draft, "b", days_ago=2)
    failed_before = stored(people, draft, "c", days_ago=1.5, status="failed")
    current = stored(people, draft, "d", days_ago=1)
    other_language = stored(people, draft, "e", days_ago=3, language="nl-be")
    waiting = stored(people, draft, "f", days_ago=0, status="queued")

    assert report_documents_cleanup.apply().get() == 3

    kept = set(RenderedDocument.objects.values_list("pk", flat=True))
    assert kept == {current.pk, other_language.pk, waiting.pk}
    assert files() == {f"{current.key}.pdf", f"{other_language.key}.pdf"}
    assert not {old_current.pk, superseded.pk, failed_before.pk} & kept
    # Idempotent: a second run finds nothing, the current files are still there.
    assert renders.REPORT_DOCUMENTS.cleanup() == 0
    assert files() == {f"{current.key}.pdf", f"{other_language.key}.pdf"}


def test_a_file_whose_row_is_gone_is_removed_by_the_next_cleanup(people, draft):
    current = stored(people, draft, "a", days_ago=0)
    default_storage.save(storage_name("9" * 64, "pdf"), ContentFile(b"%PDF-1.7 left over"))

    assert renders.REPORT_DOCUMENTS.cleanup() == 1

    assert files() == {f"{current.key}.pdf"}


def test_a_render_asked_for_again_is_not_old(people, draft):
    render = stored(people, draft, "a", days_ago=settings.REPORT_DOCUMENT_KEEP_DAYS + 5)
    # Asked again: the request path re-queues the row with a fresh time.
    RenderedDocument.objects.filter(pk=render.pk).update(
        status="queued", requested_at=timezone.now()
    )

    assert renders.REPORT_DOCUMENTS.cleanup() == 0
    assert RenderedDocument.objects.filter(pk=render.pk).exists()


def test_the_keep_days_setting_decides_what_is_old(people, submitted, settings):
    render = stored(people, submitted, "a", days_ago=8)
    settings.REPORT_DOCUMENT_KEEP_DAYS = 10
    assert renders.REPORT_DOCUMENTS.cleanup() == 0

    settings.REPORT_DOCUMENT_KEEP_DAYS = 7
    assert renders.REPORT_DOCUMENTS.cleanup() == 1
    assert not RenderedDocument.objects.filter(pk=render.pk).exists()
    assert files() == set()


def new_render(people, assessment) -> RenderedDocument:
    return RenderedDocument.objects.create(
        key="d" * 64,
        assessment=assessment,
        organisation=people.organisation,
        requested_by=people.viewer,
        language="en",
    )


def test_a_draft_s_new_render_removes_its_earlier_pdfs(people, draft, submitted):
    earlier = stored(people, draft, "a", days_ago=0.001)
    other_assessment = stored(people, submitted, "b", days_ago=0.001)
    dutch = stored(people, draft, "c", days_ago=0.001, language="nl-be")
    new = new_render(people, draft)

    assert report_document_render.apply(args=[new.pk]).get() == "stored"

    remaining = set(RenderedDocument.objects.values_list("pk", flat=True))
    assert remaining == {new.pk, other_assessment.pk, dutch.pk}
    assert earlier.pk not in remaining
    assert files() == {f"{key * 64}.pdf" for key in "bcd"}


def test_a_submitted_assessment_s_new_render_removes_only_earlier_days(people, submitted):
    yesterday = stored(people, submitted, "a", days_ago=1.01)
    today = stored(people, submitted, "b", days_ago=0)  # its open actions may come back
    RenderedDocument.objects.filter(pk=today.pk).update(
        requested_at=timezone.now() - timedelta(seconds=1)
    )
    new = new_render(people, submitted)

    assert report_document_render.apply(args=[new.pk]).get() == "stored"

    assert set(RenderedDocument.objects.values_list("pk", flat=True)) == {today.pk, new.pk}
    assert files() == {f"{today.key}.pdf", f"{new.key}.pdf"}
    assert not RenderedDocument.objects.filter(pk=yesterday.pk).exists()


def test_the_cleanup_runs_daily_on_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["report-documents-cleanup-daily"]

    assert entry["task"] == report_documents_cleanup.name
