"""The assessments app's selectors read directly: the id guards, whom each one lets see what, the
order, the annotations, and what each query loads along (the pages' query counts depend on it)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    Invitation,
    Membership,
    Perspective,
)
from assessments.selectors import (
    assessment_answer_changes,
    assessment_events,
    assessment_get,
    assessment_newer_version,
    assessment_version_offer,
    invitation_get_by_token,
    membership_for_organisation,
    membership_list,
    organisation_baselines,
    organisation_history_signature,
    organisation_invitation_get,
    organisation_latest_submitted,
    organisation_list_assessments,
    organisation_member_get,
    organisation_members,
    organisation_open_invitations,
    organisation_running_draft,
    organisation_submitted_assessments,
    version_offer,
    visible_assessments,
)
from maturity.models import Criterion, ModelVersion
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    build_model_version,
)

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [0, -1, 2**63, 2**64]
NOW = timezone.now()


def make_assessment(organisation, version, *, title="Meting", submitted_at=None, **fields):
    """A draft, or (with `submitted_at`) a submitted assessment with an empty result."""
    if submitted_at is not None:
        fields |= {"status": Assessment.Status.SUBMITTED, "result": {}}
    return Assessment.objects.create(
        organisation=organisation,
        model_version=version,
        title=title,
        submitted_at=submitted_at,
        **fields,
    )


def titles(assessments) -> list[str]:
    return [assessment.title for assessment in assessments]


def published(at, *, slug: str = "selectors") -> ModelVersion:
    """A new version of the model, published at that time."""
    version = build_model_version(criteria_count=4, slug=slug, publish=False)
    version.status, version.published_at = ModelVersion.Status.PUBLISHED, at
    version.save()
    return version


def archive(version: ModelVersion) -> None:
    ModelVersion.objects.filter(pk=version.pk).update(status=ModelVersion.Status.ARCHIVED)
    version.refresh_from_db()


@pytest.fixture
def version() -> ModelVersion:
    return build_model_version(criteria_count=4, slug="selectors")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Gemeente Midden")


@pytest.fixture
def admin(organisation) -> Membership:
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)


@pytest.fixture
def other_organisation():
    return OrganisationFactory(name="Gemeente Elders")


# membership_list, membership_for_organisation ----------------------------------------------


def test_an_anonymous_user_has_no_memberships_and_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert membership_list(user=AnonymousUser()) == []


def test_the_memberships_are_the_users_own_by_organisation_name_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory()
    for name in ("Gemeente Beta", "Gemeente Alfa", "Gemeente Gamma"):  # not in name order
        MembershipFactory(user=user, organisation=OrganisationFactory(name=name))
    MembershipFactory(organisation=OrganisationFactory(name="Gemeente Aaa"))  # someone else's

    with django_assert_num_queries(1):
        names = [m.organisation.name for m in membership_list(user=user)]
    assert names == ["Gemeente Alfa", "Gemeente Beta", "Gemeente Gamma"]


@pytest.mark.parametrize("organisation_id", OUT_OF_RANGE)
def test_a_membership_for_an_id_outside_the_range_is_none_without_a_query(
    admin, organisation_id, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert membership_for_organisation(user=admin.user, organisation_id=organisation_id) is None


def test_the_membership_for_an_organisation_is_the_users_own_with_it_in_one_query(
    admin, organisation, other_organisation, django_assert_num_queries
):
    MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER)  # a colleague
    MembershipFactory(organisation=other_organisation, role=Membership.Role.ADMIN)

    with django_assert_num_queries(1):
        found = membership_for_organisation(user=admin.user, organisation_id=organisation.pk)
        assert (found.pk, found.organisation.name) == (admin.pk, "Gemeente Midden")
    assert (
        membership_for_organisation(user=admin.user, organisation_id=other_organisation.pk) is None
    )


def test_a_membership_in_an_organisation_with_a_large_id_is_found(admin):
    organisation = OrganisationFactory(id=1000)
    membership = MembershipFactory(user=admin.user, organisation=organisation)

    assert membership_for_organisation(user=admin.user, organisation_id=1000) == membership


# visible_assessments, assessment_get ---------------------------------------------------------


def test_an_assessment_carries_its_number_of_perspectives(admin, organisation, version):
    three = make_assessment(organisation, version, title="Drie")
    Perspective.objects.create(assessment=three, name="Directie")
    Perspective.objects.create(assessment=three, name="Jeugddienst")
    make_assessment(organisation, version, title="Een")

    totals = {a.title: a.perspective_total for a in visible_assessments([admin])}
    assert totals == {"Drie": 3, "Een": 1}


def test_a_contributor_sees_only_the_assessments_of_their_perspectives(
    organisation, other_organisation, version
):
    user = UserFactory()
    contributor = MembershipFactory(
        user=user, organisation=organisation, role=Membership.Role.CONTRIBUTOR
    )
    viewer = MembershipFactory(
        user=user, organisation=other_organisation, role=Membership.Role.VIEWER
    )
    assigned = make_assessment(organisation, version, title="Toegewezen")
    assigned.perspectives.get().members.add(contributor)
    make_assessment(organisation, version, title="Niet toegewezen")
    make_assessment(other_organisation, version, title="Elders")
    make_assessment(OrganisationFactory(), version, title="Vreemd")

    assert sorted(titles(visible_assessments([contributor, viewer]))) == ["Elders", "Toegewezen"]
    assert titles(visible_assessments([contributor])) == ["Toegewezen"]
    assert sorted(titles(visible_assessments([viewer]))) == ["Elders"]
    # Another member's assignment opens nothing to this contributor.
    other = MembershipFactory(organisation=organisation, role=Membership.Role.CONTRIBUTOR)
    assert titles(visible_assessments([other])) == []


@pytest.mark.parametrize("pk", OUT_OF_RANGE)
def test_an_assessment_id_outside_the_range_is_none_without_a_query(
    admin, pk, django_assert_num_queries
):
    memberships = [admin]
    with django_assert_num_queries(0):
        assert assessment_get(user=admin.user, pk=pk, memberships=memberships) is None


def test_an_assessment_with_a_large_id_is_found(admin, organisation, version):
    make_assessment(organisation, version, id=1000)

    assessment, membership = assessment_get(user=admin.user, pk=1000)
    assert (assessment.pk, membership) == (1000, admin)


def test_an_assessment_comes_with_the_membership_and_what_its_pages_read_in_one_query(
    admin, organisation, other_organisation, version, django_assert_num_queries
):
    user = admin.user
    elsewhere = MembershipFactory(user=user, organisation=other_organisation)
    newer = build_model_version(criteria_count=4, slug="selectors")
    baseline = make_assessment(organisation, version, title="Basis", submitted_at=NOW)
    assessment = make_assessment(
        organisation, newer, title="Nieuw", started_from=baseline, moved_from=version
    )
    memberships = membership_list(user=user)

    with django_assert_num_queries(1):
        found, membership = assessment_get(user=user, pk=assessment.pk, memberships=memberships)
        read = (
            found.title,
            found.perspective_total,
            found.model_version.version,
            found.started_from.model_version.version,
            found.moved_from.version,
            found.organisation.name,
        )
    assert read == ("Nieuw", 1, 2, 1, 1, "Gemeente Midden")
    assert membership == admin
    assert found.organisation is membership.organisation
    assert elsewhere != membership


def test_an_assessment_is_read_with_the_users_memberships_when_none_are_passed(
    admin, organisation, version, django_assert_num_queries
):
    assessment = make_assessment(organisation, version)

    with django_assert_num_queries(2):  # the memberships, the assessment
        assert assessment_get(user=admin.user, pk=assessment.pk) == (assessment, admin)


def test_another_organisations_or_a_missing_assessment_is_none(admin, version):
    foreign = make_assessment(OrganisationFactory(), version)

    assert assessment_get(user=admin.user, pk=foreign.pk) is None
    assert assessment_get(user=admin.user, pk=foreign.pk + 100) is None


# members and invitations --------------------------------------------------------------------


def test_the_members_are_the_organisations_by_username_with_user_and_organisation(
    organisation, other_organisation, django_assert_num_queries
):
    for username in ("bert", "anna", "carl"):
        MembershipFactory(organisation=organisation, user=UserFactory(username=username))
    MembershipFactory(organisation=other_organisation, user=UserFactory(username="aaron"))
    membership = Membership.objects.get(user__username="carl")

    with django_assert_num_queries(1):
        read = [
            (m.user.username, m.organisation.name)
            for m in organisation_members(membership=membership)
        ]
    assert read == [
        ("anna", "Gemeente Midden"),
        ("bert", "Gemeente Midden"),
        ("carl", "Gemeente Midden"),
    ]


@pytest.mark.parametrize("pk", OUT_OF_RANGE)
def test_a_member_id_outside_the_range_is_none_without_a_query(
    admin, pk, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert organisation_member_get(membership=admin, pk=pk) is None


def test_a_member_is_one_of_the_organisations_with_their_account(
    admin, organisation, other_organisation, django_assert_num_queries
):
    colleague = MembershipFactory(organisation=organisation, user=UserFactory(username="lien"))
    MembershipFactory(id=1000, organisation=organisation, user=UserFactory(username="mo"))
    foreign = MembershipFactory(organisation=other_organisation)

    with django_assert_num_queries(1):
        found = organisation_member_get(membership=admin, pk=colleague.pk)
        assert (found.user.username, found.organisation.name) == ("lien", "Gemeente Midden")
    assert organisation_member_get(membership=admin, pk=1000).user.username == "mo"
    assert organisation_member_get(membership=admin, pk=foreign.pk) is None


def test_the_member_with_the_first_id_is_found(organisation):
    first = MembershipFactory(id=1, organisation=organisation, user=UserFactory(username="een"))
    admin = MembershipFactory(id=2, organisation=organisation, role=Membership.Role.ADMIN)

    assert organisation_member_get(membership=admin, pk=1) == first


def invite(organisation, email: str, **fields) -> Invitation:
    return Invitation.objects.create(
        organisation=organisation, email=email, role=Membership.Role.RESPONDENT, **fields
    )


def test_the_open_invitations_are_neither_accepted_nor_revoked_nor_anothers(
    admin, organisation, other_organisation
):
    invite(organisation, "open@example.org")
    invite(organisation, "accepted@example.org", accepted_at=NOW)
    invite(organisation, "revoked@example.org", revoked_at=NOW)
    invite(other_organisation, "elders@example.org")

    assert [i.email for i in organisation_open_invitations(membership=admin)] == [
        "open@example.org"
    ]


@pytest.mark.parametrize("pk", OUT_OF_RANGE)
def test_an_invitation_id_outside_the_range_is_none_without_a_query(
    admin, pk, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert organisation_invitation_get(membership=admin, pk=pk) is None


def test_an_invitation_is_an_open_one_of_the_organisation(admin, organisation, other_organisation):
    found = invite(organisation, "open@example.org")
    invite(organisation, "groot@example.org", id=1000)
    accepted = invite(organisation, "accepted@example.org", accepted_at=NOW)
    revoked = invite(organisation, "revoked@example.org", revoked_at=NOW)
    foreign = invite(other_organisation, "elders@example.org")

    assert organisation_invitation_get(membership=admin, pk=found.pk) == found
    assert organisation_invitation_get(membership=admin, pk=1000).email == "groot@example.org"
    for refused in (accepted, revoked, foreign):
        assert organisation_invitation_get(membership=admin, pk=refused.pk) is None


def test_an_invitation_is_found_by_its_token_with_its_organisation(
    organisation, other_organisation, django_assert_num_queries
):
    invitation = invite(organisation, "open@example.org")
    invite(other_organisation, "elders@example.org")

    with django_assert_num_queries(1):
        found = invitation_get_by_token(token=invitation.token)
        assert (found, found.organisation.name) == (invitation, "Gemeente Midden")
    assert invitation_get_by_token(token="nope") is None


# the dashboard's list and the version offer --------------------------------------------------


def test_the_dashboard_lists_the_organisations_assessments_newest_first_with_figures(
    admin, organisation, other_organisation, version, django_assert_num_queries
):
    other_model = build_model_version(criteria_count=8, slug="ander")
    criteria = list(Criterion.objects.filter(version=version).order_by("order"))
    old = make_assessment(organisation, version, title="Oud", created_at=NOW - timedelta(days=2))
    perspective = old.perspectives.get()
    for criterion, value, to_confirm in zip(
        criteria, ["3", "2", "", "1"], [False, True, False, False], strict=False
    ):
        Answer.objects.create(
            assessment=old,
            perspective=perspective,
            criterion=criterion,
            value=value,
            to_confirm=to_confirm,
        )
    make_assessment(other_organisation, version, title="Elders")
    submitted = make_assessment(
        organisation,
        other_model,
        title="Ingediend",
        created_at=NOW - timedelta(days=1),
        submitted_at=NOW,
    )
    Assessment.objects.filter(pk=submitted.pk).update(
        result={"phases": [{"reached": True, "key": "ontdekken"}]}
    )
    newer = build_model_version(criteria_count=4, slug="selectors")
    archive(version)
    make_assessment(organisation, newer, title="Nieuw", created_at=NOW)

    with django_assert_num_queries(1):  # the versions along
        listed = list(organisation_list_assessments(membership=admin))
        read = [
            (
                a.title,
                a.model_version.slug,
                a.criteria_total,
                a.progress_given,
                a.progress_to_confirm,
                a.newest_version_id,
                a.newest_version_number,
                a.phase_reached,
            )
            for a in listed
        ]
    assert read == [
        ("Nieuw", "selectors", 4, 0, 0, newer.pk, 2, None),
        ("Ingediend", "ander", 8, 0, 0, other_model.pk, 1, True),
        ("Oud", "selectors", 4, 3, 1, newer.pk, 2, None),
    ]
    assert version_offer(listed[2]) == 2
    assert [version_offer(a) for a in listed[:2]] == [None, None]


def test_the_newest_version_is_the_latest_published_then_the_highest_number(admin, organisation):
    first = published(NOW - timedelta(days=1))
    second = published(NOW)
    third = published(NOW)  # published at the same time as the second: the higher number
    build_model_version(criteria_count=4, slug="selectors", publish=False)  # a draft: never
    make_assessment(organisation, first)

    (listed,) = organisation_list_assessments(membership=admin)
    assert (listed.newest_version_id, listed.newest_version_number) == (third.pk, 3)
    fourth = published(NOW - timedelta(hours=1))  # a higher number published earlier
    (listed,) = organisation_list_assessments(membership=admin)
    assert (listed.newest_version_id, listed.newest_version_number) == (third.pk, 3)
    assert second.pk != fourth.pk


def test_a_draft_on_a_published_version_is_offered_nothing_without_a_query(
    organisation, version, django_assert_num_queries
):
    draft = make_assessment(organisation, version)
    draft = Assessment.objects.select_related("model_version").get(pk=draft.pk)

    with django_assert_num_queries(0):
        assert version_offer(draft) is None


def test_a_draft_on_an_archived_version_is_offered_the_newer_one_in_one_query(
    organisation, version, django_assert_num_queries
):
    newer = build_model_version(criteria_count=4, slug="selectors")
    build_model_version(criteria_count=4, slug="ander")  # another model's newer version
    archive(version)
    draft = make_assessment(organisation, version)
    draft = Assessment.objects.select_related("model_version").get(pk=draft.pk)

    with django_assert_num_queries(1):
        assert version_offer(draft) == 2
    assert (draft.newest_version_id, draft.newest_version_number) == (newer.pk, 2)
    with django_assert_num_queries(0):  # read once
        assert version_offer(draft) == 2


def test_no_offer_for_a_submitted_assessment_a_dismissed_offer_or_no_newer_version(
    organisation, version
):
    newer = build_model_version(criteria_count=4, slug="selectors")
    archive(version)
    submitted = make_assessment(organisation, version, submitted_at=NOW)
    dismissed = make_assessment(organisation, version, version_offer_dismissed=newer)
    assert version_offer(submitted) is None
    assert version_offer(dismissed) is None

    alone = build_model_version(criteria_count=4, slug="alleen")
    archive(alone)
    assert version_offer(make_assessment(organisation, alone)) is None  # none published
    # An offer dismissed once, and since then no version published at all.
    kept = make_assessment(organisation, alone, version_offer_dismissed=version)
    assert version_offer(kept) is None
    # Only an older version published (a newer one archived): not an offer to move back.
    later = build_model_version(criteria_count=4, slug="terug", publish=False)
    later_two = build_model_version(criteria_count=4, slug="terug")
    archive(later_two)
    later.status, later.published_at = ModelVersion.Status.PUBLISHED, NOW
    later.save()
    same = make_assessment(organisation, later_two)
    assert version_offer(same) is None
    assert assessment_newer_version(assessment=same) is None


def test_an_annotated_draft_is_offered_what_the_annotations_say_without_a_query(
    organisation, version, django_assert_num_queries
):
    archive(version)
    draft = make_assessment(organisation, version)
    draft = Assessment.objects.select_related("model_version").get(pk=draft.pk)
    draft.newest_version_id, draft.newest_version_number = 77, 5

    with django_assert_num_queries(0):
        assert version_offer(draft) == 5
    draft.newest_version_number = 1  # its own number: nothing newer
    assert version_offer(draft) is None
    draft.newest_version_id = None
    draft.newest_version_number = 5
    assert version_offer(draft) is None


def test_the_newer_version_and_the_offer_of_a_draft(organisation, version):
    newer = build_model_version(criteria_count=4, slug="selectors")
    archive(version)
    draft = make_assessment(organisation, version)
    current = make_assessment(organisation, newer)
    submitted = make_assessment(organisation, version, submitted_at=NOW)

    assert assessment_newer_version(assessment=draft) == newer
    assert assessment_version_offer(assessment=draft) == newer
    assert assessment_newer_version(assessment=current) is None
    assert assessment_version_offer(assessment=current) is None
    assert assessment_newer_version(assessment=submitted) is None
    assert assessment_version_offer(assessment=submitted) is None
    draft.version_offer_dismissed = newer
    assert assessment_version_offer(assessment=draft) is None
    alone = build_model_version(criteria_count=4, slug="alleen")
    archive(alone)
    assert assessment_newer_version(assessment=make_assessment(organisation, alone)) is None


# the history ---------------------------------------------------------------------------------


@pytest.fixture
def history(organisation, other_organisation, version):
    """Submitted assessments out of creation order (the latest is not the last made), a test, a
    draft and another organisation's."""
    day = timedelta(days=1)
    make_assessment(organisation, version, title="Tweede", submitted_at=NOW - day)
    make_assessment(organisation, version, title="Derde", submitted_at=NOW)
    make_assessment(organisation, version, title="Eerste", submitted_at=NOW - 2 * day)
    make_assessment(
        organisation,
        version,
        title="Test",
        submitted_at=NOW + day,
        is_test=True,
        test_changed_at=NOW - 3 * day,
    )
    make_assessment(organisation, version, title="Ontwerp")
    make_assessment(other_organisation, version, title="Elders", submitted_at=NOW + 2 * day)


