"""Publishing from the model version list: the editor sees each draft's changes and confirms
them, and the admin history tells what happened in the reader's language."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.admin_history import history_message
from maturity.models import ModelVersion
from maturity.services import model_version_new_draft
from tests.factories import UserFactory, build_model_version

pytestmark = pytest.mark.django_db

CONFIRMATION = "admin/maturity/modelversion/publish_selected_confirmation.html"
_HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(model_editors_group())
    return user


@pytest.fixture
def published() -> ModelVersion:
    return build_model_version(criteria_count=8, dimension_count=2)


@pytest.fixture
def draft(published) -> ModelVersion:
    """A new draft of the published model with one weight changed (1 → 3)."""
    version = model_version_new_draft(source=published)
    criterion = version.criteria.get(key="crit-001")
    criterion.weight = Decimal("3")
    criterion.save()
    return version


@pytest.fixture
def other_draft() -> ModelVersion:
    """A first draft of another model: everything in it is new."""
    return build_model_version(criteria_count=8, dimension_count=2, slug="ander", publish=False)


def run_action(client, *versions: ModelVersion, **extra):
    data = {"action": "publish", "_selected_action": [v.pk for v in versions], **extra}
    return client.post(reverse("admin:maturity_modelversion_changelist"), data)


def confirmation_form(response) -> dict[str, list[str]]:
    """The hidden fields of the confirmation form as rendered, ready to post back."""
    data: dict[str, list[str]] = {}
    for name, value in _HIDDEN_RE.findall(response.content.decode()):
        data.setdefault(name, []).append(value)
    return data


def statuses(*versions: ModelVersion) -> list[str]:
    return [ModelVersion.objects.get(pk=v.pk).status for v in versions]


def levels(response) -> list[str]:
    return [m.level_tag for m in response.context["messages"]]


def test_the_action_shows_each_drafts_changes_and_publishes_nothing(
    client_for, editor, draft, other_draft
):
    response = run_action(client_for(editor), draft, other_draft)

    assert response.status_code == 200
    assert CONFIRMATION in [t.name for t in response.templates]
    page = response.content.decode()
    assert "<del>1</del>" in page and "<ins>3</ins>" in page
    assert "8 criteria houden hun sleutel" in page  # the draft against version 1
    assert "8 nieuwe sleutels" in page  # the other model's first draft
    assert "Ja, publiceer deze 2 versies" in page
    assert statuses(draft, other_draft) == [ModelVersion.Status.DRAFT] * 2


def test_confirming_publishes_the_reviewed_drafts(
    client_for, editor, published, draft, other_draft
):
    client = client_for(editor)
    review = run_action(client, draft, other_draft)

    response = client.post(
        reverse("admin:maturity_modelversion_changelist"), confirmation_form(review), follow=True
    )

    assert statuses(draft, other_draft) == [ModelVersion.Status.PUBLISHED] * 2
    assert statuses(published) == [ModelVersion.Status.ARCHIVED]
    assert levels(response) == ["success", "success"]


def test_the_action_without_the_confirmation_publishes_nothing(client_for, editor, draft):
    response = run_action(client_for(editor), draft, post="yes")

    assert statuses(draft) == [ModelVersion.Status.DRAFT]
    assert response.status_code == 200  # the review, shown again
    assert CONFIRMATION in [t.name for t in response.templates]
    assert levels(response) == ["warning"]


def test_a_draft_changed_after_its_review_is_reviewed_again(client_for, editor, draft):
    client = client_for(editor)
    form = confirmation_form(run_action(client, draft))
    criterion = draft.criteria.get(key="crit-002")
    criterion.weight = Decimal("5")
    criterion.save()

    response = client.post(reverse("admin:maturity_modelversion_changelist"), form)

    assert statuses(draft) == [ModelVersion.Status.DRAFT]
    (warning,) = response.context["messages"]
    assert "Lees de wijzigingen opnieuw" in str(warning)
    assert "<ins>5</ins>" in response.content.decode()  # the diff as it is now
    confirmed = client.post(
        reverse("admin:maturity_modelversion_changelist"), confirmation_form(response)
    )
    assert confirmed.status_code == 302
    assert statuses(draft) == [ModelVersion.Status.PUBLISHED]


def test_the_action_refuses_two_drafts_of_one_model(client_for, editor, published, draft):
    second = model_version_new_draft(source=published)

    response = run_action(client_for(editor), draft, second, post="yes")

    assert response.status_code == 302
    assert statuses(draft, second) == [ModelVersion.Status.DRAFT] * 2


def test_the_action_on_published_versions_only_refuses(client_for, editor, published):
    client = client_for(editor)

    response = client.post(
        reverse("admin:maturity_modelversion_changelist"),
        {"action": "publish", "_selected_action": [published.pk]},
        follow=True,
    )

    assert levels(response) == ["error"]
    assert "Alleen een concept kan worden gepubliceerd." in response.content.decode()


def test_the_action_reviews_the_drafts_and_leaves_the_other_versions(
    client_for, editor, published, other_draft
):
    response = run_action(client_for(editor), published, other_draft)

    assert levels(response) == ["warning"]
    assert confirmation_form(response)["_selected_action"] == [str(other_draft.pk)]


def test_the_action_shows_the_problems_of_an_invalid_draft(client_for, editor, other_draft):
    other_draft.criteria.filter(phase__key="converseren").delete()
    client = client_for(editor)

    review = run_action(client, other_draft)

    page = review.content.decode()
    assert "converseren" in page
    assert re.search(r'<input type="submit"[^>]*name="publish"[^>]*disabled>', page)
    forced = client.post(
        reverse("admin:maturity_modelversion_changelist"), confirmation_form(review), follow=True
    )
    assert levels(forced) == ["error"]
    assert statuses(other_draft) == [ModelVersion.Status.DRAFT]


def test_the_review_takes_a_bounded_number_of_queries_per_draft(
    client_for, editor, draft, other_draft, django_assert_max_num_queries
):
    client = client_for(editor)
    # Twelve or thirteen a draft (its current version, both structures, the publish rules, the
    # organisations' drafts on older versions, the translations to review); one draft per
    # model can be selected, so the page is bounded by the number of models.
    with django_assert_max_num_queries(21):
        run_action(client, other_draft)
    with django_assert_max_num_queries(21 + 13):
        response = run_action(client, draft, other_draft)
    assert response.status_code == 200


def test_staff_without_permissions_cannot_publish(client_for, other_draft):
    response = run_action(client_for(UserFactory(is_staff=True)), other_draft, post="yes")

    assert response.status_code == 403
    assert statuses(other_draft) == [ModelVersion.Status.DRAFT]


# --- The version's own review page ---------------------------------------------------------


def test_the_review_page_without_its_confirmation_publishes_nothing(client_for, editor, draft):
    url = reverse("admin:maturity_modelversion_publish", args=[draft.pk])

    response = client_for(editor).post(url)

    assert response.status_code == 200
    assert levels(response) == ["warning"]
    assert statuses(draft) == [ModelVersion.Status.DRAFT]


# --- The history -----------------------------------------------------------------------------


def history(client, version: ModelVersion, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("admin:maturity_modelversion_history", args=[version.pk])
    return client.get(url).content.decode()


def test_drafting_and_publishing_are_in_the_history_in_the_readers_language(
    client_for, editor, published
):
    client = client_for(editor)
    changelist = reverse("admin:maturity_modelversion_changelist")
    client.post(changelist, {"action": "make_new_draft", "_selected_action": [published.pk]})
    draft = ModelVersion.objects.get(slug=published.slug, version=2)
    client.post(changelist, confirmation_form(run_action(client, draft)))

    dutch = history(client, draft, "nl-be")
    assert "Nieuw concept op basis van versie 1" in dutch and "Gepubliceerd" in dutch
    english = history(client, draft, "en")
    assert "New draft from version 1" in english and "Published" in english
    assert "Gepubliceerd" not in english


def test_history_entries_stored_before_translation_show_in_the_readers_language(
    client_for, editor, published
):
    for message in ("New draft from version 4", "Published", "Archived", "Prijs aangepast"):
        LogEntry.objects.create(
            user=editor,
            content_type=ContentType.objects.get_for_model(ModelVersion),
            object_id=str(published.pk),
            object_repr=str(published),
            action_flag=CHANGE,
            change_message=message,
        )

    dutch = history(client_for(editor), published, "nl-be")

    for text in ("Nieuw concept op basis van versie 4", "Gepubliceerd", "Gearchiveerd"):
        assert text in dutch
    assert "Prijs aangepast" in dutch  # not ours: shown as stored


def test_history_messages_that_are_not_ours_are_left_alone():
    assert history_message('[{"changed": {"fields": ["weight"]}}]').startswith("[")
    assert history_message("New draft from version x") == "New draft from version x"
