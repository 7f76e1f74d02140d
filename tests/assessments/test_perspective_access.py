"""Who reaches which perspective: a contributor's one questionnaire, and nothing else; answers
never land in another assessment's perspective; the perspective pages refuse bad input with
nothing changed."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, ConsensusAnswer, Perspective
from assessments.services import assessment_create, assessment_submit, consensus_save
from tests.factories import MembershipFactory
from tests.perspectives import (
    add_perspective,
    answer,
    answer_every,
    contributor_for,
    criteria,
    first_perspective,
    logged_in,
    perspective_url,
    small_draft,
    values_of,
)
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    """A draft with two perspectives, a contributor of the second, and another draft."""

    assessment: Assessment
    communicatie: Perspective
    directie: Perspective
    other: Assessment
    contributor: object
    client: Client  # the contributor's

    def own(self, name: str, *args) -> str:
        return perspective_url(name, self.assessment, self.directie, *args)


@pytest.fixture
def setting(people) -> Setting:
    assessment = small_draft(people)
    directie = add_perspective(assessment, people.respondent, "Directie")
    other = small_draft(people, title="Andere meting")
    contributor = contributor_for(people, directie)
    return Setting(
        assessment=assessment,
        communicatie=first_perspective(assessment),
        directie=directie,
        other=other,
        contributor=contributor,
        client=logged_in(contributor),
    )


def csv_file(rows: str) -> SimpleUploadedFile:
    content = f"criterion_key,answer,comment\n{rows}".encode()
    return SimpleUploadedFile("antwoorden.csv", content, content_type="text/csv")


def written() -> tuple[int, int, int]:
    return Answer.objects.count(), AnswerChange.objects.count(), ConsensusAnswer.objects.count()


# The contributor's own perspective


def test_a_contributor_opens_and_saves_their_perspectives_step(setting):
    url = setting.own("step", 1)
    page = setting.client.get(url)
    assert page.status_code == 200
    data = form_data(page) | {"crit-001-value": "2", "action": "save"}

    response = setting.client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == url
    assert values_of(setting.directie) == {"crit-001": "2"}
    assert values_of(setting.communicatie) == {}


def test_a_contributor_autosaves_into_their_perspective(setting):
    response = setting.client.post(
        setting.own("answer_save", "crit-002"), {"value": "3", "revision": 0}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "saved"
    assert values_of(setting.directie) == {"crit-002": "3"}


def test_a_contributor_exports_and_imports_their_perspectives_csv(setting):
    answer(setting.assessment, setting.contributor, setting.directie, {"crit-001": "1"})

    export = setting.client.get(setting.own("answers_csv"))
    assert export.status_code == 200
    assert "directie" in export["Content-Disposition"]
    assert '"crit-001","1",' in export.content.decode("utf-8-sig")

    url = setting.own("import")
    preview = setting.client.post(url, {"file": csv_file("crit-001,4,\ncrit-003,dk,\n")})
    assert preview.status_code == 200
    confirmed = setting.client.post(url, {"token": preview.context["token"]})

    assert confirmed.status_code == 302
    assert values_of(setting.directie) == {"crit-001": "4", "crit-003": "dk"}
    assert values_of(setting.communicatie) == {}


def test_the_assessments_own_address_serves_the_contributors_perspective(setting):
    url = reverse("assessments:step", args=[setting.assessment.pk, 1])
    data = form_data(setting.client.get(url)) | {"crit-001-value": "0", "action": "save"}
    assert setting.client.post(url, data).status_code == 302
    assert values_of(setting.directie) == {"crit-001": "0"}
    assert values_of(setting.communicatie) == {}


def test_the_contributors_dashboard_lists_only_their_questionnaires(setting):
    response = setting.client.get(reverse("dashboard"))
    content = response.content.decode()
    assert response.status_code == 200
    assert setting.assessment.title in content
    assert "Directie" in content
    assert setting.other.title not in content
    assert "Communicatiedienst" not in content


def test_the_contributor_sees_only_their_perspective_in_the_overview(setting):
    response = setting.client.get(reverse("assessments:perspectives", args=[setting.assessment.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Directie" in content
    assert "Communicatiedienst" not in content
    assert reverse("assessments:compare", args=[setting.assessment.pk]) not in content


def test_every_way_of_answering_writes_only_the_perspective_in_the_url(people, setting):
    communicatie, directie = setting.communicatie, setting.directie
    answer_every(setting.assessment, people.respondent, communicatie, "4")
    answer_every(setting.assessment, people.respondent, directie, "0")
    client = logged_in(people.respondent)

    export = client.get(setting.own("answers_csv")).content.decode("utf-8-sig")
    step_url = setting.own("step", 1)
    step = form_data(client.get(step_url)) | {"crit-001-value": "1", "action": "save"}
    assert client.post(step_url, step).status_code == 302
    autosave = client.post(setting.own("answer_save", "crit-002"), {"value": "2", "revision": 1})
    assert autosave.status_code == 200
    preview = client.post(setting.own("import"), {"file": csv_file("crit-003,3,\n")})
    assert (
        client.post(setting.own("import"), {"token": preview.context["token"]}).status_code == 302
    )

    assert '"crit-001","0",' in export
    assert '"4"' not in export
    assert set(values_of(communicatie).values()) == {"4"}
    expected = {c.key: "0" for c in criteria(setting.assessment)}
    expected |= {"crit-001": "1", "crit-002": "2", "crit-003": "3"}
    assert values_of(directie) == expected
    trail = AnswerChange.objects.filter(
        source__in=["form", "autosave", "csv"], new_value__in=["1", "2", "3"]
    )
    assert set(trail.values_list("perspective_name", flat=True)) == {"Directie"}


# What a contributor is refused


QUESTIONNAIRE_PAGES = [
    ("detail", "get", ()),
    ("step", "get", (1,)),
    ("step", "post", (1,)),
    ("answer_save", "post", ("crit-001",)),
    ("answers_csv", "get", ()),
    ("import", "get", ()),
    ("import", "post", ()),
]


@pytest.mark.parametrize(("name", "method", "args"), QUESTIONNAIRE_PAGES)
def test_a_contributor_gets_404_for_another_perspective_of_the_assessment(
    setting, name, method, args
):
    url = perspective_url(name, setting.assessment, setting.communicatie, *args)
    before = written()
    response = getattr(setting.client, method)(url, {"crit-001-value": "4", "value": "4"})
    assert response.status_code == 404
    assert written() == before


@pytest.mark.parametrize(("name", "method", "args"), QUESTIONNAIRE_PAGES)
def test_a_contributor_gets_404_for_another_assessment_of_the_organisation(
    setting, name, method, args
):
    other = setting.other
    urls = [
        perspective_url(name, other, first_perspective(other), *args),
        reverse(f"assessments:{name}", args=[other.pk, *args]),
    ]
    before = written()
    for url in urls:
        response = getattr(setting.client, method)(url, {"crit-001-value": "4", "value": "4"})
        assert response.status_code == 404, url
    assert written() == before


ASSESSMENT_PAGES = [
    ("reports:report", ()),
    ("reports:report_pdf", ()),
    ("reports:result_json", ()),
    ("assessments:changes", ()),
    ("assessments:review", ()),
    ("assessments:reopen", ()),
    ("assessments:compare", ()),
    ("assessments:consensus_edit", ("crit-001",)),
]
PERSPECTIVE_PAGES = ["perspective_edit", "perspective_delete", "perspective_invite"]
ORGANISATION_PAGES = [
    "members",
    "assessments:new",
    "actions:plan",
    "actions:new",
    "actions:csv",
    "actions:ical",
    "benchmarks:participation",
    "benchmarks:sector",
]


def refused(response) -> bool:
    return response.status_code in {403, 404, 405}


@pytest.mark.parametrize(("name", "args"), ASSESSMENT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_contributor_is_refused_the_assessments_other_pages(setting, name, args, method):
    before = written()
    for assessment in (setting.assessment, setting.other):
        url = reverse(name, args=[assessment.pk, *args])
        response = getattr(setting.client, method)(url, {"value": "4", "revision": 0})
        assert refused(response), (url, response.status_code)
    assert written() == before


@pytest.mark.parametrize("name", PERSPECTIVE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_contributor_cannot_manage_perspectives_not_even_their_own(setting, name, method):
    for perspective in (setting.directie, setting.communicatie):
        url = reverse(f"assessments:{name}", args=[setting.assessment.pk, perspective.pk])
        response = getattr(setting.client, method)(
            url, {"name": "Gekaapt", "email": "x@example.org"}
        )
        assert refused(response), (url, response.status_code)
    assert list(setting.assessment.perspectives.values_list("name", flat=True)) == [
        "Communicatiedienst",
        "Directie",
    ]


def test_a_contributor_cannot_add_a_perspective(setting):
    url = reverse("assessments:perspectives", args=[setting.assessment.pk])
    assert setting.client.post(url, {"name": "Jeugddienst"}).status_code == 403
    assert setting.assessment.perspectives.count() == 2


@pytest.mark.parametrize("name", ORGANISATION_PAGES)
def test_a_contributor_is_refused_the_organisations_pages(setting, name):
    assert refused(setting.client.get(reverse(name)))


def test_a_contributor_cannot_open_a_submitted_assessments_report(people, setting):
    answer_every(setting.assessment, people.respondent, setting.communicatie, "3")
    answer_every(setting.assessment, people.respondent, setting.directie, "2")
    assessment_submit(assessment=setting.assessment, user=people.respondent)

    detail = setting.client.get(setting.own("detail"))
    report = setting.client.get(reverse("reports:report", args=[setting.assessment.pk]))
    saved = setting.client.post(
        setting.own("answer_save", "crit-001"), {"value": "4", "revision": 1}
    )

    assert report.status_code == 403
    assert detail.status_code in {302, 403}
    assert saved.status_code == 409
    assert values_of(setting.directie)["crit-001"] == "2"


def test_a_contributor_removed_from_the_perspective_sees_nothing(people, setting):
    setting.directie.members.clear()
    assert setting.client.get(setting.own("step", 1)).status_code == 404
    assert (
        setting.client.get(reverse("assessments:step", args=[setting.assessment.pk, 1])).status_code
        == 404
    )
    assert (
        "Meting met perspectieven" not in setting.client.get(reverse("dashboard")).content.decode()
    )


# Answers posted to a perspective of another assessment or organisation


@pytest.fixture
def foreign_perspective(stranger):
    """A perspective of another organisation's draft."""
    organisation = stranger.memberships.get().organisation
    assessment = assessment_create(organisation=organisation, user=stranger, title="Elders")
    return first_perspective(assessment)


