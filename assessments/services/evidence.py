"""Evidence writes: add a link or a file to an answer, remove one; files go to their own storage.

The same rules as the answer: ``answer_set_lock`` locks the draft and reads the role, the
perspective and a contributor's assignment in one query (submitted: ``AssessmentLockedError``;
not the user's: ``NotAllowedError``). A criterion without an answer yet gets an empty one
(revision 0, so a page loaded before it still saves its answer without a conflict).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.evidence_files import (
    FILE_TOO_LARGE,
    EvidenceFileError,
    FileType,
    file_type_detect,
    filename_check,
    link_check,
)
from assessments.evidence_models import EVIDENCE_DESCRIPTION_MAX_LENGTH, Evidence
from assessments.models import Answer, Assessment
from assessments.services.assessments import answer_set_lock
from maturity.input_rules import single_line
from maturity.models import Criterion

QUOTA_REFUSED = _(
    "Your organisation's storage for evidence is full (%(quota)s MB). Remove files it no "
    "longer needs, or ask the administrator for more."
)
DESCRIPTION_REFUSED = _("The description must be one line of at most %(max)s characters.")
EVIDENCE_STORAGE = "evidence"


class EvidenceNotFoundError(Exception):
    """No such evidence on this answer (or not the user's)."""


def evidence_storage():
    """The storage of evidence files (``STORAGES["evidence"]``)."""
    return storages[EVIDENCE_STORAGE]


def _description(text: str) -> str:
    text = text.strip()
    try:
        single_line(text)
    except ValidationError:
        raise EvidenceFileError(
            DESCRIPTION_REFUSED % {"max": EVIDENCE_DESCRIPTION_MAX_LENGTH}
        ) from None
    if len(text) > EVIDENCE_DESCRIPTION_MAX_LENGTH:
        raise EvidenceFileError(DESCRIPTION_REFUSED % {"max": EVIDENCE_DESCRIPTION_MAX_LENGTH})
    return text


def _answer_for(*, assessment: Assessment, perspective_id: int, criterion: Criterion, user):
    """The perspective's answer to this criterion; an empty one (revision 0) if none yet."""
    answer, _created = Answer.objects.get_or_create(
        perspective_id=perspective_id,
        criterion=criterion,
        defaults={"assessment": assessment, "revision": 0, "updated_by": user},
    )
    return answer


def organisation_evidence_bytes(*, organisation_id: int) -> int:
    """How much of the quota this organisation uses: each stored file once (carried-over
    evidence shares its file)."""
    originals = Evidence.objects.filter(
        organisation_id=organisation_id, kind=Evidence.Kind.FILE, carried_from__isnull=True
    )
    return originals.aggregate(total=Sum("size"))["total"] or 0


@transaction.atomic
def evidence_link_add(
    *,
    assessment: Assessment,
    user,
    perspective_id: int | None,
    criterion: Criterion,
    url: str,
    description: str,
) -> Evidence:
    """Add a link (http/https only; never fetched) to the perspective's answer to ``criterion``."""
    url = link_check(url)
    description = _description(description)
    locked = answer_set_lock(assessment=assessment, user=user, perspective_id=perspective_id)
    answer = _answer_for(
        assessment=assessment, perspective_id=locked.id, criterion=criterion, user=user
    )
    evidence = Evidence(
        answer=answer,
        organisation_id=assessment.organisation_id,
        kind=Evidence.Kind.LINK,
        url=url,
        description=description,
        added_by=user,
        added_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_file_check(*, file, filename: str, size: int) -> tuple[str, FileType]:
    """The safe name and the content's type of an upload, or EvidenceFileError (nothing stored)."""
    filename = filename_check(filename)
    if size > settings.EVIDENCE_MAX_FILE_BYTES:
        raise EvidenceFileError(
            FILE_TOO_LARGE % {"limit": settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)}
        )
    return filename, file_type_detect(file, name=filename, size=size)


def evidence_file_add(
    *,
    assessment: Assessment,
    user,
    perspective_id: int | None,
    criterion: Criterion,
    file,
    filename: str,
    size: int,
    description: str,
) -> Evidence:
    """Check the file (name, size, type by content, quota), store it and add it to the answer.

    The file is stored under a random name after the checks, inside the locked transaction; if
    the transaction fails, the stored file is removed again.
    """
    filename, file_type = evidence_file_check(file=file, filename=filename, size=size)
    description = _description(description)
    storage = evidence_storage()
    stored_name = ""
    try:
        with transaction.atomic():
            locked = answer_set_lock(
                assessment=assessment, user=user, perspective_id=perspective_id
            )
            used = organisation_evidence_bytes(organisation_id=assessment.organisation_id)
            quota = settings.EVIDENCE_ORGANISATION_QUOTA_BYTES
            if used + size > quota:
                raise EvidenceFileError(QUOTA_REFUSED % {"quota": quota // (1024 * 1024)})
            answer = _answer_for(
                assessment=assessment, perspective_id=locked.id, criterion=criterion, user=user
            )
            file.seek(0)
            name = f"{assessment.organisation_id}/{secrets.token_hex(16)}.{file_type.extensions[0]}"
            stored_name = storage.save(name, File(file, name=name))
            evidence = Evidence(
                answer=answer,
                organisation_id=assessment.organisation_id,
                kind=Evidence.Kind.FILE,
                stored_name=stored_name,
                filename=filename,
                size=size,
                content_type=file_type.content_type,
                description=description,
                added_by=user,
                added_at=timezone.now(),
            )
            evidence.full_clean()
            evidence.save()
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    return evidence


@transaction.atomic
def evidence_delete(
    *, assessment: Assessment, user, perspective_id: int | None, evidence_id: int
) -> Evidence:
    """Remove evidence from a draft's answer; its file goes once no evidence refers to it."""
    locked = answer_set_lock(assessment=assessment, user=user, perspective_id=perspective_id)
    evidence = Evidence.objects.filter(
        pk=evidence_id, answer__perspective_id=locked.id, answer__assessment=assessment
    ).first()
    if evidence is None:
        raise EvidenceNotFoundError
    evidence.delete()
    return evidence


def evidence_file_forget(*, stored_name: str) -> None:
    """Delete a stored file after the commit, unless other evidence (carried over) still uses it."""

    def forget() -> None:
        if not Evidence.objects.filter(stored_name=stored_name).exists():
            evidence_storage().delete(stored_name)

    transaction.on_commit(forget)


def evidence_carry(*, answers: list[tuple[int, Answer]], organisation_id: int) -> int:
    """Copy the evidence of previous answers onto their carried-over answers (same stored files).

    ``answers`` pairs each previous answer's id with its new answer; two queries.
    """
    new_by_old = dict(answers)
    carried = [
        Evidence(
            answer=new_by_old[item.answer_id],
            organisation_id=organisation_id,
            kind=item.kind,
            url=item.url,
            stored_name=item.stored_name,
            filename=item.filename,
            size=item.size,
            content_type=item.content_type,
            description=item.description,
            carried_from_id=item.carried_from_id or item.pk,
            added_by=item.added_by,
            added_at=item.added_at,
        )
        for item in Evidence.objects.filter(answer_id__in=list(new_by_old)).select_related(
            "added_by"
        )
    ]
    Evidence.objects.bulk_create(carried)
    return len(carried)


def evidence_deleted(sender, instance: Evidence, **kwargs) -> None:
    """After evidence is deleted (itself, or with its answer or assessment): its stored file."""
    if instance.stored_name:
        evidence_file_forget(stored_name=instance.stored_name)
