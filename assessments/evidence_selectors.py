"""Evidence reads: per question of a step, counts per criterion, one piece for its download.

Each is one query whatever the number of questions or files (`tests/assessments/
test_evidence_queries.py`: 160 criteria with three files each). Access is the caller's
`answer_set_view` check: these take the perspective or assessment it returned.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from assessments.evidence_files import link_domain
from assessments.evidence_models import Evidence
from assessments.models import Assessment
from maturity.models import Criterion
from maturity.prepared import PreparedRead


@dataclass(frozen=True)
class EvidenceItem:
    """What a page shows of one piece of evidence."""

    pk: int
    kind: str
    description: str
    url: str
    domain: str
    filename: str
    size: int
    carried: bool

    @property
    def is_file(self) -> bool:
        return self.kind == Evidence.Kind.FILE

    @property
    def label(self) -> str:
        return self.description or self.filename or self.domain


FIELDS = ("pk", "kind", "description", "url", "filename", "size", "carried_from_id")


def _item(row: dict) -> EvidenceItem:
    return EvidenceItem(
        pk=row["pk"],
        kind=row["kind"],
        description=row["description"],
        url=row["url"],
        domain=link_domain(row["url"]) if row["url"] else "",
        filename=row["filename"],
        size=row["size"],
        carried=row["carried_from_id"] is not None,
    )


_PERSPECTIVE_EVIDENCE = PreparedRead(
    lambda perspective_id: (
        Evidence.objects.filter(answer__perspective_id=perspective_id)
        .order_by()
        .values(*FIELDS, "added_at", "answer__criterion_id")
    )
)


def evidence_by_criterion(
    *, perspective_id: int, criteria: Iterable[Criterion]
) -> dict[str, list[EvidenceItem]]:
    """The evidence of these criteria's answers in one perspective, by criterion key, each
    criterion's in the order it was added.

    Read for the whole perspective and ordered here: the questionnaire reads this on every step,
    mostly to find nothing, and a list of the step's criteria and an ORDER BY cost more to
    compile than the few rows of the other steps cost to skip.
    """
    keys = {criterion.pk: criterion.key for criterion in criteria}
    found: dict[str, list[EvidenceItem]] = defaultdict(list)
    rows = _PERSPECTIVE_EVIDENCE(perspective_id=perspective_id)
    for row in sorted(rows, key=lambda row: (row["added_at"], row["pk"])):
        key = keys.get(row["answer__criterion_id"])
        if key is not None:
            found[key].append(_item(row))
    return dict(found)


def evidence_counts(*, assessment: Assessment) -> dict[int, int]:
    """How many pieces of evidence each criterion has, over all perspectives, by criterion id."""
    rows = (
        Evidence.objects.filter(answer__assessment=assessment)
        .values("answer__criterion_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["answer__criterion_id"]: row["count"] for row in rows}


def evidence_of_answers(*, perspective_id: int) -> dict[int, list[EvidenceItem]]:
    """Every piece of evidence of one perspective's answers, by criterion id (the CSV export)."""
    found: dict[int, list[EvidenceItem]] = defaultdict(list)
    rows = Evidence.objects.filter(answer__perspective_id=perspective_id).values(
        *FIELDS, "answer__criterion_id"
    )
    for row in rows:
        found[row["answer__criterion_id"]].append(_item(row))
    return dict(found)


def evidence_get(*, perspective_id: int, criterion: Criterion, evidence_pk: int) -> Evidence | None:
    """One piece of evidence of this perspective's answer to ``criterion``, or None."""
    return Evidence.objects.filter(
        pk=evidence_pk, answer__perspective_id=perspective_id, answer__criterion=criterion
    ).first()
