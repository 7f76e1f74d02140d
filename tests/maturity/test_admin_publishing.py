"""Issue 16 in the editors' admin: branding, the version notice, review before publishing,
which version is current, and constraint messages on the form fields."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.management.commands.load_demo_data import model_editors_group
from maturity.admin_forms import CriterionAdminForm, PhaseAdminForm
from maturity.models import ModelVersion
from maturity.services import model_version_new_draft
from tests.factories import UserFactory, build_model_version

pytestmark = pytest.mark.django_db


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
    return model_version_new_draft(source=published)


def review_url(version: ModelVersion) -> str:
    return reverse("admin:maturity_modelversion_publish", args=[version.pk])


def change_url(version: ModelVersion) -> str:
    return reverse("admin:maturity_modelversion_change", args=[version.pk])


def test_the_admin_is_branded_groeipad_and_dutch(client_for, editor):
    page = client_for(editor).get(reverse("admin:index")).content.decode()

    assert "Groeipad – modelbeheer" in page
    assert "Django" not in page
    assert "Wijzigen" in page and "Verschil" not in page


def test_admin_labels_of_our_models_are_dutch(client_for, editor, draft):
    criterion = draft.criteria.first()
    page = client_for(editor).get(reverse("admin:maturity_criterion_change", args=[criterion.pk]))

    text = page.content.decode()
    for label in ("Versie:", "Fase:", "Dimensie:", "Stelling (Nederlands):"):
        assert label in text
    # The statement is a text area, not a one-line field.
    assert '<textarea name="statement_nl"' in text


def test_a_published_version_says_so_with_the_new_draft_action(client_for, editor, published):
    page = client_for(editor).get(change_url(published)).content.decode()

    assert "Deze versie is gepubliceerd en kan niet meer wijzigen — maak een nieuw concept." in page
    assert "Het is de actuele versie" in page
    assert reverse("admin:maturity_modelversion_new_draft", args=[published.pk]) in page


def test_the_new_draft_button_opens_the_draft(client_for, editor, published):
    client = client_for(editor)
    response = client.post(reverse("admin:maturity_modelversion_new_draft", args=[published.pk]))

    draft = ModelVersion.objects.get(slug=published.slug, version=2)
    assert draft.is_draft
    assert response.url == change_url(draft)
    assert (
        client.get(
            reverse("admin:maturity_modelversion_new_draft", args=[published.pk])
        ).status_code
        == 405
    )


def test_the_review_shows_what_changes_before_publishing(client_for, editor, published, draft):
    criterion = draft.criteria.get(key="crit-001")
    criterion.weight = Decimal("3")
    criterion.save()
    draft.criteria.filter(key="crit-008").delete()

    response = client_for(editor).get(review_url(draft))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>1</del>" in page and "<ins>3</ins>" in page
    assert "7 criteria houden hun sleutel" in page
    assert "1 sleutel verdwijnt" in page
    assert "crit-008" in page
    draft.refresh_from_db()
    assert draft.is_draft  # looking changes nothing


def test_publishing_makes_it_current_and_archives_the_previous(
    client_for, editor, published, draft
):
    client = client_for(editor)
    review = client.get(review_url(draft)).context["review"]

    response = client.post(review_url(draft), {review.field_name: review.diff.fingerprint})

    assert response.url == change_url(draft)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == ModelVersion.Status.PUBLISHED
    assert published.status == ModelVersion.Status.ARCHIVED
    listing = client.get(reverse("admin:maturity_modelversion_changelist")).content.decode()
    assert listing.count("Gepubliceerd – actueel") == 1
    assert "Gearchiveerd – vorige versie" in listing
    old_page = client.get(change_url(published)).content.decode()
    assert "De actuele versie is versie 2." in old_page


def test_the_review_of_a_published_version_is_refused(client_for, editor, published):
    assert client_for(editor).get(review_url(published)).status_code == 403


def test_the_review_needs_a_model_editor(client, draft):
    assert client.get(review_url(draft)).status_code == 302  # to the admin login
    client.force_login(UserFactory(is_staff=True))
    assert client.post(review_url(draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_weight_of_zero_is_refused_on_the_weight_field(draft):
    criterion = draft.criteria.first()
    data = {
        field: getattr(criterion, field)
        for field in CriterionAdminForm._meta.fields
        if field not in ("version", "phase", "dimension")
    }
    data.update(
        version=draft.pk,
        phase=criterion.phase_id,
        dimension=criterion.dimension_id,
        weight="0",
        key=draft.criteria.exclude(pk=criterion.pk).first().key,
    )

    form = CriterionAdminForm(data=data, instance=criterion)

    assert not form.is_valid()
    assert form.errors["weight"] == ["Het gewicht moet groter dan 0 zijn."]
    assert form.errors["key"] == ["Een ander criterium van deze versie heeft deze sleutel al."]
    assert "__all__" not in form.errors


def test_a_threshold_above_one_is_refused_on_the_threshold_field(draft):
    phase = draft.phases.first()
    form = PhaseAdminForm(
        data={"order": 7, "key": phase.key, "threshold": "1.5", "name_nl": "Fase"},
        instance=phase,
    )

    assert not form.is_valid()
    assert form.errors["threshold"] == ["De drempel moet groter dan 0 en hoogstens 1 zijn."]
    assert form.errors["order"] == ["Een fase heeft nummer 1, 2, 3 of 4."]


def test_the_preview_shows_phase_weight_and_advice(client_for, editor, draft):
    page = (
        client_for(editor).get(reverse("model_version_preview", args=[draft.pk])).content.decode()
    )

    assert "Voor de redacteur: fase, gewicht en advies per criterium" in page
    assert "Advies 1" in page and "1. Ontdekken" in page
