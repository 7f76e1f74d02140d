"""The admin for model editors: drafts can change, published versions are read-only."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.models import Criterion, ModelVersion
from tests.factories import UserFactory, build_model_version

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:maturity_modelversion_changelist"


@pytest.fixture
def editor():
    """A staff member in the model editors group."""
    user = UserFactory(is_staff=True)
    user.groups.add(model_editors_group())
    return user


@pytest.fixture
def staff_without_permissions():
    return UserFactory(is_staff=True)


@pytest.fixture
def unpublished() -> ModelVersion:
    return build_model_version(criteria_count=12, dimension_count=3, publish=False)


@pytest.fixture
def published() -> ModelVersion:
    return build_model_version(criteria_count=12, dimension_count=3, slug="gepubliceerd")


def change_url(version: ModelVersion) -> str:
    return reverse("admin:maturity_modelversion_change", args=[version.pk])


def criterion_change_url(criterion: Criterion) -> str:
    return reverse("admin:maturity_criterion_change", args=[criterion.pk])


def form_data(response) -> dict:
    """The POST data of an admin change form as rendered: the main form and every inline."""
    data = {}

    def add(form) -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Save"
    return data


def run_action(client, action: str, *versions: ModelVersion, follow: bool = False):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [v.pk for v in versions]},
        follow=follow,
    )


# --- Who may enter ---------------------------------------------------------------------------


def test_a_model_editor_can_open_the_model_version_list(client_for, editor, unpublished):
    response = client_for(editor).get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert unpublished.name_nl in response.content.decode()


def test_a_model_editor_can_open_the_change_page_of_a_draft(client_for, editor, unpublished):
    response = client_for(editor).get(change_url(unpublished))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is True
    assert 'name="_save"' in response.content.decode()


def test_staff_without_permissions_cannot_open_the_change_page(
    client_for, staff_without_permissions, unpublished
):
    response = client_for(staff_without_permissions).get(change_url(unpublished))

    assert response.status_code == 403


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client_for, unpublished):
    response = client_for(UserFactory()).get(change_url(unpublished))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, unpublished):
    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- Changing a draft ------------------------------------------------------------------------


def test_a_model_editor_can_rename_a_draft_through_the_change_form(client_for, editor, unpublished):
    client = client_for(editor)
    data = form_data(client.get(change_url(unpublished)))
    data["name_nl"] = "Nieuwe naam"

    response = client.post(change_url(unpublished), data)

    assert response.status_code == 302
    unpublished.refresh_from_db()
    assert unpublished.name_nl == "Nieuwe naam"


def test_a_model_editor_can_change_a_phase_threshold_in_the_inline(client_for, editor, unpublished):
    client = client_for(editor)
    data = form_data(client.get(change_url(unpublished)))
    data["phases-0-threshold"] = "0.60"

    response = client.post(change_url(unpublished), data)

    assert response.status_code == 302
    assert unpublished.phases.get(order=1).threshold == Decimal("0.60")


def test_a_model_editor_can_change_the_weight_of_a_draft_criterion(client_for, editor, unpublished):
    client = client_for(editor)
    criterion = unpublished.criteria.get(key="crit-001")
    data = form_data(client.get(criterion_change_url(criterion)))
    data["weight"] = "2.50"

    response = client.post(criterion_change_url(criterion), data)

    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("2.50")


def test_the_criterion_form_refuses_a_weight_of_zero(client_for, editor, unpublished):
    client = client_for(editor)
    criterion = unpublished.criteria.get(key="crit-001")
    data = form_data(client.get(criterion_change_url(criterion)))
    data["weight"] = "0"

    response = client.post(criterion_change_url(criterion), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("1.00")


def test_the_criterion_form_refuses_a_phase_of_another_version(client_for, editor, unpublished):
    other = build_model_version(slug="ander", publish=False)
    client = client_for(editor)
    criterion = unpublished.criteria.get(key="crit-001")
    data = form_data(client.get(criterion_change_url(criterion)))
    data["phase"] = str(other.phases.get(order=1).pk)

    response = client.post(criterion_change_url(criterion), data)

    assert response.status_code == 200
    assert "phase" in response.context["adminform"].form.errors
    criterion.refresh_from_db()
    assert criterion.phase.version == unpublished


def test_the_change_page_shows_the_total_weight_per_phase(client_for, editor, unpublished):
    Criterion.objects.filter(version=unpublished, key="crit-001").update(weight=Decimal("2.50"))

    response = client_for(editor).get(change_url(unpublished))

    rows = re.findall(
        r"<tr><td>(\d)\. \w+</td><td>(\d+)</td><td>([\d.]+)</td></tr>",
        response.content.decode(),
    )
    # crit-001, -005 and -009 are in phase 1: 2.50 + 1.00 + 1.00
    totals = {order: (int(count), Decimal(total)) for order, count, total in rows}
    assert totals == {
        "1": (3, Decimal("4.5")),
        "2": (3, Decimal("3")),
        "3": (3, Decimal("3")),
        "4": (3, Decimal("3")),
    }


# --- A published version is read-only --------------------------------------------------------


def test_the_change_page_of_a_published_version_is_read_only(client_for, editor, published):
    response = client_for(editor).get(change_url(published))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_posting_to_a_published_version_does_not_change_it(client_for, editor, published):
    client = client_for(editor)
    data = form_data(client.get(change_url(published)))
    data["name_nl"] = "Gewijzigd"

    response = client.post(change_url(published), data)

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name_nl == "Testmodel 1"


def test_the_criterion_page_of_a_published_version_is_read_only(client_for, editor, published):
    criterion = published.criteria.get(key="crit-001")

    response = client_for(editor).get(criterion_change_url(criterion))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_posting_to_a_published_criterion_does_not_change_it(client_for, editor, published):
    criterion = published.criteria.get(key="crit-001")

    response = client_for(editor).post(
        criterion_change_url(criterion), {"weight": "5.00", "_save": "Save"}
    )

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("1.00")


def test_a_published_version_cannot_be_deleted_in_the_admin(client_for, editor, published):
    url = reverse("admin:maturity_modelversion_delete", args=[published.pk])

    response = client_for(editor).post(url, {"post": "yes"})

    assert response.status_code == 403
    assert ModelVersion.objects.filter(pk=published.pk).exists()


# --- Actions ---------------------------------------------------------------------------------


def test_the_new_draft_action_makes_version_two(client_for, editor, published):
    response = run_action(client_for(editor), "make_new_draft", published)

    assert response.status_code == 302
    new = ModelVersion.objects.get(slug=published.slug, version=2)
    assert new.status == ModelVersion.Status.DRAFT
    assert new.criteria.count() == 12


def test_the_archive_action_archives_a_published_version(client_for, editor, published):
    run_action(client_for(editor), "archive", published)

    published.refresh_from_db()
    assert published.status == ModelVersion.Status.ARCHIVED


def test_the_archive_action_leaves_drafts_alone(client_for, editor, unpublished):
    run_action(client_for(editor), "archive", unpublished)

    unpublished.refresh_from_db()
    assert unpublished.status == ModelVersion.Status.DRAFT


def test_staff_without_permissions_cannot_run_the_new_draft_action(
    client_for, staff_without_permissions, published
):
    response = run_action(client_for(staff_without_permissions), "make_new_draft", published)

    assert response.status_code == 403
    assert ModelVersion.objects.count() == 1


# --- The questionnaire preview ---------------------------------------------------------------


def preview_url(version: ModelVersion) -> str:
    return reverse("model_version_preview", args=[version.pk])


def test_a_model_editor_can_preview_a_draft(client_for, editor, unpublished):
    response = client_for(editor).get(preview_url(unpublished))

    assert response.status_code == 200
    assert "Stelling 1" in response.content.decode()


def test_the_preview_shows_every_criterion_read_only_with_its_texts_escaped(
    client_for, editor, unpublished
):
    Criterion.objects.filter(version=unpublished, key="crit-001").update(
        statement_nl='<b>Vet</b> & "zo"', help_text_nl="<i>uitleg</i>"
    )

    response = client_for(editor).get(preview_url(unpublished))

    content = response.content.decode()
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; &#34;zo&#34;" in content
    assert "&lt;i&gt;uitleg&lt;/i&gt;" in content
    assert "<b>Vet" not in content and "<i>uitleg" not in content
    forms = [step.form for step, _criteria in response.context["editor_steps"]]
    assert sum(len(form.criteria) for form in forms) == unpublished.criteria.count()
    assert all(form.disabled and not form.is_bound for form in forms)
    # Every radio button, comment box and confidence choice is disabled.
    selects = content.count('-confidence" id="')
    inputs = content.count(' type="radio"') + content.count("<textarea") + selects
    assert content.count(" disabled>") == inputs


def test_staff_without_permissions_cannot_preview(
    client_for, staff_without_permissions, unpublished
):
    response = client_for(staff_without_permissions).get(preview_url(unpublished))

    assert response.status_code == 403


def test_an_anonymous_visitor_cannot_preview(client, unpublished):
    response = client.get(preview_url(unpublished))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
    assert "Stelling 1" not in response.content.decode()


def test_the_preview_of_an_unknown_version_is_not_found(client_for, editor):
    response = client_for(editor).get(reverse("model_version_preview", args=[999_999]))

    assert response.status_code == 404
