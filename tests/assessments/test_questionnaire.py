"""Filling in the questionnaire: steps, saving, stale forms, review, submit, reopen, dashboard."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, Membership
from assessments.services import AnswerInput, answers_save, assessment_create
from maturity.selectors import model_version_structure
from tests.conftest import answer_all
from tests.factories import MembershipFactory, build_model_version
from tests.html_forms import loaded_form
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db


def english_client(user) -> Client:
    """A logged-in client reading the English UI, so messages are the source strings."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def step_url(assessment: Assessment, number: int) -> str:
    return reverse("assessments:step", args=[assessment.pk, number])


def step_criteria(assessment: Assessment, number: int):
    structure = model_version_structure(version=assessment.model_version)
    return structure.criteria_of_dimension(structure.dimensions[number - 1])


def step_count(assessment: Assessment) -> int:
    return len(model_version_structure(version=assessment.model_version).dimensions)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def answer_value(assessment: Assessment, criterion) -> str | None:
    answer = Answer.objects.filter(assessment=assessment, criterion=criterion).first()
    return answer.value if answer else None


def answer_some(assessment, user, criteria, value):
    """Save the same value for several criteria, as a colleague would have done earlier."""
    answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(criterion=c, value=value, comment="", loaded_revision=0) for c in criteria
        ],
    )


@pytest.fixture
def respondent_client(people) -> Client:
    return english_client(people.respondent)


@pytest.fixture
def colleague(people):
    """A second respondent of the same organisation."""
    return MembershipFactory(organisation=people.organisation, role=Membership.Role.RESPONDENT).user


# --- showing a step ---------------------------------------------------------------------------


def test_step_shows_a_fieldset_with_legend_per_criterion(respondent_client, draft):
    response = respondent_client.get(step_url(draft, 1))

    content = response.content.decode()
    criteria = step_criteria(draft, 1)
    assert response.status_code == 200
    assert content.count('<fieldset class="criterion') == len(criteria)
    for criterion in criteria:
        assert f'id="criterion-{criterion.key}"' in content
        assert f'<legend class="card-header">{criterion.statement}</legend>' in content


def test_step_shows_progress(respondent_client, people, draft):
    first = step_criteria(draft, 2)[0]
    answer_some(draft, people.respondent, [first], "3")
    total = len(model_version_structure(version=draft.model_version).criteria)

    response = respondent_client.get(step_url(draft, 1))

    assert f'max="{total}" value="1"' in response.content.decode()
    assert (response.context["answered"], response.context["total"]) == (1, total)


def test_step_shows_saved_answer_checked(respondent_client, people, draft):
    criterion = step_criteria(draft, 1)[0]
    answer_some(draft, people.respondent, [criterion], "dk")

    response = respondent_client.get(step_url(draft, 1))

    assert f'name="{criterion.key}-value" value="dk" checked' in response.content.decode()
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial[f"{criterion.key}-value"] == "dk"
    assert form.initial[f"{criterion.key}-revision"] == 1


def test_step_form_has_the_fields_of_its_criteria_also_when_unbound(respondent_client, draft):
    response = respondent_client.get(step_url(draft, 1))

    form = response.context["form"]
    assert list(form.fields) == [
        f"{criterion.key}-{part}"
        for criterion in step_criteria(draft, 1)
        for part in ("value", "comment", "revision", "confidence")
    ]
    assert set(form.initial.values()) == {"", 0}


def test_the_page_submits_what_the_form_holds(respondent_client, people, colleague, draft):
    """What a browser sends back from the HTML equals the form's data, on GET, 400 and 409."""
    first, second = step_criteria(draft, 1)[:2]
    answer_some(draft, people.respondent, [first], "dk")
    page = respondent_client.get(step_url(draft, 1))
    assert loaded_form(page) == form_data(page)
    data = form_data(page) | {"action": "save", f"{second.key}-comment": "x" * 2001}
    invalid = respondent_client.post(step_url(draft, 1), data)
    assert invalid.status_code == 400
    assert loaded_form(invalid) | {"action": "save"} == form_data(invalid) | {"action": "save"}
    answer_some(draft, colleague, [second], "3")
    conflict = respondent_client.post(step_url(draft, 1), form_data(page) | {"action": "save"})
    assert conflict.status_code == 409
    assert loaded_form(conflict) == form_data(conflict)


# --- saving and moving ------------------------------------------------------------------------