def test_the_history_is_the_counted_submissions_oldest_first_with_their_versions(
    organisation, history, django_assert_num_queries
):
    with django_assert_num_queries(1):
        read = [
            (a.title, a.model_version.version)
            for a in organisation_submitted_assessments(organisation_id=organisation.pk)
        ]
    assert read == [("Eerste", 1), ("Tweede", 1), ("Derde", 1)]


def test_the_latest_submitted_and_the_baselines_are_the_counted_ones_newest_first(
    admin, organisation, history, django_assert_num_queries
):
    with django_assert_num_queries(1):
        latest = organisation_latest_submitted(organisation_id=organisation.pk)
        assert (latest.title, latest.model_version.version) == ("Derde", 1)
    with django_assert_num_queries(1):
        read = [
            (a.title, a.model_version.version) for a in organisation_baselines(membership=admin)
        ]
    assert read == [("Derde", 1), ("Tweede", 1), ("Eerste", 1)]
    assert organisation_latest_submitted(organisation_id=OrganisationFactory().pk) is None


def test_submissions_at_the_same_time_are_ordered_by_id(admin, organisation, version):
    first = make_assessment(organisation, version, title="Eerst", submitted_at=NOW)
    second = make_assessment(organisation, version, title="Daarna", submitted_at=NOW)

    assert organisation_submitted_assessments(organisation_id=organisation.pk) == [first, second]
    assert organisation_latest_submitted(organisation_id=organisation.pk) == second
    assert organisation_baselines(membership=admin) == [second, first]


