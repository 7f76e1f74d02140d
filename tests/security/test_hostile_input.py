"""Issue 31, F3 and F5: control characters and characters no database stores are a 4xx.

A control character in a single-line field is a form error in the reader's language; a NUL or a
lone surrogate anywhere in the path, the query or a form is a 400 page before any database query.
Runs on SQLite and, with DATABASE_URL set, on PostgreSQL (which refuses NUL in text).
"""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services import ActionInput, action_create
from maturity.input_rules import SingleLineFieldsMixin, has_unstorable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every character attack testing found to give a 500 in a title or an owner name (F3).
CONTROL_CHARACTERS = ["\n", "\r", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1b", "\x7f"]
ONE_LINE_ERROR_NL = "Gebruik één regel zonder stuurtekens"


def action_data(**overrides) -> dict:
    data = {
        "title": "Beleid schrijven",
        "criterion_key": "",
        "owner_member": "",
        "owner_name": "jeugddienst",
        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "status": Action.Status.PLANNED,
        "notes": "Twee\nregels mogen hier.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=repr)
@pytest.mark.parametrize("field", ["title", "owner_name"])
def test_a_control_character_in_a_new_action_is_a_dutch_form_error(
    client_for, people, field, character
):
    client = client_for(people.respondent)

    response = client.post(reverse("actions:new"), action_data(**{field: f"a{character}b"}))

    assert response.status_code == 400
    assert ONE_LINE_ERROR_NL in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=repr)
@pytest.mark.parametrize("field", ["title", "owner_name"])
def test_a_control_character_in_an_edited_action_is_a_form_error(
    client_for, people, field, character
):
    action = action_create(
        organisation=people.organisation,
        user=people.respondent,
        data=ActionInput(
            title="Beleid",
            criterion_key="",
            owner_member=None,
            owner_name="dienst",
            due_date=timezone.localdate(),
            status=Action.Status.PLANNED,
            notes="",
        ),
    )
    client = client_for(people.respondent)

    response = client.post(
        reverse("actions:detail", args=[action.pk]), action_data(**{field: f"a{character}b"})
    )

    assert response.status_code == 400
    assert ONE_LINE_ERROR_NL in response.content.decode()
    action.refresh_from_db()
    assert (action.title, action.owner_name) == ("Beleid", "dienst")


def test_notes_keep_their_line_breaks(client_for, people):
    response = client_for(people.respondent).post(reverse("actions:new"), action_data())

    assert response.status_code == 302
    assert Action.objects.get().notes == "Twee\nregels mogen hier."


# The questionnaire's two forms: their only free text is the multi-line comment, and their field
# objects are shared between requests (see maturity/input_rules.py).
MULTI_LINE_FORMS = {"QuestionnaireStepForm", "AnswerAutosaveForm"}
PROJECT_PACKAGES = (
    "actions",
    "assessments",
    "benchmarks",
    "maturity",
    "reports",
    "sso",
    "trajectories",
)


def project_forms() -> list[type]:
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            if "settings" in module.name:
                continue
            importlib.import_module(module.name)
    found = []
    for module_name, module in list(__import__("sys").modules.items()):
        if not module_name.startswith(PROJECT_PACKAGES):
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                found.append(value)
    return found


def test_every_form_keeps_single_line_fields_to_one_line():
    found = project_forms()

    assert len(found) >= 10
    missing = [
        form.__name__
        for form in found
        if not issubclass(form, SingleLineFieldsMixin) and form.__name__ not in MULTI_LINE_FORMS
    ]
    assert missing == []


# --- F5: NUL and lone surrogates ------------------------------------------------------------


@pytest.fixture
def analyst(db):
    user = UserFactory(username="koepel")
    user.user_permissions.add(Permission.objects.get(codename="view_sector"))
    return user


@pytest.mark.parametrize(
    "url", ["/benchmark/sector/?model=%00", "/benchmark/sector.csv?model=%00", "/?x=a%00b"]
)
def test_a_nul_in_a_query_parameter_is_refused_before_any_query(
    client, analyst, url, django_assert_num_queries
):
    client.force_login(analyst)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 400
    assert "Tekens die we niet kunnen aanvaarden" in response.content.decode()


def test_the_refusal_is_in_the_readers_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/benchmark/sector/?model=%00")

    assert response.status_code == 400
    assert "Characters we cannot accept" in response.content.decode()


def test_a_nul_in_an_admin_changelist_filter_is_refused(client, django_assert_num_queries):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_assert_num_queries(0):
        response = client.get("/admin/assessments/organisation/?q=%00&kind__exact=%00")

    assert response.status_code == 400


def test_a_nul_in_a_form_field_or_its_name_is_refused(client_for, people):
    client = client_for(people.respondent)

    for data in (action_data(title="a\x00b"), {**action_data(), "x\x00": "1"}):
        assert client.post(reverse("actions:new"), data).status_code == 400
    assert not Action.objects.exists()


def test_a_nul_in_the_path_is_refused(client):
    assert Client().get("/invitations/ab%00cd/").status_code == 400


def test_what_counts_as_unstorable():
    assert has_unstorable(["ok", "a\x00"])
    assert has_unstorable(["\ud800"])
    assert not has_unstorable(["\u202eevil\u202c", "日本語 𝄞", "\n\t"])
