"""Autosave: one answer of one criterion, saved the moment the respondent gives it."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from assessments.models import ANSWERING_ROLES, Answer, Assessment, Membership
from assessments.services.assessments import AnswerInput, answers_save
from maturity.models import Criterion

# The largest key PostgreSQL's bigint holds: a larger one in a URL can match no row.
_BIGINT_MAX = 2**63 - 1

# answer_save_one_direct's statement. Each part holds a rule of the checked path (answer_set_view,
# answer_set_lock, answers_save_locked), so a change to one of those must be made here too;
# tests/assessments/test_autosave_direct.py runs the same cases through both.
_DIRECT_SAVE_SQL = """
WITH target AS (
    SELECT a.id AS assessment_id, a.status, m.role, p.id AS perspective_id,
        p.name AS perspective_name, c.id AS criterion_id, old.id AS answer_id,
        old.value AS old_value, old.comment AS old_comment, old.confidence AS old_confidence,
        old.validation_state AS old_validation,
        EXISTS (SELECT 1 FROM assessments_perspective_members pm
                WHERE pm.perspective_id = p.id AND pm.membership_id = m.id) AS assigned
    FROM assessments_assessment a
    JOIN assessments_membership m ON m.organisation_id = a.organisation_id AND m.user_id = %(user)s
    JOIN LATERAL (
        SELECT id, name FROM assessments_perspective
        WHERE assessment_id = a.id
            AND (%(perspective)s::bigint IS NULL OR id = %(perspective)s::bigint)
        ORDER BY id LIMIT 1
    ) p ON true
    JOIN maturity_criterion c ON c.version_id = a.model_version_id AND c.key = %(key)s
    JOIN assessments_answer old ON old.perspective_id = p.id AND old.criterion_id = c.id
    WHERE a.id = %(assessment)s
    FOR UPDATE OF a
), written AS (
    UPDATE assessments_answer AS answer
    SET value = %(value)s, comment = %(comment)s,
        confidence = COALESCE(%(confidence)s, target.old_confidence),
        revision = answer.revision + 1,
        updated_by_id = %(user)s, updated_at = %(now)s, to_confirm = false,
        validation_state = '', validation_question = '', validation_reply = '',
        validated_by_id = NULL, validated_at = NULL
    FROM target
    WHERE answer.id = target.answer_id AND answer.revision = %(revision)s
        AND target.status = %(draft)s
        AND (target.role = ANY(%(answering)s)
             OR (target.role = %(contributor)s AND target.assigned))
        AND (target.old_value, target.old_comment, target.old_confidence) IS DISTINCT FROM
            (%(value)s, %(comment)s, COALESCE(%(confidence)s, target.old_confidence))
    RETURNING answer.id, answer.revision
), audit AS (
    INSERT INTO assessments_answerchange (assessment_id, criterion_id, old_value, new_value,
        old_comment, new_comment, old_confidence, new_confidence, validation, note,
        changed_by_id, changed_at, source, perspective_name)
    SELECT target.assessment_id, target.criterion_id, target.old_value, %(value)s,
        target.old_comment, %(comment)s, target.old_confidence,
        COALESCE(%(confidence)s, target.old_confidence),
        CASE WHEN target.old_validation <> '' THEN 'reset' ELSE '' END, '',
        %(user)s, %(now)s, 'autosave', target.perspective_name
    FROM target JOIN written ON written.id = target.answer_id
)
SELECT revision FROM written
"""


@dataclass(frozen=True)
class OneAnswerOutcome:
    """What became of one autosaved answer.

    Saved (or unchanged): ``revision`` is the stored revision the page must send next time and
    ``saved_at`` when it was written (None when nothing changed). A conflict: ``theirs`` is the
    colleague's answer that was kept (None when it has disappeared), with its revision.
    """

    revision: int
    saved_at: datetime | None = None
    conflict: bool = False
    theirs: Answer | None = None


def answer_save_one(
    *,
    assessment: Assessment,
    user,
    criterion: Criterion,
    value: str,
    comment: str,
    loaded_revision: int,
    perspective_id: int | None = None,
    confidence: str | None = None,
) -> OneAnswerOutcome:
    """Save one criterion's answer if nobody changed it since ``loaded_revision``.

    The same conditional write, audit trail and role and draft checks as a whole step
    (``answers_save``), so a stale autosave keeps the colleague's answer. The answer is addressed
    by (assessment, perspective, criterion); no perspective means the assessment's first.
    """
    outcome = answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(
                criterion=criterion,
                value=value,
                comment=comment,
                loaded_revision=loaded_revision,
                confidence=confidence,
            )
        ],
        source="autosave",
        perspective_id=perspective_id,
    )
    if outcome.conflicts:
        theirs = outcome.conflicts[0].current
        return OneAnswerOutcome(
            revision=theirs.revision if theirs else 0, conflict=True, theirs=theirs
        )
    if outcome.changed:
        return OneAnswerOutcome(revision=loaded_revision + 1, saved_at=outcome.saved_at)
    return OneAnswerOutcome(revision=loaded_revision)


def answer_save_one_direct(
    *,
    user,
    assessment_pk: int,
    perspective_pk: int | None,
    criterion_key: str,
    value: str,
    comment: str,
    loaded_revision: int,
    confidence: str | None = None,
) -> OneAnswerOutcome | None:
    """The common autosave, a changed answer at the revision loaded, as one statement; or None.

    On PostgreSQL one statement finds the assessment through the user's membership, locks it as
    ``answer_set_lock`` does, and writes the answer at its revision with its audit row, only if
    the user may answer in that perspective (as ``answer_set_view`` decides) and the assessment
    is a draft. Anything else (no such answer yet, a conflict, no change, a refusal, another
    database) writes nothing and returns None: the caller then takes the checked path
    (``answer_save_one`` behind ``answer_set_view``), which says why. A third of the queries of
    that path, for the request the questionnaire sends most (docs/performance.md).
    """
    if connection.vendor != "postgresql" or max(assessment_pk, perspective_pk or 0) > _BIGINT_MAX:
        return None
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _DIRECT_SAVE_SQL,
            {
                "user": user.pk,
                "assessment": assessment_pk,
                "perspective": perspective_pk,
                "key": criterion_key,
                "value": value,
                "comment": comment,
                "confidence": confidence,
                "revision": loaded_revision,
                "now": now,
                "draft": Assessment.Status.DRAFT.value,
                "answering": sorted(role.value for role in ANSWERING_ROLES),
                "contributor": Membership.Role.CONTRIBUTOR.value,
            },
        )
        row = cursor.fetchone()
    return None if row is None else OneAnswerOutcome(revision=row[0], saved_at=now)