def test_save_stores_answers_and_stays_on_step(respondent_client, draft):
    criterion = step_criteria(draft, 1)[0]
    data = form_data(respondent_client.get(step_url(draft, 1)))
    data |= {f"{criterion.key}-value": "3", f"{criterion.key}-comment": "Klopt", "action": "save"}

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.status_code == 302
    assert response.url == step_url(draft, 1)
    answer = Answer.objects.get(assessment=draft, criterion=criterion)
    assert (answer.value, answer.comment) == ("3", "Klopt")
    assert messages_of(response) == ["1 answer saved."]


def test_next_moves_to_following_step(respondent_client, draft):
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "next"}

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.url == step_url(draft, 2)


def test_previous_moves_back_a_step(respondent_client, draft):
    data = form_data(respondent_client.get(step_url(draft, 2))) | {"action": "previous"}

    response = respondent_client.post(step_url(draft, 2), data)

    assert response.url == step_url(draft, 1)


def test_next_on_last_step_goes_to_review(respondent_client, draft):
    last = step_count(draft)
    data = form_data(respondent_client.get(step_url(draft, last))) | {"action": "next"}

    response = respondent_client.post(step_url(draft, last), data)

    assert response.url == reverse("assessments:review", args=[draft.pk])


@pytest.mark.parametrize(("number", "action"), [(1, "next"), (2, "previous")])
def test_moving_between_steps_keeps_what_was_typed(respondent_client, draft, number, action):
    criteria = step_criteria(draft, number)
    data = form_data(respondent_client.get(step_url(draft, number))) | {"action": action}
    for criterion in criteria:
        data[f"{criterion.key}-value"] = "2"
        data[f"{criterion.key}-comment"] = f"Notitie {criterion.key}"

    respondent_client.post(step_url(draft, number), data)

    stored = {a.criterion_id: (a.value, a.comment) for a in Answer.objects.filter(assessment=draft)}
    assert stored == {c.pk: ("2", f"Notitie {c.key}") for c in criteria}


def test_resubmitting_unchanged_form_writes_nothing(respondent_client, people, draft):
    criteria = step_criteria(draft, 1)
    answer_some(draft, people.respondent, criteria, "1")
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}

    respondent_client.post(step_url(draft, 1), data)

    assert AnswerChange.objects.filter(assessment=draft).count() == len(criteria)
    assert set(Answer.objects.filter(assessment=draft).values_list("revision", flat=True)) == {1}


def test_clearing_an_answer_is_saved(respondent_client, people, draft):
    criterion = step_criteria(draft, 1)[0]
    answer_some(draft, people.respondent, [criterion], "4")
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
    data[f"{criterion.key}-value"] = ""

    respondent_client.post(step_url(draft, 1), data)

    assert answer_value(draft, criterion) == ""


def test_answer_changes_are_audited_old_to_new(respondent_client, people, draft):
    criterion = step_criteria(draft, 1)[0]
    for value in ("1", "3"):
        data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
        data[f"{criterion.key}-value"] = value
        respondent_client.post(step_url(draft, 1), data)

    changes = AnswerChange.objects.filter(assessment=draft, criterion=criterion).order_by("id")
    assert [(c.old_value, c.new_value) for c in changes] == [("", "1"), ("1", "3")]
    assert {c.changed_by for c in changes} == {people.respondent}
    assert {c.source for c in changes} == {"form"}


# --- tampered or stale posts ------------------------------------------------------------------


def test_value_off_the_scale_is_refused(respondent_client, draft):
    first, second = step_criteria(draft, 1)[:2]
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
    data |= {f"{first.key}-value": "7", f"{second.key}-value": "3"}

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.status_code == 400
    assert "Choose one of the answers on the scale." in response.content.decode()
    assert f'id="error-{first.key}"' in response.content.decode()
    assert response.context["form"].errors == {
        f"{first.key}-value": ["Choose one of the answers on the scale."]
    }
    assert messages_of(response) == [
        "Nothing was saved yet. Correct the marked questions and save again."
    ]
    assert not Answer.objects.filter(assessment=draft).exists()


def test_negative_revision_is_refused(respondent_client, draft):
    criterion = step_criteria(draft, 1)[0]
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
    data |= {f"{criterion.key}-value": "3", f"{criterion.key}-revision": "-1"}

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"{criterion.key}-revision"]
    assert not Answer.objects.filter(assessment=draft).exists()


def test_comment_over_the_limit_is_refused(respondent_client, draft):
    criterion = step_criteria(draft, 1)[0]
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
    data |= {f"{criterion.key}-value": "3", f"{criterion.key}-comment": "x" * 2001}

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"{criterion.key}-comment"]
    assert not Answer.objects.filter(assessment=draft).exists()


