"""The report of an assessment for a user: access from the user's memberships, then one build."""

from collections.abc import Sequence

from django.utils import translation

from actions.selectors import OpenActions
from assessments.models import Membership
from assessments.selectors import assessment_get
from benchmarks.disclosure import LEVELS
from reports.models import ShareLink
from reports.report import Report, report_build


def comparison_level(value: str | None) -> str | None:
    """A benchmark level asked for (`?compare=`): a known one, else None (the default)."""
    return value if value in LEVELS else None


def report_get(
    *,
    user,
    assessment_pk: int,
    language: str,
    level: str | None = None,
    open_actions: OpenActions | None = None,
    memberships: Sequence[Membership] | None = None,
) -> Report | None:
    """The report of an assessment of one of the user's organisations, in `language`.

    None when the assessment is not the user's to read: another organisation's, or one a
    contributor only answers in (reports are for the organisation's roles). `level` is the
    benchmark level asked for; `open_actions` the PDF's page 1 (see `report_build`).
    """
    found = assessment_get(user=user, pk=assessment_pk, memberships=memberships)
    if found is None or found[1].is_contributor:
        return None
    assessment, membership = found
    with translation.override(language):
        return report_build(
            assessment=assessment,
            membership=membership,
            level=comparison_level(level),
            open_actions=open_actions,
        )


def report_get_for_share_link(
    *, link: ShareLink, language: str, level: str | None = None
) -> Report:
    """The report a share link shows, from the one builder (`report_build`), without a reader.

    The caller checked that the link is usable (`share_link_by_token`). What a reader sees is
    what `shared=True` leaves in: the assessment alone, the benchmark only when the organisation
    shares it.
    """
    assessment = link.assessment
    assessment.organisation = link.organisation
    with translation.override(language):
        return report_build(assessment=assessment, level=comparison_level(level), shared=True)
