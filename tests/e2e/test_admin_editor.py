"""A model editor makes, edits and publishes a new model version in the Django admin."""

import re
from decimal import Decimal

import pytest

from maturity.models import Criterion, ModelVersion
from tests.e2e.conftest import login

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def run_action(page, live_server, version_pk: int, action: str) -> None:
    page.goto(f"{live_server.url}/admin/maturity/modelversion/")
    page.check(f"input.action-select[value='{version_pk}']")
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.click("button[name=index]")


def test_editor_makes_edits_and_publishes_a_new_version(page, live_server, demo_data):
    published = ModelVersion.objects.get(status=ModelVersion.Status.PUBLISHED)
    login(page, live_server, "redacteur", demo_data)
    assert page.locator("header a[href='/admin/']").count() == 1

    run_action(page, live_server, published.pk, "make_new_draft")
    assert page.locator(".messagelist .success").count() == 1
    draft = ModelVersion.objects.get(status=ModelVersion.Status.DRAFT)
    assert draft.version == published.version + 1
    assert page.locator(f"input.action-select[value='{draft.pk}']").count() == 1

    # Open one criterion of the draft through the version's "criteria" link and change its weight.
    page.goto(f"{live_server.url}/admin/maturity/modelversion/{draft.pk}/change/")
    with page.expect_navigation():
        page.click(f"a[href$='?version__id__exact={draft.pk}']")
    with page.expect_navigation():
        page.locator("#result_list tbody tr th a").first.click()
    criterion_pk = int(re.search(r"/criterion/(\d+)/change/", page.url).group(1))
    criterion = Criterion.objects.get(pk=criterion_pk)
    assert criterion.version_id == draft.pk
    new_weight = criterion.weight + Decimal(2)
    page.fill("#id_weight", str(new_weight))
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    criterion.refresh_from_db()
    assert criterion.weight == new_weight
    original = Criterion.objects.get(version=published, key=criterion.key)
    assert original.weight != new_weight  # the published version did not change

    run_action(page, live_server, draft.pk, "publish")
    assert page.locator(".messagelist .success").count() == 1
    assert page.locator(".messagelist .error").count() == 0
    draft.refresh_from_db()
    assert draft.status == ModelVersion.Status.PUBLISHED
