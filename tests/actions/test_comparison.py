"""Checked at re-assessment: finished actions against the answers before and after."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from actions.admin import ActionAdmin
from actions.comparison import assessment_plan_comparison
from actions.models import Action
from actions.services import action_set_status
from assessments.models import Answer, Membership
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_submit
from maturity.models import AnswerValue
from tests.conftest import answer_all, submitted_assessment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BEFORE = {1: "2", 2: "2", 3: "1", 4: "0"}


def reassess(people, changes: dict[str, str], *, submit: bool = True):
    """A new assessment answered as BEFORE except the criterion keys in `changes`."""
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Hermeting"
    )
    answer_all(assessment, people.respondent, BEFORE)
    answers = {a.criterion.key: a for a in Answer.objects.filter(assessment=assessment)}
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=[
            AnswerInput(
                criterion=answers[key].criterion,
                value=value,
                comment="",
                loaded_revision=answers[key].revision,
            )
            for key, value in changes.items()
        ],
    )
    return (
        assessment_submit(assessment=assessment, user=people.respondent) if submit else assessment
    )


@pytest.fixture
def first(default_model, people):
    return submitted_assessment(people, "Nulmeting", BEFORE)


def phase_criteria(criteria, order: int):
    return [c for c in criteria if c.phase.order == order]


def test_a_finished_action_shows_its_answer_before_and_after(
    first, people, make_action, criteria, client_for
):
    improved, same, worse = phase_criteria(criteria, 1)[:3]
    for criterion in (improved, same, worse):
        action = make_action(title=f"Actie {criterion.key}", criterion_key=criterion.key)
        action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)
    second = reassess(people, {improved.key: "4", worse.key: "1"})
    membership = Membership.objects.get(user=people.viewer)

    comparison = assessment_plan_comparison(assessment=second, membership=membership)

    outcomes = {
        row.criterion.key: (row.before, row.after, row.outcome) for row in comparison.finished
    }
    partly, fully, limited = (str(AnswerValue(v).label) for v in ("2", "4", "1"))
    assert outcomes == {
        improved.key: (partly, fully, "improved"),
        same.key: (partly, partly, "same"),
        worse.key: (partly, limited, "worse"),
    }
    content = client_for(people.viewer).get(reverse("reports:report", args=[second.pk]))
    html = content.content.decode()
    assert "2 – partly → 4 – fully" in html or "2 – gedeeltelijk → 4 – volledig" in html


def test_open_actions_on_gaps_and_actions_off_the_model_are_named(
    first, people, make_action, criteria
):
    gap, closed = phase_criteria(criteria, 2)[:2]
    make_action(title="Nog open", criterion_key=gap.key)
    make_action(title="Al gehaald", criterion_key=closed.key)
    gone = make_action(title="Oud criterium")
    # A criterion of an older model version: only the database can still hold such a key.
    Action.objects.filter(pk=gone.pk).update(criterion_key="oud-criterium")
    second = reassess(people, {closed.key: "4"})

    comparison = assessment_plan_comparison(
        assessment=second, membership=Membership.objects.get(user=people.viewer)
    )

    assert [row.action.title for row in comparison.still_open] == ["Nog open"]
    assert [action.title for action in comparison.not_comparable] == ["Oud criterium"]
    assert comparison.finished == []


def test_actions_finished_before_the_previous_assessment_are_left_out(
    default_model, people, make_action, criteria
):
    action = make_action(criterion_key=criteria[0].key)
    action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)
    Action.objects.filter(pk=action.pk).update(completed_at=timezone.now() - timedelta(days=1))
    submitted_assessment(people, "Nulmeting", BEFORE)
    second = reassess(people, {})

    comparison = assessment_plan_comparison(
        assessment=second, membership=Membership.objects.get(user=people.viewer)
    )

    assert comparison is None


def test_another_organisations_membership_sees_nothing(
    first, people, make_action, criteria, stranger
):
    make_action(criterion_key=criteria[0].key)

    comparison = assessment_plan_comparison(
        assessment=first, membership=Membership.objects.get(user=stranger)
    )

    assert comparison is None


def test_the_section_follows_the_plan_although_the_report_is_cached(
    first, people, make_action, criteria, client_for
):
    criterion = phase_criteria(criteria, 1)[0]
    action = make_action(title="Beleid opstellen", criterion_key=criterion.key)
    client = client_for(people.viewer)
    second = reassess(people, {criterion.key: "4"})
    report = reverse("reports:report", args=[second.pk])
    before = client.get(report).content.decode()  # renders and caches the result sections
    assert 'id="plan-changes"' not in before  # open, and its criterion is no gap any more

    between = first.submitted_at + (second.submitted_at - first.submitted_at) / 2
    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE, completed_at=between)
    after = client.get(report).content.decode()

    assert 'id="plan-changes"' in after
    assert "Beleid opstellen" in after.split('id="plan-changes"')[1]


def test_a_staff_change_in_the_admin_reaches_the_cached_section(
    first, people, make_action, criteria, client_for, rf
):
    criterion = phase_criteria(criteria, 2)[0]
    action = make_action(title="Oude titel", criterion_key=criterion.key)
    second = reassess(people, {})
    client = client_for(people.viewer)
    report = reverse("reports:report", args=[second.pk])
    assert "Oude titel" in client.get(report).content.decode()  # cached now

    staff = UserFactory(is_staff=True, is_superuser=True)
    request = rf.post("/admin/")
    request.user = staff
    action.title = "Nieuwe titel"
    ActionAdmin(Action, admin.site).save_model(request, action, form=None, change=True)

    assert "Nieuwe titel" in client.get(report).content.decode()
    action.refresh_from_db()
    assert action.changed_by == staff
