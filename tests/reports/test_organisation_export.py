"""An organisation admin downloads all of the organisation's data as one ZIP (issue 31, point 6).

Who may (admins only; another organisation's data never in it), what is in it (assessments,
answers with their history, actions, members without password data), both formats, formula-safe
CSV, and a fixed number of queries.
"""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from actions.services import action_create
from assessments.services import assessment_create
from tests.actions.conftest import action_input
from tests.conftest import answer_all
from tests.csv_formulas import csv_formula_parts
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:organisation_export")
TABLES = (
    "assessments",
    "perspectives",
    "answers",
    "answer_changes",
    "consensus_answers",
    "assessment_events",
    "actions",
    "action_changes",
    "members",
)


@pytest.fixture
def data(people, default_model):
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Nulmeting"
    )
    answer_all(assessment, people.respondent, {1: "3", 2: "2", 3: "1", 4: "0"})
    action_create(
        organisation=people.organisation,
        user=people.admin,
        data=action_input(title="=HYPERLINK(1)", notes="x\n=1+1"),
    )
    elsewhere = OrganisationFactory(name="Gemeente Elders")
    admin_elsewhere = MembershipFactory(organisation=elsewhere, role="admin").user
    assessment_create(organisation=elsewhere, user=admin_elsewhere, title="Geheim elders")
    return assessment


def archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_an_organisation_admin_may_download(client_for, people, role):
    assert client_for(getattr(people, role)).get(URL).status_code == 403


def test_someone_without_an_organisation_gets_a_404(client_for, default_model):
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get(URL).status_code == 404


def test_the_zip_holds_every_table_as_csv_and_json(client_for, people, data):
    response = client_for(people.admin).get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    names = set(archive(response).namelist())
    assert names == {"organisation.json"} | {
        f"{kind}/{table}.{kind}" for table in TABLES for kind in ("csv", "json")
    }


def test_answers_come_with_their_history_and_only_this_organisations(client_for, people, data):
    files = archive(client_for(people.admin).get(URL))
    answers = json.loads(files.read("json/answers.json"))
    changes = json.loads(files.read("json/answer_changes.json"))
    assessments = json.loads(files.read("json/assessments.json"))

    assert len(answers) == data.answers.count() > 0
    assert len(changes) >= len(answers)  # every answer's first value is a change
    assert {row["changed_by__username"] for row in changes} == {people.respondent.username}
    assert [row["title"] for row in assessments] == ["Nulmeting"]
    assert b"Geheim elders" not in b"".join(files.read(name) for name in files.namelist())


def test_members_carry_no_password_data(client_for, people, data):
    files = archive(client_for(people.admin).get(URL))
    members = json.loads(files.read("json/members.json"))

    assert {row["user__username"] for row in members} == {
        people.respondent.username,
        people.viewer.username,
        people.admin.username,
    }
    everything = b"".join(files.read(name) for name in files.namelist()).lower()
    assert b"password" not in everything and b"md5$" not in everything
    assert b"last_login" not in everything


def test_the_csv_files_are_formula_safe_and_match_the_json(client_for, people, data):
    files = archive(client_for(people.admin).get(URL))

    for table in TABLES:
        text = files.read(f"csv/{table}.csv").decode()
        assert csv_formula_parts(text) == [], table
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert max(len(rows) - 1, 0) == len(json.loads(files.read(f"json/{table}.json"))), table


def test_a_fixed_number_of_queries(client_for, people, data, django_assert_max_num_queries):
    client = client_for(people.admin)
    # session, user, memberships, the nine tables; the idle-session renewal (3 statements)
    expected = 3 + len(TABLES) + 3

    with django_assert_max_num_queries(expected):
        assert client.get(URL).status_code == 200
    for title in ("Tweede", "Derde"):
        more = assessment_create(organisation=people.organisation, user=people.admin, title=title)
        answer_all(more, people.admin, {1: "4", 2: "4", 3: "4", 4: "4"})
    with django_assert_max_num_queries(expected):
        assert client.get(URL).status_code == 200
