"""Who may open which assessment page: the access matrix of the assessments app."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment, AssessmentEvent, Membership
from maturity.selectors import model_version_structure
from tests.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# The report's pages are the reports app's; every other page here is the assessment's.
REPORT_PAGES = {"report", "report_pdf", "report_odt", "report_docx", "result_json"}

# Every assessment URL with the methods its view accepts (require_POST views: POST only).
ASSESSMENT_PAGES = [
    ("detail", "get"),
    ("step", "get"),
    ("step", "post"),
    ("review", "get"),
    ("review", "post"),
    ("reopen", "post"),
    ("answers_csv", "get"),
    ("import", "get"),
    ("import", "post"),
    ("report", "get"),
    ("report_pdf", "get"),
    ("report_odt", "get"),
    ("report_docx", "get"),
    ("result_json", "get"),
]
FOREIGN_ROLES = [Membership.Role.RESPONDENT, Membership.Role.VIEWER, Membership.Role.ADMIN]


def assessment_url(name: str, assessment: Assessment) -> str:
    if name == "step":
        return reverse("assessments:step", args=[assessment.pk, 1])
    if name in {"report_odt", "report_docx"}:
        return reverse("reports:report_document", args=[assessment.pk, name.split("_")[1]])
    app = "reports" if name in REPORT_PAGES else "assessments"
    return reverse(f"{app}:{name}", args=[assessment.pk])


def first_criterion(assessment: Assessment):
    structure = model_version_structure(version=assessment.model_version)
    return structure.criteria_of_dimension(structure.dimensions[0])[0]


def step_post_data(assessment: Assessment, value: str = "3") -> dict[str, str]:
    key = first_criterion(assessment).key
    return {f"{key}-value": value, f"{key}-comment": "", f"{key}-revision": "0", "action": "save"}


@pytest.fixture(params=["draft", "submitted"])
def foreign_assessment(request, draft, submitted) -> Assessment:
    """An assessment of the people's organisation, seen from another organisation."""
    return {"draft": draft, "submitted": submitted}[request.param]


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("role", FOREIGN_ROLES)
@pytest.mark.parametrize(("name", "method"), ASSESSMENT_PAGES)
def test_member_of_another_organisation_gets_404(client, foreign_assessment, name, method, role):
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=role).user
    client.force_login(outsider)
    data = step_post_data(foreign_assessment) if (name, method) == ("step", "post") else None

    response = send(client, method, assessment_url(name, foreign_assessment), data)

    assert response.status_code == 404


@pytest.mark.parametrize("role", FOREIGN_ROLES)
def test_member_of_another_organisation_cannot_write_answers(client, draft, role):
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=role).user
    client.force_login(outsider)

    client.post(assessment_url("step", draft), step_post_data(draft))

    assert not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.parametrize("role", FOREIGN_ROLES)
def test_member_of_another_organisation_cannot_reopen(client, submitted, role):
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=role).user
    client.force_login(outsider)

    response = client.post(assessment_url("reopen", submitted))

    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize(("name", "method"), ASSESSMENT_PAGES)
def test_anonymous_is_sent_to_login(client, foreign_assessment, name, method):
    url = assessment_url(name, foreign_assessment)

    response = send(client, method, url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["dashboard", "members"])
