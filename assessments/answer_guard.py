"""Answers of a submitted assessment cannot change: the queryset refuses, as model versions do.

Only a reopen (which makes the assessment a draft again) lets its answers change.
"""

from collections.abc import Sequence
from typing import NamedTuple

from django.apps import apps
from django.db import IntegrityError, connections, models
from django.db.models import Case, Exists, F, OuterRef, Q, When


def _assessment_model():
    # Looked up when used: this module is imported by assessments.models itself.
    return apps.get_model("assessments", "Assessment")


class SubmittedAnswersError(Exception):
    """Raised when code tries to change an answer of a submitted assessment: reopen it first."""

    def __init__(self) -> None:
        super().__init__("Answers of a submitted assessment cannot change; reopen it first.")


def submitted_answers_exist(*, assessment_ids=(), answer_ids=()) -> bool:
    """Whether any of these assessments, or the assessment of any of these answers, is submitted."""
    Assessment = _assessment_model()
    return Assessment.objects.filter(
        Q(pk__in=assessment_ids) | Q(answers__pk__in=answer_ids),
        status=Assessment.Status.SUBMITTED,
    ).exists()


# Five parameters a row: far below SQLite's and PostgreSQL's limits (32766 and 65535), and more
# rows than any model has criteria.
ROWS_PER_STATEMENT = 1000


class RevisedAnswer(NamedTuple):
    """A value and comment for the answer ``pk``, to be written only while it is at ``revision``.

    ``confidence`` None keeps the stored one (a CSV import does not carry it).
    """

    pk: int
    revision: int
    value: str
    comment: str
    confidence: str | None = None


def _updates_from_values(connection) -> bool:
    """Whether the database takes ``WITH … UPDATE … FROM … RETURNING`` (SQLite from 3.35)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)


class AnswerQuerySet(models.QuerySet):
    """Refuses writes to answers of a submitted assessment, as model versions refuse theirs."""

    def update(self, **kwargs):
        if "assessment" in kwargs or "assessment_id" in kwargs:
            if submitted_answers_exist(answer_ids=self.values("pk")):
                raise SubmittedAnswersError
            return super().update(**kwargs)
        # The check is part of the UPDATE itself, so the busy save path costs no extra query and
        # no submit can slip in between: a row of a submitted assessment would get a NULL
        # assessment, which the NOT NULL column refuses for the whole statement.
        Assessment = _assessment_model()
        still_draft = Exists(
            Assessment.objects.filter(pk=OuterRef("assessment_id"), status=Assessment.Status.DRAFT)
        )
        kwargs["assessment"] = Case(When(still_draft, then=F("assessment_id")), default=None)
        try:
            return super().update(**kwargs)
        except IntegrityError as error:
            if "assessment_id" in str(error):
                raise SubmittedAnswersError from error
            raise

    def update_at_revisions(self, rows: Sequence[RevisedAnswer], **same: object) -> set[int]:
        """Write each row whose answer is still at the given revision; the pks written.

        ``same`` are fields set alike on every row written (``updated_by_id=…, updated_at=…``).
        One statement for a whole step instead of one UPDATE per answer (which cost most of a
        step save's time): each row's revision check is in its WHERE, so an answer a colleague
        changed meanwhile is left alone, and the submitted guard is in its SET, as in ``update``.
        Rows are addressed by pk alone, so call it on the unfiltered manager.
        """
        if self.query.has_filters():
            raise TypeError("update_at_revisions addresses rows by pk; call it on Answer.objects.")
        connection = connections[self.db]
        if not _updates_from_values(connection):
            return {row.pk for row in rows if self._update_one_at_revision(row, same)}
        written: set[int] = set()
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            sql, params = _update_at_revisions_sql(
                connection, self.model, rows[start : start + ROWS_PER_STATEMENT], same
            )
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    written.update(pk for (pk,) in cursor.fetchall())
            except IntegrityError as error:
                if "assessment_id" in str(error):
                    raise SubmittedAnswersError from error
                raise
        return written

    def _update_one_at_revision(self, row: RevisedAnswer, same: dict) -> int:
        confidence = {} if row.confidence is None else {"confidence": row.confidence}
        return self.filter(pk=row.pk, revision=row.revision).update(
            value=row.value, comment=row.comment, revision=F("revision") + 1, **confidence, **same
        )

    def delete(self):
        if submitted_answers_exist(answer_ids=self.values("pk")):
            raise SubmittedAnswersError
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if submitted_answers_exist(assessment_ids={obj.assessment_id for obj in objs}):
            raise SubmittedAnswersError
        return super().bulk_create(objs, *args, **kwargs)


def _update_at_revisions_sql(connection, model, rows, same: dict) -> tuple[str, list]:
    """The one statement of ``update_at_revisions``: the sent rows as a VALUES list, joined by pk.

    Rows are addressed by primary key only, so the answers' unique key (whatever it is) appears
    nowhere here. A row of a submitted assessment gets a NULL assessment, which the NOT NULL
    column refuses for the whole statement.
    """
    quote = connection.ops.quote_name
    answer = quote(model._meta.db_table)
    assessment = quote(_assessment_model()._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    fields = [model._meta.get_field(name) for name in same]
    also = "".join(f"{quote(field.column)} = %s, " for field in fields)
    # Only table and column names and placeholders are put into the text; values are parameters.
    sql = (
        f"WITH sent (id, revision, value, comment, confidence) AS (VALUES {values}) "  # noqa: S608
        f"UPDATE {answer} SET value = sent.value, comment = sent.comment, "
        f"confidence = COALESCE(sent.confidence, {answer}.confidence), "
        f"revision = {answer}.revision + 1, {also}"
        f"assessment_id = CASE WHEN EXISTS (SELECT 1 FROM {assessment} AS draft "
        f"WHERE draft.id = {answer}.assessment_id AND draft.status = %s) "
        f"THEN {answer}.assessment_id END "
        f"FROM sent WHERE {answer}.id = sent.id AND {answer}.revision = sent.revision "
        f"RETURNING {answer}.id"
    )
    params = [part for row in rows for part in row]
    params += [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, same.values(), strict=True)
    ]
    params.append(_assessment_model().Status.DRAFT)
    return sql, params
