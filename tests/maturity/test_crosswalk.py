"""The crosswalk in the model editor: which removed criterion key a new key replaces.

Posted through the draft's change form with the inline, as tests/maturity/test_admin.py does:
a replacement to a key the version lacks, of a key still in it, of a key no earlier version
had, or one that leads back to its own removed key is refused with its message.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.crosswalk_models import CriterionReplacement
from maturity.models import Criterion, ModelVersion
from maturity.selectors import criterion_key_replacements
from maturity.services import model_version_new_draft
from tests.factories import UserFactory, build_model_version
from tests.maturity.test_admin import change_url, form_data
from tests.reassessment_models import next_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_as_it_was():
    """The editor's requests here are in English, which stays active in this thread afterwards
    (LocaleMiddleware activates it and nothing deactivates it): give the next test its language
    back, as the tests before this file left it."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def editor_client() -> Client:
    """A model editor reading the admin in English, so the messages are the source strings."""
    user = UserFactory(is_staff=True)
    user.groups.add(model_editors_group())
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def first() -> ModelVersion:
    return build_model_version(criteria_count=12, dimension_count=3, slug="crosswalk")


def draft_renaming(source: ModelVersion, old: str, new: str) -> ModelVersion:
    """The next draft of ``source``'s model, with criterion ``old`` renamed ``new``."""
    draft = model_version_new_draft(source=source)
    Criterion.objects.filter(version=draft, key=old).update(key=new)
    return draft


def post_replacement(client: Client, draft: ModelVersion, old_key: str, new_key: str):
    data = form_data(client.get(change_url(draft)))
    data |= {
        "replacements-TOTAL_FORMS": "1",
        "replacements-INITIAL_FORMS": "0",
        "replacements-0-old_key": old_key,
        "replacements-0-new_key": new_key,
    }
    return client.post(change_url(draft), data)


def test_the_draft_change_page_has_the_crosswalk_inline(editor_client, first):
    draft = model_version_new_draft(source=first)

    response = editor_client.get(change_url(draft))

    assert "replacements-TOTAL_FORMS" in response.content.decode()


def test_a_replacement_of_a_removed_key_by_a_new_one_is_saved(editor_client, first):
    draft = draft_renaming(first, "crit-001", "crit-een")

    response = post_replacement(editor_client, draft, "crit-001", "crit-een")

    assert response.status_code == 302
    assert [str(r) for r in CriterionReplacement.objects.filter(version=draft)] == [
        "crit-001 → crit-een"
    ]


def test_a_replacement_to_a_key_the_version_lacks_is_refused(editor_client, first):
    draft = draft_renaming(first, "crit-001", "crit-een")

    response = post_replacement(editor_client, draft, "crit-001", "crit-bestaat-niet")

    assert response.status_code == 200
    assert "This version has no criterion with this key." in response.content.decode()
    assert not CriterionReplacement.objects.exists()


def test_a_replacement_of_a_key_still_in_the_version_is_refused(editor_client, first):
    draft = draft_renaming(first, "crit-001", "crit-een")

    response = post_replacement(editor_client, draft, "crit-002", "crit-een")

    assert response.status_code == 200
    assert (
        "This key is still in this version: only a removed key can be replaced."
        in response.content.decode()
    )
    assert not CriterionReplacement.objects.exists()


def test_a_replacement_of_a_key_no_earlier_version_had_is_refused(editor_client, first):
    draft = draft_renaming(first, "crit-001", "crit-een")

    response = post_replacement(editor_client, draft, "crit-nooit", "crit-een")

    assert response.status_code == 200
    assert (
        "No earlier version of this model has a criterion with this key."
        in response.content.decode()
    )


def test_a_replacement_that_leads_back_across_versions_is_refused(editor_client, first):
    # Version 2 replaced crit-001 by crit-een; version 3 brings crit-001 back instead of crit-een.
    second = next_version(first, rename={"crit-001": "crit-een"})
    third = draft_renaming(second, "crit-een", "crit-001")

    response = post_replacement(editor_client, third, "crit-een", "crit-001")

    assert response.status_code == 200
    assert (
        "This replacement would lead back to the removed key (a cycle)."
        in response.content.decode()
    )
    assert not CriterionReplacement.objects.filter(version=third).exists()


def test_the_crosswalk_inline_of_a_published_version_is_read_only(editor_client, first):
    second = next_version(first, rename={"crit-001": "crit-een"})

    response = editor_client.get(change_url(second))

    page = response.content.decode()
    assert "crit-001 → crit-een" in page
    assert 'name="replacements-0-old_key"' not in page


def test_a_chain_of_crosswalks_leads_each_old_key_to_the_newest(first):
    second = next_version(first, rename={"crit-001": "crit-een"})
    third = next_version(second, rename={"crit-een": "crit-one"})

    assert criterion_key_replacements(version=second) == {"crit-001": "crit-een"}
    assert criterion_key_replacements(version=third) == {
        "crit-001": "crit-one",
        "crit-een": "crit-one",
    }


def test_a_drafts_crosswalk_counts_for_itself_only(first):
    draft = draft_renaming(first, "crit-001", "crit-een")
    CriterionReplacement.objects.create(version=draft, old_key="crit-001", new_key="crit-een")
    other_draft = model_version_new_draft(source=first)

    assert criterion_key_replacements(version=draft) == {"crit-001": "crit-een"}
    assert criterion_key_replacements(version=other_draft) == {}
