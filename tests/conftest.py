"""Shared fixtures: the default model, an organisation with one member per role, and strangers."""

import json
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache

from assessments.models import Assessment, Membership, Organisation
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_submit
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure
from maturity.services import model_version_import, model_version_publish
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory
from tests.postgresql_summary import pytest_terminal_summary  # noqa: F401 (a pytest hook)
from tests.servers import redis_start

DEFAULT_MODEL_PATH = settings.BASE_DIR / "maturity" / "data" / "default_model.json"


@pytest.fixture
def default_model_data() -> dict:
    return json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def default_model(db, default_model_data) -> ModelVersion:
    """The shipped default model, imported and published."""
    return model_version_publish(version=model_version_import(data=default_model_data))


@dataclass
class OrganisationPeople:
    organisation: Organisation
    respondent: object
    viewer: object
    admin: object


@pytest.fixture
def people(db) -> OrganisationPeople:
    """An organisation with a respondent, a viewer and an organisation admin."""
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    members = {
        role: MembershipFactory(organisation=organisation, role=role).user
        for role in (Membership.Role.RESPONDENT, Membership.Role.VIEWER, Membership.Role.ADMIN)
    }
    return OrganisationPeople(
        organisation=organisation,
        respondent=members[Membership.Role.RESPONDENT],
        viewer=members[Membership.Role.VIEWER],
        admin=members[Membership.Role.ADMIN],
    )


@pytest.fixture
def stranger(db):
    """A respondent of another organisation."""
    return MembershipFactory(role=Membership.Role.ADMIN).user


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


def answer_all(assessment: Assessment, user, value_for_phase: dict[int, str]) -> None:
    """Answer every criterion of the assessment with a value chosen by the criterion's phase."""
    structure = model_version_structure(version=assessment.model_version)
    answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(
                criterion=c, value=value_for_phase[c.phase.order], comment="", loaded_revision=0
            )
            for c in structure.criteria
        ],
    )


@pytest.fixture
def draft(default_model, people) -> Assessment:
    return assessment_create(
        organisation=people.organisation, user=people.respondent, title="Nulmeting 2026"
    )


def submitted_assessment(people, title: str, value_for_phase: dict[int, str]) -> Assessment:
    """A new assessment of the people's organisation, fully answered by phase and submitted."""
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title=title
    )
    answer_all(assessment, people.respondent, value_for_phase)
    return assessment_submit(assessment=assessment, user=people.respondent)


@pytest.fixture
def submitted(default_model, people) -> Assessment:
    return submitted_assessment(people, "Meting 2025", {1: "4", 2: "3", 3: "2", 4: "1"})


@pytest.fixture
def client_for(client):
    """Log a user in on the test client: `client_for(user)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session", autouse=True)
def _shared_cache_starts_empty():
    """With REDIS_URL the cache outlives a test run: start each run without earlier entries."""
    if settings.REDIS_URL:
        cache.clear()


@pytest.fixture(autouse=True)
def _stored_files_start_empty(settings):
    """Each test starts without stored report PDFs (the keys of two tests may meet)."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    # And without evidence files (a folder of their own, or a bucket that a test starts).
    location = settings.STORAGES["evidence"].get("OPTIONS", {}).get("location")
    if settings.STORAGES["evidence"]["BACKEND"].endswith("FileSystemStorage") and location:
        shutil.rmtree(location, ignore_errors=True)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, which the test may stop; stopped afterwards."""
    server = redis_start(tmp_path)
    yield server
    server.stop()
