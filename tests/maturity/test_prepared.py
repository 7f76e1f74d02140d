"""maturity.prepared: a read compiled once returns what its queryset returns, for new values."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from actions.models import Action
from assessments.models import Assessment, Membership, Organisation
from maturity.prepared import PreparedRead
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    build_model_version,
)

pytestmark = pytest.mark.django_db


def _memberships() -> PreparedRead:
    return PreparedRead(
        lambda user_id: (
            Membership.objects.filter(user_id=user_id).select_related("organisation").order_by("pk")
        )
    )


def test_models_with_their_related_objects_as_the_queryset_gives_them(
    django_assert_num_queries,
):
    membership = MembershipFactory(organisation__name="Gemeente Aalst")
    MembershipFactory(user=membership.user)
    MembershipFactory()  # someone else's
    read = _memberships()
    expected = list(Membership.objects.filter(user=membership.user).select_related("organisation"))
    with django_assert_num_queries(1):
        found = read(user_id=membership.user.pk)
        names = [m.organisation.name for m in found]
    assert [m.pk for m in found] == sorted(m.pk for m in expected)
    assert [(m.role, m.user_id, m.created_at) for m in found] == [
        (m.role, m.user_id, m.created_at) for m in sorted(expected, key=lambda m: m.pk)
    ]
    assert "Gemeente Aalst" in names
    assert found[0]._state.db == "default" and not found[0]._state.adding


def test_the_sql_is_compiled_once_and_filled_with_each_call_s_values():
    first, second = MembershipFactory(), MembershipFactory()
    read = _memberships()
    with CaptureQueriesContext(connection) as queries:
        assert [m.pk for m in read(user_id=first.user.pk)] == [first.pk]
        assert [m.pk for m in read(user_id=second.user.pk)] == [second.pk]
        assert read(user_id=2**62) == []
    sql = {query["sql"].split(" WHERE ")[0] for query in queries.captured_queries}
    assert len(queries.captured_queries) == 3 and len(sql) == 1
    assert str(first.user.pk) in queries.captured_queries[0]["sql"]
    assert str(second.user.pk) in queries.captured_queries[1]["sql"]


def test_a_list_compiles_per_length_and_an_empty_list_runs_no_query(django_assert_num_queries):
    organisations = OrganisationFactory.create_batch(3)
    read = PreparedRead(
        lambda ids: Organisation.objects.filter(pk__in=ids).order_by().values_list("pk", flat=True)
    )
    pks = [o.pk for o in organisations]
    assert sorted(read(ids=pks)) == sorted(pks)
    assert read(ids=pks[:1]) == pks[:1]
    assert sorted(read(ids=[pks[2], pks[0]])) == sorted([pks[0], pks[2]])
    assert sorted(read(ids=(pks[1], pks[1]))) == [pks[1]]  # the SQL IN ignores the repeat
    with django_assert_num_queries(0):
        assert read(ids=[]) == []


def test_converted_values_dicts_and_tuples_as_the_queryset_gives_them():
    membership = MembershipFactory()
    due = timezone.localdate() + timedelta(days=9)
    Action.objects.create(
        organisation=membership.organisation,
        title="Een 'huisstijl' voor posts <b>",
        criterion_key="crit-001",
        due_date=due,
        status=Action.Status.DONE,
        completed_at=timezone.now(),
        owner_member=membership,
    )
    columns = ("pk", "title", "due_date", "completed_at", "owner_member__user__username")

    def queryset(organisation_id, keys):
        return Action.objects.filter(organisation_id=organisation_id, criterion_key__in=keys)

    tuples = PreparedRead(lambda **a: queryset(**a).order_by().values_list(*columns))
    dicts = PreparedRead(lambda **a: queryset(**a).order_by().values(*columns))
    arguments = {"organisation_id": membership.organisation_id, "keys": ["crit-001", "crit-9"]}
    assert tuples(**arguments) == list(queryset(**arguments).values_list(*columns))
    assert dicts(**arguments) == list(queryset(**arguments).values(*columns))
    (row,) = dicts(**arguments)
    assert row["due_date"] == due and timezone.is_aware(row["completed_at"])


def test_an_empty_relation_is_none_without_a_query(django_assert_num_queries):
    assessment = AssessmentFactory()
    read = PreparedRead(
        lambda pk: Assessment.objects.filter(pk=pk).select_related(
            "model_version", "started_from__model_version"
        )
    )
    with django_assert_num_queries(1):
        (found,) = read(pk=assessment.pk)
        assert found.started_from is None
        assert found.model_version.pk == assessment.model_version_id


def test_annotations_and_subqueries_as_the_queryset_gives_them():
    membership = MembershipFactory()
    MembershipFactory(organisation=membership.organisation)
    other = OrganisationFactory()

    def queryset(ids):
        return (
            Organisation.objects.filter(pk__in=ids)
            .annotate(members=Count("memberships"))
            .order_by("pk")
        )

    models = PreparedRead(queryset)
    values = PreparedRead(lambda ids: queryset(ids).values("name", "members"))
    ids = [membership.organisation_id, other.pk]
    assert [(o.pk, o.members) for o in models(ids=ids)] == [
        (o.pk, o.members) for o in queryset(ids)
    ]
    assert values(ids=ids) == list(queryset(ids).values("name", "members"))
    assert [o.members for o in models(ids=ids)] == [2, 0]


@pytest.mark.parametrize(
    "text",
    ["'; DROP TABLE assessments_organisation; --", "100%_", "a\\b", "\u202egnirts", "x" * 200],
)
def test_hostile_text_is_a_value_not_sql(text):
    OrganisationFactory(name=text)
    read = PreparedRead(lambda name: Organisation.objects.filter(name=name).values_list("name"))
    assert read(name=text) == [(text,)]
    assert read(name=text + " ") == []
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("build", "arguments"),
    [
        # The value is changed on its way to SQL (wrapped in %…%): no argument to place.
        (lambda name: Organisation.objects.filter(name__icontains=name), {"name": "aalst"}),
        (
            lambda pk: Organisation.objects.filter(pk=pk).extra(select={"one": "1"}),
            {"pk": 1},
        ),
        (
            lambda pk: Organisation.objects.filter(pk=pk).prefetch_related("memberships"),
            {"pk": 1},
        ),
    ],
    ids=["value changed", "extra", "prefetch"],
)
def test_a_read_it_cannot_rebuild_is_refused_at_its_first_call(build, arguments):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(build)(**arguments)


@pytest.mark.parametrize("value", [True, 1.5, None, timezone.now()])
def test_an_argument_other_than_an_int_or_a_string_is_refused(value):
    read = PreparedRead(lambda value: Organisation.objects.filter(pk=value))
    with pytest.raises(ImproperlyConfigured):
        read(value=value)


class TestAgainstTheQueryset(HypothesisTestCase):
    """Whatever the organisations and the keys asked for, the same rows as the ORM's."""

    read = PreparedRead(
        lambda ids, kind: (
            Organisation.objects.filter(pk__in=ids)
            .exclude(kind=kind)
            .order_by()
            .values_list("pk", "name", "kind")
        )
    )

    @settings(max_examples=40, deadline=None)
    @given(
        names=st.lists(st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s)),
        picks=st.lists(st.integers(min_value=-3, max_value=12), max_size=8),
        kind=st.sampled_from(Organisation.Kind.values),
    )
    def test_same_rows(self, names, picks, kind):
        Organisation.objects.all().delete()
        kinds = Organisation.Kind.values
        created = [
            Organisation.objects.create(name=name, slug=f"o-{i}", kind=kinds[i % len(kinds)])
            for i, name in enumerate(names)
        ]
        ids = [created[p].pk if 0 <= p < len(created) else 2**31 + p for p in picks]
        expected = Organisation.objects.filter(pk__in=ids).exclude(kind=kind)
        assert sorted(self.read(ids=ids, kind=kind)) == sorted(
            expected.values_list("pk", "name", "kind")
        )


@pytest.mark.django_db(transaction=True)
def test_threads_compiling_and_reading_at_once_each_get_their_own_rows():
    """Real threads, each with its own connection, on a read no thread has compiled yet."""
    version = build_model_version(criteria_count=4, dimension_count=1)
    users = [UserFactory() for _ in range(6)]
    mine = {
        user.pk: {
            MembershipFactory(
                user=user, organisation=AssessmentFactory(model_version=version).organisation
            ).pk
            for _ in range(2)
        }
        for user in users
    }
    read = _memberships()
    start = threading.Barrier(len(users))
    wrong: list = []

    def work(user_id: int) -> None:
        try:
            start.wait()
            for _ in range(15):
                found = {m.pk for m in read(user_id=user_id)}
                if found != mine[user_id]:
                    wrong.append((user_id, found))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(pk,)) for pk in mine]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
