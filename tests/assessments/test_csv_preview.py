"""The CSV import in two steps: a preview of what changes (flagging answers changed after the
download), then a confirmation that imports exactly that, or nothing if anything changed since."""

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, Membership
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def criteria(assessment: Assessment):
    return model_version_structure(version=assessment.model_version).criteria


def english(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client: Client, assessment: Assessment, content: bytes):
    file = SimpleUploadedFile("answers.csv", content, content_type="text/csv")
    return client.post(reverse("assessments:import", args=[assessment.pk]), {"file": file})


def confirm(client: Client, assessment: Assessment, token: str):
    return client.post(reverse("assessments:import", args=[assessment.pk]), {"token": token})


def save(assessment, user, criterion, value, revision=0) -> None:
    answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(criterion=criterion, value=value, comment="", loaded_revision=revision)
        ],
    )


def snapshot(assessment) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("criterion_id")
        .values_list("criterion_id", "value", "comment", "revision")
    )


@pytest.fixture
def colleague(people):
    user = MembershipFactory(organisation=people.organisation, role=Membership.Role.RESPONDENT).user
    user.first_name, user.last_name = "Jan", "Claes"
    user.save()
    return user


def test_upload_shows_the_changes_and_writes_nothing(people, draft, colleague):
    first, second = criteria(draft)[:2]
    save(draft, colleague, first, "1")
    client = english(people.respondent)
    before = snapshot(draft)

    response = upload(
        client, draft, f"criterion_key,answer,comment\n{first.key},4,\n{second.key},dk,\n".encode()
    )

    assert response.status_code == 200
    changes = response.context["preview"].changes
    assert [(c.criterion.key, c.current_value, c.new_value) for c in changes] == [
        (first.key, "1", "4"),
        (second.key, "", "dk"),
    ]
    assert changes[0].changed_by == "Jan Claes"
    page = response.content.decode()
    assert "Jan Claes" in page and "1 – to a limited extent" in page and "4 – fully" in page
    assert snapshot(draft) == before
    assert not AnswerChange.objects.filter(source="csv").exists()


def test_confirming_the_preview_imports_it(people, draft):
    first = criteria(draft)[0]
    client = english(people.respondent)
    preview = upload(client, draft, f"criterion_key,answer,comment\n{first.key},3,\n".encode())

    response = confirm(client, draft, preview.context["token"])

    assert response.status_code == 302
    assert Answer.objects.get(assessment=draft, criterion=first).value == "3"


def test_answers_changed_after_the_download_are_flagged(people, draft, colleague):
    first, second = criteria(draft)[:2]
    save(draft, people.respondent, first, "2")
    save(draft, people.respondent, second, "2")
    client = english(people.respondent)
    exported = client.get(reverse("assessments:answers_csv", args=[draft.pk])).content
    save(draft, colleague, first, "4", revision=1)  # newer work, after the download

    response = upload(client, draft, exported)

    (change,) = response.context["preview"].changes
    assert (change.criterion.key, change.current_value, change.new_value) == (first.key, "4", "2")
    assert change.after_export and change.changed_by == "Jan Claes"
    assert response.context["flagged"] == 1
    assert "changed in Groeipad after you downloaded the file" in response.content.decode()


def test_confirm_is_refused_whole_when_an_answer_changed_since_the_preview(
    people, draft, colleague
):
    first, second = criteria(draft)[:2]
    client = english(people.respondent)
    content = f"criterion_key,answer,comment\n{first.key},3,\n{second.key},3,\n".encode()
    preview = upload(client, draft, content)
    save(draft, colleague, second, "0")  # after the preview was shown
    before = snapshot(draft)

    response = confirm(client, draft, preview.context["token"])

    assert response.status_code == 409
    assert snapshot(draft) == before
    assert not AnswerChange.objects.filter(source="csv").exists()
    # The new preview shows the colleague's answer, ready to be confirmed again.
    changes = response.context["preview"].changes
    assert [(c.criterion.key, c.current_value) for c in changes] == [
        (first.key, ""),
        (second.key, "0"),
    ]


@pytest.mark.parametrize("token", ["", "garbage", "a:b:c"])
def test_a_forged_token_imports_nothing(people, draft, token):
    response = confirm(english(people.respondent), draft, token)

    assert response.status_code == 302
    assert response.url == reverse("assessments:import", args=[draft.pk])
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_token_of_another_user_imports_nothing(people, draft):
    first = criteria(draft)[0]
    preview = upload(
        english(people.admin), draft, f"criterion_key,answer,comment\n{first.key},3,\n".encode()
    )
    token = preview.context["token"]
    payload = signing.loads(token, salt="assessments.answers-import")
    assert payload["user"] == people.admin.pk

    response = confirm(english(people.respondent), draft, token)

    assert response.status_code == 302
    assert not Answer.objects.filter(assessment=draft).exists()


def test_a_viewer_cannot_confirm_an_import(people, draft):
    first = criteria(draft)[0]
    preview = upload(
        english(people.respondent),
        draft,
        f"criterion_key,answer,comment\n{first.key},3,\n".encode(),
    )

    response = confirm(english(people.viewer), draft, preview.context["token"])

    assert response.status_code == 403
    assert not Answer.objects.filter(assessment=draft).exists()