@pytest.mark.parametrize("whose", ["other_assessment", "other_organisation"])
@pytest.mark.parametrize(("name", "method", "args"), QUESTIONNAIRE_PAGES)
def test_a_perspective_of_another_assessment_in_the_url_is_404_with_nothing_written(
    people, setting, foreign_perspective, whose, name, method, args
):
    perspective = (
        first_perspective(setting.other) if whose == "other_assessment" else foreign_perspective
    )
    url = perspective_url(name, setting.assessment, perspective, *args)
    client = logged_in(people.admin)
    before = written()

    response = getattr(client, method)(
        url,
        {"crit-001-value": "4", "value": "4", "revision": 0, "file": csv_file("crit-001,4,\n")},
    )

    assert response.status_code == 404
    assert written() == before


# Bad input on the perspective pages


def test_a_duplicate_name_is_a_form_error_and_nothing_changes(people, setting):
    client = logged_in(people.respondent)
    url = reverse("assessments:perspectives", args=[setting.assessment.pk])

    response = client.post(url, {"name": " DIRECTIE "})

    assert response.status_code == 400
    assert "This assessment has a perspective with this name already." in response.content.decode()
    assert setting.assessment.perspectives.count() == 2


def test_renaming_to_a_taken_name_is_a_form_error_and_nothing_changes(people, setting):
    client = logged_in(people.respondent)
    url = reverse("assessments:perspective_edit", args=[setting.assessment.pk, setting.directie.pk])

    response = client.post(url, {"name": "communicatiedienst"})

    assert response.status_code == 400
    assert "This assessment has a perspective with this name already." in response.content.decode()
    setting.directie.refresh_from_db()
    assert setting.directie.name == "Directie"
    assert list(setting.directie.members.values_list("user", flat=True)) == [setting.contributor.pk]