def test_the_running_draft_is_the_newest_draft_of_the_model(
    admin, organisation, other_organisation, version
):
    newer = build_model_version(criteria_count=4, slug="selectors")
    other_model = build_model_version(criteria_count=4, slug="ander")
    make_assessment(organisation, version, title="Oud", created_at=NOW - timedelta(days=1))
    make_assessment(organisation, newer, title="Nieuw", created_at=NOW)
    make_assessment(organisation, version, title="Oudst", created_at=NOW - timedelta(days=2))
    make_assessment(organisation, version, title="Ingediend", submitted_at=NOW, created_at=NOW)
    make_assessment(organisation, other_model, title="Ander", created_at=NOW + timedelta(days=1))
    make_assessment(other_organisation, version, title="Elders", created_at=NOW)

    assert organisation_running_draft(membership=admin, model_slug="selectors").title == "Nieuw"
    assert organisation_running_draft(membership=admin, model_slug="ander").title == "Ander"
    assert organisation_running_draft(membership=admin, model_slug="geen") is None
    tie = make_assessment(organisation, version, title="Gelijk", created_at=NOW)
    assert organisation_running_draft(membership=admin, model_slug="selectors") == tie


def test_the_history_signature_counts_the_submissions_and_their_latest_change(
    organisation, history
):
    assert organisation_history_signature(organisation_id=organisation.pk) == (3, NOW)
    marked = NOW + timedelta(days=5)
    Assessment.objects.filter(title="Test").update(test_changed_at=marked)
    assert organisation_history_signature(organisation_id=organisation.pk) == (3, marked)