def test_post_to_submitted_assessment_changes_nothing(respondent_client, submitted):
    criterion = step_criteria(submitted, 1)[0]
    before = list(
        Answer.objects.filter(assessment=submitted).values_list("pk", "value", "revision")
    )
    changes_before = AnswerChange.objects.filter(assessment=submitted).count()

    response = respondent_client.post(
        step_url(submitted, 1),
        {f"{criterion.key}-value": "0", f"{criterion.key}-revision": "1", "action": "save"},
    )

    assert response.status_code == 302
    assert response.url == reverse("reports:report", args=[submitted.pk])
    after = list(Answer.objects.filter(assessment=submitted).values_list("pk", "value", "revision"))
    assert after == before
    assert AnswerChange.objects.filter(assessment=submitted).count() == changes_before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("number", [0, 7, 99])
def test_step_number_out_of_range_is_404(respondent_client, draft, method, number):
    assert step_count(draft) == 6

    response = getattr(respondent_client, method)(step_url(draft, number), {"action": "save"})

    assert response.status_code == 404


def test_unknown_criterion_keys_are_ignored(respondent_client, draft):
    other_version = build_model_version(criteria_count=4, dimension_count=1, slug="ander-model")
    other_criterion = other_version.criteria.get(key="crit-001")
    later_step_criterion = step_criteria(draft, 2)[0]
    data = form_data(respondent_client.get(step_url(draft, 1))) | {"action": "save"}
    data |= {
        "crit-001-value": "4",
        "crit-001-revision": "0",
        f"{later_step_criterion.key}-value": "4",
        "no-such-key-value": "4",
    }

    response = respondent_client.post(step_url(draft, 1), data)

    assert response.status_code == 302
    assert not Answer.objects.filter(assessment=draft).exists()
    assert not Answer.objects.filter(criterion=other_criterion).exists()


# --- two colleagues at once -------------------------------------------------------------------


def test_stale_form_is_refused_and_colleagues_answer_kept(people, colleague, draft):
    criterion = step_criteria(draft, 1)[0]
    client_a = english_client(people.respondent)
    client_b = english_client(colleague)
    form_a = form_data(client_a.get(step_url(draft, 1))) | {"action": "save"}
    form_b = form_data(client_b.get(step_url(draft, 1))) | {"action": "save"}

    response_a = client_a.post(step_url(draft, 1), form_a | {f"{criterion.key}-value": "2"})
    response_b = client_b.post(step_url(draft, 1), form_b | {f"{criterion.key}-value": "4"})

    assert response_a.status_code == 302
    assert response_b.status_code == 409
    [message] = messages_of(response_b)
    assert criterion.statement_en in message
    assert "A colleague changed an answer on this page" in message
    answer = Answer.objects.get(assessment=draft, criterion=criterion)
    assert (answer.value, answer.updated_by) == ("2", people.respondent)
    content = response_b.content.decode()
    assert f'name="{criterion.key}-value" value="2" checked' in content
    assert f'name="{criterion.key}-value" value="4" checked' not in content
    assert f'name="{criterion.key}-revision" value="{answer.revision}"' in content
    form = response_b.context["form"]
    assert not form.is_bound
    assert form.conflict_keys == {criterion.key}
    assert form.initial[f"{criterion.key}-value"] == "2"
    assert form.initial[f"{criterion.key}-revision"] == answer.revision


def test_stale_form_keeps_the_other_answers_of_the_page(people, colleague, draft):
    contested, other = step_criteria(draft, 1)[:2]
    client_a = english_client(people.respondent)
    client_b = english_client(colleague)
    form_a = form_data(client_a.get(step_url(draft, 1))) | {"action": "save"}
    form_b = form_data(client_b.get(step_url(draft, 1))) | {"action": "save"}

    client_a.post(step_url(draft, 1), form_a | {f"{contested.key}-value": "2"})
    client_b.post(
        step_url(draft, 1), form_b | {f"{contested.key}-value": "4", f"{other.key}-value": "1"}
    )

    assert answer_value(draft, contested) == "2"
    assert answer_value(draft, other) == "1"