def test_a_member_of_another_organisation_cannot_be_ticked(people, setting, stranger):
    client = logged_in(people.respondent)
    url = reverse("assessments:perspective_edit", args=[setting.assessment.pk, setting.directie.pk])
    theirs = stranger.memberships.get()

    response = client.post(url, {"name": "Directie", "members": [theirs.pk]})

    assert response.status_code == 400
    assert list(setting.directie.members.values_list("user", flat=True)) == [setting.contributor.pk]


def test_deleting_a_perspective_with_answers_asks_first(people, setting):
    answer(
        setting.assessment,
        setting.contributor,
        setting.directie,
        {"crit-001": "1", "crit-002": "2"},
    )
    client = logged_in(people.respondent)
    url = reverse(
        "assessments:perspective_delete", args=[setting.assessment.pk, setting.directie.pk]
    )

    question = client.get(url)

    assert question.status_code == 200
    assert "“Directie” has 2 answers." in question.content.decode()
    assert Answer.objects.filter(perspective=setting.directie).count() == 2

    done = client.post(url, follow=True)

    assert done.redirect_chain[0] == (
        reverse("assessments:perspectives", args=[setting.assessment.pk]),
        302,
    )
    assert "and its 2 answers were deleted" in done.content.decode()
    assert not Perspective.objects.filter(pk=setting.directie.pk).exists()
    trail = AnswerChange.objects.filter(source="perspective_deleted", perspective_name="Directie")
    assert trail.count() == 2