def test_the_history_signature_of_only_tests_or_of_nothing(organisation, version):
    assert organisation_history_signature(organisation_id=organisation.pk) == (0, None)
    make_assessment(organisation, version, title="Test", submitted_at=NOW, is_test=True)
    assert organisation_history_signature(organisation_id=organisation.pk) == (0, None)
    Assessment.objects.update(test_changed_at=NOW - timedelta(days=1))
    assert organisation_history_signature(organisation_id=organisation.pk) == (
        0,
        NOW - timedelta(days=1),
    )
    # A draft marked once (a submitted test reopened) is no part of the history.
    make_assessment(organisation, version, title="Ontwerp", test_changed_at=NOW)
    assert organisation_history_signature(organisation_id=organisation.pk) == (
        0,
        NOW - timedelta(days=1),
    )


# the trail -----------------------------------------------------------------------------------


def test_the_answer_changes_are_the_assessments_own_newest_first_with_their_author(
    organisation, version, django_assert_num_queries
):
    author = UserFactory(username="auteur")
    assessment = make_assessment(organisation, version)
    other = make_assessment(organisation, version)
    criterion = Criterion.objects.filter(version=version).first()
    for new_value, at in (("1", NOW - timedelta(hours=1)), ("2", NOW)):
        AnswerChange.objects.create(
            assessment=assessment,
            criterion=criterion,
            new_value=new_value,
            changed_by=author,
            changed_at=at,
        )
    AnswerChange.objects.create(assessment=other, criterion=criterion, new_value="4")

    with django_assert_num_queries(1):
        read = [
            (c.new_value, c.changed_by.username)
            for c in assessment_answer_changes(assessment=assessment)
        ]
    assert read == [("2", "auteur"), ("1", "auteur")]


def test_the_events_are_the_assessments_own_in_order_with_their_user(
    organisation, version, django_assert_num_queries
):
    user = UserFactory(username="indiener")
    assessment = make_assessment(organisation, version)
    other = make_assessment(organisation, version)
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.SUBMITTED, user=user, at=NOW
    )
    AssessmentEvent.objects.create(
        assessment=assessment,
        kind=AssessmentEvent.Kind.CREATED,
        user=user,
        at=NOW - timedelta(days=1),
    )
    AssessmentEvent.objects.create(assessment=other, kind=AssessmentEvent.Kind.CREATED, user=user)

    with django_assert_num_queries(1):
        read = [(e.kind, e.user.username) for e in assessment_events(assessment=assessment)]
    assert read == [("created", "indiener"), ("submitted", "indiener")]