def test_saving_again_after_conflict_overwrites_knowingly(people, colleague, draft):
    criterion = step_criteria(draft, 1)[0]
    client_a = english_client(people.respondent)
    client_b = english_client(colleague)
    form_a = form_data(client_a.get(step_url(draft, 1))) | {"action": "save"}
    form_b = form_data(client_b.get(step_url(draft, 1))) | {"action": "save"}
    client_a.post(step_url(draft, 1), form_a | {f"{criterion.key}-value": "2"})
    conflict_page = client_b.post(step_url(draft, 1), form_b | {f"{criterion.key}-value": "4"})

    fresh = form_data(conflict_page) | {"action": "save", f"{criterion.key}-value": "4"}
    response = client_b.post(step_url(draft, 1), fresh)

    assert response.status_code == 302
    assert answer_value(draft, criterion) == "4"


def test_colleagues_on_different_steps_do_not_overwrite_each_other(people, colleague, draft):
    client_a = english_client(people.respondent)
    client_b = english_client(colleague)
    form_a = form_data(client_a.get(step_url(draft, 1))) | {"action": "save"}
    form_b = form_data(client_b.get(step_url(draft, 2))) | {"action": "save"}
    for criterion in step_criteria(draft, 1):
        form_a[f"{criterion.key}-value"] = "1"
    for criterion in step_criteria(draft, 2):
        form_b[f"{criterion.key}-value"] = "3"

    response_a = client_a.post(step_url(draft, 1), form_a)
    response_b = client_b.post(step_url(draft, 2), form_b)

    assert (response_a.status_code, response_b.status_code) == (302, 302)
    stored = dict(Answer.objects.filter(assessment=draft).values_list("criterion_id", "value"))
    expected = {c.pk: "1" for c in step_criteria(draft, 1)}
    expected |= {c.pk: "3" for c in step_criteria(draft, 2)}
    assert stored == expected


# --- review and submit ------------------------------------------------------------------------