def test_the_last_perspective_is_not_offered_for_deletion(people, setting):
    client = logged_in(people.respondent)
    only = first_perspective(setting.other)
    url = reverse("assessments:perspective_delete", args=[setting.other.pk, only.pk])

    question = client.get(url)
    done = client.post(url, follow=True)

    assert "An assessment keeps at least one perspective." in question.content.decode()
    assert "An assessment keeps at least one perspective." in done.content.decode()
    assert Perspective.objects.filter(pk=only.pk).exists()


def test_a_viewer_cannot_delete_a_perspective(people, setting):
    client = logged_in(people.viewer)
    url = reverse(
        "assessments:perspective_delete", args=[setting.assessment.pk, setting.directie.pk]
    )
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Perspective.objects.filter(pk=setting.directie.pk).exists()


def test_a_consensus_edit_on_a_submitted_assessment_is_refused(people, setting):
    answer_every(setting.assessment, people.respondent, setting.communicatie, "4")
    answer_every(setting.assessment, people.respondent, setting.directie, "1")
    assessment_submit(assessment=setting.assessment, user=people.respondent)
    before = list(ConsensusAnswer.objects.values_list("criterion_id", "value", "revision"))
    changes = AnswerChange.objects.count()
    client = logged_in(people.admin)
    url = reverse("assessments:consensus_edit", args=[setting.assessment.pk, "crit-001"])

    response = client.post(url, {"value": "4", "note": "te laat", "revision": 1}, follow=True)

    assert response.redirect_chain[0][0] == reverse("reports:report", args=[setting.assessment.pk])
    assert "This assessment is submitted and can no longer be changed." in response.content.decode()
    assert list(ConsensusAnswer.objects.values_list("criterion_id", "value", "revision")) == before
    assert AnswerChange.objects.count() == changes


