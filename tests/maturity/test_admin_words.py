"""The admin in correct Dutch: its messages name a model without a wrong article, numbers with a
decimal comma; and the short advice title is editable there."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.services import model_version_new_draft
from tests.factories import UserFactory, build_model_version
from tests.maturity.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(model_editors_group())
    return user


@pytest.fixture
def draft():
    return model_version_new_draft(source=build_model_version(criteria_count=8, dimension_count=2))


def test_saving_a_criterion_says_so_in_correct_dutch(client_for, editor, draft):
    client = client_for(editor)
    criterion = draft.criteria.get(key="crit-001")
    url = reverse("admin:maturity_criterion_change", args=[criterion.pk])
    data = form_data(client.get(url))
    data["advice_title_nl"] = "Een reactieschema opstellen"

    response = client.post(url, data)

    said = [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(response.wsgi_request)]
    assert said == ["Gewijzigd: criterium “crit-001”."]
    assert not any(message.startswith("De criterium") for message in said)
    criterion.refresh_from_db()
    assert criterion.advice_title_nl == "Een reactieschema opstellen"


def test_the_criterion_form_has_the_short_advice_title_in_both_languages(client_for, editor, draft):
    criterion = draft.criteria.first()

    page = client_for(editor).get(reverse("admin:maturity_criterion_change", args=[criterion.pk]))

    text = page.content.decode()
    assert 'name="advice_title_nl"' in text and 'name="advice_title_en"' in text
    assert "Korte adviestitel (Nederlands)" in text


def test_the_publish_review_writes_a_weight_with_a_decimal_comma(client_for, editor, draft):
    criterion = draft.criteria.get(key="crit-001")
    criterion.weight = Decimal("17.5")
    criterion.save()

    page = client_for(editor).get(reverse("admin:maturity_modelversion_publish", args=[draft.pk]))

    text = page.content.decode()
    assert "<ins>17,5</ins>" in text
    assert "<ins>17.5</ins>" not in text