def test_anonymous_is_sent_to_login_from_organisation_pages(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# The banner of a draft's (provisional) report.
PROVISIONAL = 'class="alert alert-warning" role="note"'


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_viewer_can_read_report(client_for, people, submitted):
    response = english(client_for(people.viewer)).get(assessment_url("report", submitted))

    assert response.status_code == 200
    content = response.content.decode()
    assert submitted.title in content
    phase = submitted.model_version.phases.get(key=submitted.result["phase"]["key"])
    assert phase.name_en in content and "Next steps" in content
    assert PROVISIONAL not in content
    # a viewer reads; the admin's reopen form is not theirs
    assert assessment_url("reopen", submitted) not in content


def test_viewer_can_read_provisional_report_of_draft(client_for, people, draft):
    response = english(client_for(people.viewer)).get(assessment_url("report", draft))

    assert response.status_code == 200
    content = response.content.decode()
    assert draft.title in content
    assert PROVISIONAL in content


def test_viewer_detail_of_draft_goes_to_report(client_for, people, draft):
    response = client_for(people.viewer).get(assessment_url("detail", draft))

    assert response.status_code == 302
    assert response.url == assessment_url("report", draft)


@pytest.mark.parametrize("name", ["step", "review", "import"])
def test_viewer_cannot_open_answer_pages(client_for, people, draft, name):
    response = client_for(people.viewer).get(assessment_url(name, draft))

    assert response.status_code == 403


def test_viewer_cannot_submit_answers(client_for, people, draft):
    response = client_for(people.viewer).post(assessment_url("step", draft), step_post_data(draft))

    assert response.status_code == 403
    assert not Answer.objects.filter(assessment=draft).exists()


def test_viewer_cannot_submit_assessment(client_for, people, draft):
    # Complete, so a submit that got through would succeed: the draft stays a draft only
    # because the viewer is refused.
    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    response = client_for(people.viewer).post(assessment_url("review", draft))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_viewer_cannot_import_answers(client_for, people, draft):
    key = first_criterion(draft).key
    upload = SimpleUploadedFile(
        "answers.csv", f"criterion_key,answer,comment\n{key},3,\n".encode(), "text/csv"
    )

    response = client_for(people.viewer).post(assessment_url("import", draft), {"file": upload})

    assert response.status_code == 403
    assert not Answer.objects.filter(assessment=draft).exists()


def test_viewer_cannot_reopen(client_for, people, submitted):
    response = client_for(people.viewer).post(assessment_url("reopen", submitted))

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_respondent_cannot_reopen(client_for, people, submitted):
    response = client_for(people.respondent).post(assessment_url("reopen", submitted))

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not submitted.events.filter(kind=AssessmentEvent.Kind.REOPENED).exists()


def test_admin_can_reopen(client_for, people, submitted):
    response = client_for(people.admin).post(assessment_url("reopen", submitted))

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT


def test_reopen_refuses_get(client_for, people, submitted):
    response = client_for(people.admin).get(assessment_url("reopen", submitted))

    assert response.status_code == 405


def test_respondent_can_open_the_first_step(client_for, people, draft):
    response = client_for(people.respondent).get(assessment_url("step", draft))

    assert response.status_code == 200
    criterion = first_criterion(draft)
    content = response.content.decode()
    assert f'name="{criterion.key}-value"' in content  # the question can be answered
    assert criterion.statement_nl in content


def test_respondent_can_open_the_review(client_for, people, draft):
    response = english(client_for(people.respondent)).get(assessment_url("review", draft))

    assert response.status_code == 200
    content = response.content.decode()
    assert draft.title in content
    assert "Submit assessment…" in content


def test_respondent_can_open_the_import(client_for, people, draft):
    response = client_for(people.respondent).get(assessment_url("import", draft))

    assert response.status_code == 200
    assert 'type="file" name="file"' in response.content.decode()


@pytest.mark.parametrize("role", [Membership.Role.RESPONDENT, Membership.Role.VIEWER])
def test_non_admin_cannot_see_members(client_for, people, role):
    user = {Membership.Role.RESPONDENT: people.respondent, Membership.Role.VIEWER: people.viewer}
    response = client_for(user[role]).get(reverse("members"))

    assert response.status_code == 403


def test_admin_can_see_members(client_for, people, stranger):
    response = client_for(people.admin).get(reverse("members"))

    assert response.status_code == 200
    content = response.content.decode()
    for member in (people.respondent, people.viewer, people.admin):
        assert member.email in content
    assert stranger.email not in content  # another organisation's admin
    viewer = Membership.objects.get(user=people.viewer)
    assert reverse("member_role", args=[viewer.pk]) in content


def test_respondent_cannot_remove_member(client_for, people):
    viewer_membership = Membership.objects.get(user=people.viewer)

    response = client_for(people.respondent).post(
        reverse("member_remove", args=[viewer_membership.pk])
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk=viewer_membership.pk).exists()


def test_removing_member_of_another_organisation_is_404(client_for, people, stranger):
    foreign_membership = Membership.objects.get(user=stranger)

    response = client_for(people.admin).post(reverse("member_remove", args=[foreign_membership.pk]))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign_membership.pk).exists()