def test_a_consensus_edit_keeps_a_colleagues_newer_answer(people, setting):
    consensus_save(
        assessment=setting.assessment,
        user=people.admin,
        criterion=criteria(setting.assessment)[0],
        value="4",
        note="van de collega",
        loaded_revision=0,
        previous_value="",
    )
    client = logged_in(people.respondent)
    url = reverse("assessments:consensus_edit", args=[setting.assessment.pk, "crit-001"])

    response = client.post(url, {"value": "1", "note": "", "revision": 0}, follow=True)

    assert "A colleague settled this answer after you opened the page." in response.content.decode()
    assert ConsensusAnswer.objects.get().value == "4"


def test_a_consensus_edit_with_one_perspective_is_404(people, setting):
    client = logged_in(people.respondent)
    url = reverse("assessments:consensus_edit", args=[setting.other.pk, "crit-001"])
    assert client.post(url, {"value": "1", "note": "", "revision": 0}).status_code == 404
    assert not ConsensusAnswer.objects.exists()


def test_a_consensus_edit_of_an_unknown_criterion_is_404(people, setting):
    client = logged_in(people.respondent)
    url = reverse("assessments:consensus_edit", args=[setting.assessment.pk, "crit-999"])
    assert client.get(url).status_code == 404


def test_a_viewer_sees_the_comparison_but_cannot_settle(people, setting):
    client = logged_in(people.viewer)
    compare = client.get(reverse("assessments:compare", args=[setting.assessment.pk]))
    settle = client.post(
        reverse("assessments:consensus_edit", args=[setting.assessment.pk, "crit-001"]),
        {"value": "1", "note": "", "revision": 0},
    )
    assert compare.status_code == 200
    assert settle.status_code == 403
    assert not ConsensusAnswer.objects.exists()


def test_a_contributor_invitation_of_another_organisation_is_refused(people, setting, stranger):
    client = logged_in(stranger)
    url = reverse(
        "assessments:perspective_invite", args=[setting.assessment.pk, setting.directie.pk]
    )
    assert client.post(url, {"email": "spion@example.org"}).status_code == 404
    assert not setting.directie.invitations.filter(email="spion@example.org").exists()


def test_a_contributor_of_another_organisation_sees_nothing_here(people, setting):
    foreign = MembershipFactory(role="contributor").user
    client = logged_in(foreign)
    assert client.get(setting.own("step", 1)).status_code == 404
    assert (
        client.get(reverse("assessments:step", args=[setting.assessment.pk, 1])).status_code == 404
    )


@pytest.mark.parametrize("name", PERSPECTIVE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_managing_another_assessments_perspective_through_this_one_is_404(
    people, setting, name, method
):
    theirs = first_perspective(setting.other)
    url = reverse(f"assessments:{name}", args=[setting.assessment.pk, theirs.pk])
    client = logged_in(people.admin)

    response = getattr(client, method)(url, {"name": "Gekaapt", "email": "x@example.org"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Communicatiedienst"
    assert not theirs.invitations.exists()


def test_a_csv_preview_of_one_perspective_cannot_be_confirmed_into_another(people, setting):
    client = logged_in(people.respondent)
    preview = client.post(setting.own("import"), {"file": csv_file("crit-001,4,\n")})
    other_url = perspective_url("import", setting.assessment, setting.communicatie)

    response = client.post(other_url, {"token": preview.context["token"]}, follow=True)

    assert "This preview has expired; upload the file again." in response.content.decode()
    assert written()[0] == 0


@pytest.mark.parametrize("name", ["Directie\x01", "\x7fJeugd", "x" * 101])
@pytest.mark.parametrize("page", ["add", "edit"])
def test_a_name_with_control_characters_or_too_long_is_a_form_error(people, setting, name, page):
    client = logged_in(people.respondent)
    if page == "add":
        url = reverse("assessments:perspectives", args=[setting.assessment.pk])
    else:
        url = reverse(
            "assessments:perspective_edit", args=[setting.assessment.pk, setting.directie.pk]
        )

    response = client.post(url, {"name": name})

    assert response.status_code == 400
    assert list(setting.assessment.perspectives.values_list("name", flat=True)) == [
        "Communicatiedienst",
        "Directie",
    ]
