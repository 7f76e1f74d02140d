"""The perspective selectors read directly (a start: `perspective_get` and the member choices;
docs/testing.md lists the rest of the module's mutation run)."""

import pytest

from assessments.models import Assessment, Membership, Perspective
from assessments.perspective_selectors import perspective_get, perspective_member_choices
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, build_model_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment() -> Assessment:
    return Assessment.objects.create(
        organisation=OrganisationFactory(),
        model_version=build_model_version(criteria_count=4),
        title="Meting",
    )


@pytest.mark.parametrize("pk", [0, -1, 2**63, 2**64])
def test_a_perspective_id_outside_the_range_is_none_without_a_query(
    assessment, pk, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert perspective_get(assessment=assessment, pk=pk) is None


def test_a_perspective_is_one_of_the_assessments_own_a_large_id_too(assessment):
    large = Perspective.objects.create(id=1000, assessment=assessment, name="Directie")
    other = Assessment.objects.create(
        organisation=assessment.organisation, model_version=assessment.model_version, title="B"
    )

    assert perspective_get(assessment=assessment, pk=1000) == large
    assert perspective_get(assessment=other, pk=1000) is None
    assert perspective_get(assessment=other, pk=assessment.perspectives.first().pk) is None


def test_the_member_choices_are_those_who_can_answer_by_name_with_their_accounts(
    assessment, django_assert_num_queries
):
    organisation = assessment.organisation
    people = [
        ("zz", "Bram", "Aerts", Membership.Role.RESPONDENT),
        ("aa", "Bram", "Aerts", Membership.Role.CONTRIBUTOR),
        ("mm", "Ann", "Zeger", Membership.Role.ADMIN),
        ("bb", "Bram", "Claes", Membership.Role.RESPONDENT),
        ("vv", "Aaron", "Aa", Membership.Role.VIEWER),  # sees, never answers
    ]
    for username, first, last, role in people:
        user = UserFactory(username=username, first_name=first, last_name=last)
        MembershipFactory(user=user, organisation=organisation, role=role)
    MembershipFactory(organisation=OrganisationFactory())  # another organisation's

    with django_assert_num_queries(1):
        names = [m.user.username for m in perspective_member_choices(assessment=assessment)]
    assert names == ["mm", "aa", "zz", "bb"]


def test_the_perspective_with_the_first_id_is_found(assessment):
    assessment.perspectives.update(id=1)  # the assessment's one perspective, whatever its id was

    assert perspective_get(assessment=assessment, pk=1).name == Perspective.DEFAULT_NAME
