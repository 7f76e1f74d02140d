"""`participants`: each opted-in organisation's latest submitted result on a model slug, as stored.

A release aggregates exactly these (`benchmarks.services.benchmark_release_create`), so every
field read here is a figure of some group: the tests compare whole `Participant`s.
"""

from datetime import timedelta

import pytest

from assessments.models import Membership, Organisation
from benchmarks.disclosure import Participant, population_band
from benchmarks.models import Participation
from benchmarks.selectors import participants, participation_get
from tests.factories import MembershipFactory, OrganisationFactory, build_model_version

pytestmark = pytest.mark.django_db


def as_stored(assessment) -> Participant:
    """The participant an assessment makes, read from its stored result by hand."""
    organisation = assessment.organisation
    return Participant(
        organisation_id=organisation.pk,
        assessment_id=assessment.pk,
        kind=organisation.kind,
        band=population_band(organisation.population),
        region=organisation.region.strip(),
        index=float(assessment.maturity_index),
        phase_key=assessment.result["phase"]["key"],
        dimensions={d["key"]: float(d["index"]) for d in assessment.result["dimensions"]},
    )


def test_each_opted_in_organisations_latest_result_in_organisation_order(sector):
    # The first organisation's latest result is the older one of the two: by creation time
    # (the assessments' default order) the second organisation would come first.
    first = sector.organisation(
        kind=Organisation.Kind.OCMW, population=14_000, region="  Limburg ", days_ago=40
    )
    first_latest = sector.assessment(first, level=4, days_ago=20)
    second = sector.organisation(population=None, days_ago=1)
    sector.organisation(opted_in=False, days_ago=2)
    other_slug = build_model_version(criteria_count=4, dimension_count=1, slug="anders")
    sector.organisation(version=other_slug, days_ago=3)

    found = participants(model_slug="benchmodel")

    assert found == [as_stored(first_latest), as_stored(second.assessments.get())]
    assert found[0].region == "Limburg"
    assert found[1].band == ""
    assert len(found[0].dimensions) == 3
    assert all(type(value) is float for value in found[0].dimensions.values())
    assert type(found[0].index) is float


def test_a_draft_never_counts_and_the_latest_submission_wins_by_time_then_id(sector):
    organisation = sector.organisation(days_ago=30)
    earlier_made = sector.assessment(organisation, level=3, days_ago=5)
    later_made = sector.assessment(organisation, level=1, days_ago=6)
    # Submitted in the same instant: the one made last (the higher id) is the latest.
    type(later_made).objects.filter(pk__in=[earlier_made.pk, later_made.pk]).update(
        submitted_at=earlier_made.submitted_at
    )
    # A reopened assessment: a draft again, its submission time kept, the newest of all.
    draft = sector.assessment(organisation, level=4, days_ago=1)
    type(draft).objects.filter(pk=draft.pk).update(status=type(draft).Status.DRAFT, result=None)

    assert [p.assessment_id for p in participants(model_slug="benchmodel")] == [later_made.pk]


def test_the_latest_submission_is_the_newest_by_submission_time_not_by_creation(sector):
    organisation = sector.organisation(days_ago=30)
    made_first = organisation.assessments.get()
    made_last = sector.assessment(organisation, level=3, days_ago=20)
    # The one made first was submitted last.
    type(made_first).objects.filter(pk=made_first.pk).update(
        submitted_at=made_last.submitted_at + timedelta(days=1)
    )

    assert [p.assessment_id for p in participants(model_slug="benchmodel")] == [made_first.pk]


def test_participation_get_reads_the_memberships_own_organisations_choice(sector):
    mine = sector.organisation(opted_in=True)
    sector.organisation(opted_in=False)  # another organisation's choice is never read
    membership = MembershipFactory(organisation=mine, role=Membership.Role.VIEWER)

    found = participation_get(membership=membership)

    assert found == Participation.objects.get(organisation=mine)
    assert found.opted_in is True


def test_participation_get_without_a_choice_is_not_taking_part_and_unsaved():
    membership = MembershipFactory(role=Membership.Role.VIEWER)
    Participation.objects.create(organisation=OrganisationFactory(), opted_in=True)

    found = participation_get(membership=membership)

    assert found._state.adding  # not stored: the organisation never chose
    assert found.organisation == membership.organisation
    assert found.opted_in is False