def test_review_lists_unanswered_criteria_with_links_to_their_step(
    respondent_client, people, draft
):
    answer_some(draft, people.respondent, step_criteria(draft, 1), "3")

    response = respondent_client.get(reverse("assessments:review", args=[draft.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    for criterion in step_criteria(draft, 1):
        assert f"#criterion-{criterion.key}" not in content
    for number in range(2, step_count(draft) + 1):
        for criterion in step_criteria(draft, number):
            assert f'href="{step_url(draft, number)}#criterion-{criterion.key}"' in content


def test_review_counts_dont_know_and_not_applicable_as_answered(respondent_client, people, draft):
    answer_all(draft, people.respondent, {1: "dk", 2: "na", 3: "dk", 4: "na"})

    response = respondent_client.get(reverse("assessments:review", args=[draft.pk]))

    assert response.context["unanswered"] == []
    assert "#criterion-" not in response.content.decode()


def test_submit_with_missing_answers_stays_draft(respondent_client, people, draft):
    answer_some(draft, people.respondent, step_criteria(draft, 1), "3")
    missing = len(model_version_structure(version=draft.model_version).criteria) - len(
        step_criteria(draft, 1)
    )

    response = respondent_client.post(reverse("assessments:review", args=[draft.pk]))

    assert response.status_code == 200
    assert messages_of(response) == [f"{missing} questions are still unanswered."]
    draft.refresh_from_db()
    assert (draft.status, draft.result) == (Assessment.Status.DRAFT, None)


def test_submitting_asks_for_confirmation_first_and_says_what_happens(
    respondent_client, people, draft
):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})

    response = respondent_client.post(reverse("assessments:review", args=[draft.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="confirm" value="yes"' in page
    assert "read-only" in page and "reopen" in page
    draft.refresh_from_db()
    assert draft.is_draft


def test_submit_complete_assessment_stores_result(respondent_client, people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})

    response = respondent_client.post(
        reverse("assessments:review", args=[draft.pk]), {"confirm": "yes"}
    )

    assert response.url == reverse("reports:report", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    assert draft.result["phase"]["key"] == "experimenteren"
    assert draft.phase_order == 2
    assert round(float(draft.maturity_index), 4) == round(2 + 0.5 / 0.7, 4)
    assert (draft.submitted_by, draft.submitted_at is not None) == (people.respondent, True)
    assert draft.events.filter(kind=AssessmentEvent.Kind.SUBMITTED, user=people.respondent).exists()


def test_submitted_step_redirects_to_report(respondent_client, submitted):
    response = respondent_client.get(step_url(submitted, 1))

    assert response.status_code == 302
    assert response.url == reverse("reports:report", args=[submitted.pk])


def test_submitted_review_redirects_to_report(respondent_client, submitted):
    response = respondent_client.get(reverse("assessments:review", args=[submitted.pk]))

    assert response.url == reverse("reports:report", args=[submitted.pk])


def test_submitted_detail_redirects_to_report(respondent_client, submitted):
    response = respondent_client.get(reverse("assessments:detail", args=[submitted.pk]))

    assert response.url == reverse("reports:report", args=[submitted.pk])


def test_draft_detail_redirects_respondent_to_first_step(respondent_client, draft):
    response = respondent_client.get(reverse("assessments:detail", args=[draft.pk]))

    assert response.url == step_url(draft, 1)


def test_admin_reopen_makes_draft_and_records_it(people, submitted):
    client = english_client(people.admin)
    previous_index = submitted.result["index"]
    assert previous_index > 0, "the fixture must have a result worth recording"

    response = client.post(
        reverse("assessments:reopen", args=[submitted.pk]), {"reason": "Antwoord fout"}
    )

    assert response.url == step_url(submitted, 1)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.result) == (Assessment.Status.DRAFT, None)
    assert (submitted.phase_order, submitted.maturity_index, submitted.submitted_at) == (
        None,
        None,
        None,
    )
    event = submitted.events.get(kind=AssessmentEvent.Kind.REOPENED)
    assert event.user == people.admin
    # The reopen keeps the previous index in the audit trail, since the result itself is cleared.
    assert event.note == f"Antwoord fout (index {previous_index})"


def test_reopened_assessment_can_be_answered_again(people, submitted):
    client = english_client(people.admin)
    client.post(reverse("assessments:reopen", args=[submitted.pk]))
    criterion = step_criteria(submitted, 1)[0]

    data = form_data(client.get(step_url(submitted, 1))) | {"action": "save"}
    client.post(step_url(submitted, 1), data | {f"{criterion.key}-value": "0"})

    assert answer_value(submitted, criterion) == "0"


# --- dashboard and new assessment -------------------------------------------------------------


def test_dashboard_lists_assessments_with_progress_and_phase(
    respondent_client, people, draft, submitted
):
    answer_some(draft, people.respondent, step_criteria(draft, 1), "2")
    total = len(model_version_structure(version=draft.model_version).criteria)
    answered = len(step_criteria(draft, 1))

    response = respondent_client.get(reverse("dashboard"))

    content = response.content.decode()
    assert response.status_code == 200
    assert draft.title in content and submitted.title in content
    assert f"{answered} of {total} answered" in content
    assert f"{total} of {total} answered" in content
    assert "Phase 2" in content
    assert [
        (a.pk, a.progress.answered, a.progress.total) for a in response.context["assessments"]
    ] == [
        (submitted.pk, total, total),
        (draft.pk, answered, total),
    ]


def test_dashboard_hides_other_organisations_assessments(client_for, stranger, draft):
    response = client_for(stranger).get(reverse("dashboard"))

    assert response.context["assessments"] == []
    assert reverse("reports:report", args=[draft.pk]) not in response.content.decode()


def test_respondent_starts_a_new_assessment(respondent_client, people, default_model):
    response = respondent_client.post(reverse("assessments:new"), {"title": "Nulmeting 2027"})

    assessment = Assessment.objects.get(title="Nulmeting 2027")
    assert response.url == step_url(assessment, 1)
    assert (assessment.organisation, assessment.created_by) == (
        people.organisation,
        people.respondent,
    )
    assert (assessment.model_version, assessment.status) == (default_model, Assessment.Status.DRAFT)


def test_new_assessment_uses_newest_published_version(respondent_client, default_model):
    newer = build_model_version(criteria_count=8, slug="nieuwer-model")

    respondent_client.post(reverse("assessments:new"), {"title": "Op het nieuwe model"})

    assert Assessment.objects.get(title="Op het nieuwe model").model_version == newer


def test_new_assessment_needs_a_title(respondent_client, default_model):
    response = respondent_client.post(reverse("assessments:new"), {"title": ""})

    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_viewer_cannot_start_an_assessment(client_for, people, default_model):
    response = client_for(people.viewer).post(reverse("assessments:new"), {"title": "Poging"})

    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_viewer_dashboard_has_no_start_form(client_for, people, default_model):
    response = client_for(people.viewer).get(reverse("dashboard"))

    assert response.context["create_form"] is None
    assert reverse("assessments:new") not in response.content.decode()


def test_assessment_create_records_created_event(people, default_model):
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="  Meting  "
    )

    assert assessment.title == "Meting"
    assert assessment.events.filter(kind=AssessmentEvent.Kind.CREATED).count() == 1
