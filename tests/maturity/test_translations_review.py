"""A change to one language of a criterion's statement, help or advice marks the other language
"to review" ("te herzien") in the admin, until it is edited or explicitly kept (issue 29, 4)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.models import Criterion, ModelVersion
from maturity.services import criterion_translations_to_review, model_version_new_draft
from tests.factories import UserFactory, build_model_version
from tests.maturity.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    """The English pages leave English active in this thread: the next test starts in Dutch."""
    yield
    translation.deactivate()


@pytest.fixture
def criterion() -> Criterion:
    published = build_model_version(criteria_count=4, dimension_count=2)
    draft = model_version_new_draft(source=published)
    return draft.criteria.get(key="crit-001")


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(model_editors_group())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(editor)
    return client


def edit(client, criterion: Criterion, **changes) -> None:
    url = reverse("admin:maturity_criterion_change", args=[criterion.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    criterion.refresh_from_db()


@pytest.mark.parametrize(
    ("changed", "to_review", "keep", "expected"),
    [
        ({"statement_nl"}, [], False, ["statement_en"]),
        ({"advice_en"}, [], False, ["advice_nl"]),
        ({"statement_nl", "statement_en"}, [], False, []),
        ({"statement_en"}, ["statement_en"], False, []),  # edited: reviewed
        ({"help_text_nl"}, ["statement_en"], False, ["help_text_en", "statement_en"]),
        ({"statement_nl"}, ["advice_en"], True, []),  # kept: every mark goes
        ({"weight"}, ["advice_en"], False, ["advice_en"]),
    ],
)
def test_which_texts_are_to_review(changed, to_review, keep, expected):
    texts = {
        f"{t}_{lang}": "tekst"
        for t in ("statement", "help_text", "advice")
        for lang in ["nl", "en"]
    }

    assert (
        criterion_translations_to_review(
            to_review=to_review, changed=changed, texts=texts, keep=keep
        )
        == expected
    )


def test_an_empty_other_language_is_not_to_review():
    assert (
        criterion_translations_to_review(
            to_review=[],
            changed={"advice_nl"},
            texts={"advice_nl": "Nieuw", "advice_en": ""},
            keep=False,
        )
        == []
    )


def test_changing_only_the_dutch_statement_marks_the_english_one(editor_client, criterion):
    edit(editor_client, criterion, statement_nl="Een nieuwe Nederlandse stelling")

    assert criterion.to_review == ["statement_en"]
    page = editor_client.get(reverse("admin:maturity_criterion_change", args=[criterion.pk]))
    assert '<strong class="to-review">statement (English)</strong>' in page.content.decode()
    listed = editor_client.get(reverse("admin:maturity_criterion_changelist") + "?to_review=yes")
    assert "crit-001" in listed.content.decode()


def test_editing_the_other_language_clears_the_mark(editor_client, criterion):
    edit(editor_client, criterion, statement_nl="Een nieuwe Nederlandse stelling")

    edit(editor_client, criterion, statement_en="A new English statement")

    assert criterion.to_review == []


def test_keeping_the_other_language_clears_the_mark(editor_client, criterion):
    edit(editor_client, criterion, statement_en="A new English statement")
    assert criterion.to_review == ["statement_nl"]

    edit(editor_client, criterion, keep_translations="on")

    assert criterion.to_review == []


def test_the_admin_action_keeps_the_translations(editor_client, criterion):
    Criterion.objects.filter(pk=criterion.pk).update(to_review=["statement_en"])

    editor_client.post(
        reverse("admin:maturity_criterion_changelist"),
        {"action": "keep_translations", "_selected_action": [criterion.pk]},
    )

    criterion.refresh_from_db()
    assert criterion.to_review == []


def test_the_publish_review_lists_the_translations_to_review(editor_client, criterion):
    Criterion.objects.filter(pk=criterion.pk).update(to_review=["statement_en"])

    page = editor_client.get(
        reverse("admin:maturity_modelversion_publish", args=[criterion.version_id])
    )

    assert "Translations to review" in page.content.decode()
    assert ModelVersion.objects.get(pk=criterion.version_id).is_draft
