"""The public growth path page, in the visitor's language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from maturity.models import ModelVersion
from maturity.services import model_version_archive
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def restore_language():
    """A request can leave its language active in the thread; later tests expect the default."""
    previous = translation.get_language()
    yield
    translation.activate(previous)


def phase_headings(response) -> list[str]:
    """The visible text of the phase headings, in page order."""
    headings = re.findall(r'<h3[^>]*id="phase-[^"]*"[^>]*>(.*?)</h3>', response.content.decode())
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in headings]


def phase_names(version: ModelVersion, language: str) -> list[str]:
    return [
        f"{phase.order} {getattr(phase, f'name_{language}')}"
        for phase in version.phases.order_by("order")
    ]


def test_the_growth_path_is_public(client, default_model):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("maturity:growth_path"))

    assert response.status_code == 200  # no login asked
    content = response.content.decode()
    assert "The growth path of social media in local government" in content
    assert phase_headings(response) == phase_names(default_model, "en")
    criteria = default_model.criteria.count()
    assert f"The questionnaire has {criteria} statements" in content


def test_the_growth_path_lives_at_groeipad(client, default_model):
    assert reverse("maturity:growth_path") == "/groeipad/"


def test_the_growth_path_shows_the_four_phases_in_dutch_by_default(client, default_model):
    response = client.get(reverse("maturity:growth_path"))

    assert phase_headings(response) == phase_names(default_model, "nl")


def test_the_growth_path_shows_the_phases_in_english_for_an_english_browser(client, default_model):
    response = client.get(reverse("maturity:growth_path"), HTTP_ACCEPT_LANGUAGE="en")

    assert phase_headings(response) == phase_names(default_model, "en")


def test_the_growth_path_shows_the_phases_in_english_with_the_language_cookie(
    client, default_model
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("maturity:growth_path"))

    assert phase_headings(response) == phase_names(default_model, "en")


def test_the_language_cookie_wins_over_the_browser_language(client, default_model):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    response = client.get(reverse("maturity:growth_path"), HTTP_ACCEPT_LANGUAGE="en")

    assert phase_headings(response) == phase_names(default_model, "nl")


def test_the_dutch_and_english_phase_names_differ(default_model):
    # Guards the tests above: they could not tell the languages apart otherwise.
    assert phase_names(default_model, "nl") != phase_names(default_model, "en")


def test_the_growth_path_shows_the_dimensions_and_the_phase_summaries(client, default_model):
    response = client.get(reverse("maturity:growth_path"))

    content = response.content.decode()
    for dimension in default_model.dimensions.all():
        assert dimension.name_nl in content
    first_phase = default_model.phases.get(order=1)
    assert first_phase.summary_nl in content


def test_the_growth_path_shows_the_newest_published_version(client, default_model):
    newer = build_model_version(slug="nieuwer")

    response = client.get(reverse("maturity:growth_path"))

    assert phase_headings(response) == phase_names(newer, "nl")


def test_the_growth_path_does_not_show_a_draft(client):
    draft = build_model_version(publish=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("maturity:growth_path"))

    assert response.status_code == 200
    assert phase_headings(response) == []
    content = response.content.decode()
    assert "No maturity model has been published yet." in content
    assert draft.dimensions.first().name_en not in content


def test_the_growth_path_without_a_published_model_still_opens(client):
    published = build_model_version()
    model_version_archive(version=published)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("maturity:growth_path"))

    assert response.status_code == 200
    assert phase_headings(response) == []
    assert "No maturity model has been published yet." in response.content.decode()
