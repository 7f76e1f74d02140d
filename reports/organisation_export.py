"""All of an organisation's data as one ZIP of CSV and JSON, for its admins (issue 31, point 6).

Assessments, perspectives, answers with their full history (every change, who and when), the
consensus, the assessment events, the action plan with its history, and the members without any
password data. One file per table in both formats: CSV (every cell quoted and formula-safe, for a
spreadsheet) and JSON (exact, for a program). Read in a fixed number of queries.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from actions.models import Action, ActionChange
from assessments.history_models import AnswerChange, AssessmentEvent
from assessments.models import ADMIN_ROLES, Answer, Assessment, Membership
from assessments.perspective_models import ConsensusAnswer, Perspective
from assessments.services import neutralise_formula

# What a member's row holds: who they are and their role, never a password or a login time.
MEMBER_FIELDS = (
    "pk",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__email",
    "role",
    "created_at",
)


def _fields(model, *, leave_out: Iterable[str] = ()) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in set(leave_out)]


def _tables(organisation_id: int) -> dict[str, list[dict]]:
    """Every table of the organisation's data, as rows of plain values (one query each)."""
    of_assessments = {"assessment__organisation_id": organisation_id}
    querysets = {
        "assessments": Assessment.objects.filter(organisation_id=organisation_id).values(
            *_fields(Assessment)
        ),
        "perspectives": Perspective.objects.filter(**of_assessments).values(*_fields(Perspective)),
        "answers": Answer.objects.filter(**of_assessments).values(
            *_fields(Answer), "criterion__key"
        ),
        "answer_changes": AnswerChange.objects.filter(**of_assessments).values(
            *_fields(AnswerChange), "changed_by__username"
        ),
        "consensus_answers": ConsensusAnswer.objects.filter(**of_assessments).values(
            *_fields(ConsensusAnswer)
        ),
        "assessment_events": AssessmentEvent.objects.filter(**of_assessments).values(
            *_fields(AssessmentEvent)
        ),
        "actions": Action.objects.filter(organisation_id=organisation_id).values(*_fields(Action)),
        "action_changes": ActionChange.objects.filter(
            action__organisation_id=organisation_id
        ).values(*_fields(ActionChange)),
        "members": Membership.objects.filter(organisation_id=organisation_id).values(
            *MEMBER_FIELDS
        ),
    }
    return {name: list(queryset.order_by("pk")) for name, queryset in querysets.items()}


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    if rows:
        writer.writerow(rows[0].keys())
    for row in rows:
        cells = (
            json.dumps(value, cls=DjangoJSONEncoder) if isinstance(value, dict | list) else value
            for value in row.values()
        )
        writer.writerow([neutralise_formula("" if cell is None else str(cell)) for cell in cells])
    return "\ufeff" + buffer.getvalue()


def organisation_export_zip(*, membership: Membership) -> bytes | None:
    """The ZIP of the membership's organisation's data; None unless the member is its admin."""
    if membership.role not in ADMIN_ROLES:
        return None
    organisation = membership.organisation
    tables = _tables(organisation.pk)
    about = {
        "organisation": {
            "name": organisation.name,
            "kind": organisation.kind,
            "population": organisation.population,
            "region": organisation.region,
        },
        "exported_at": timezone.now(),
        "tables": {name: len(rows) for name, rows in tables.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organisation.json", json.dumps(about, cls=DjangoJSONEncoder, indent=2))
        for name, rows in tables.items():
            archive.writestr(f"json/{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=1))
            archive.writestr(f"csv/{name}.csv", _csv(rows))
    return buffer.getvalue()
