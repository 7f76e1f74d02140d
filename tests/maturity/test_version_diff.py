"""The diff a model editor reads before publishing: criteria added, removed and changed, by key."""

from decimal import Decimal

import pytest

from maturity.models import Criterion
from maturity.services import model_version_new_draft
from maturity.version_diff import model_version_diff
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return build_model_version(criteria_count=8, dimension_count=2)


@pytest.fixture
def draft(published):
    return model_version_new_draft(source=published)


def test_an_unchanged_draft_has_an_empty_diff(published, draft):
    diff = model_version_diff(version=draft, base=published)

    assert diff.is_empty
    assert diff.kept_keys == 8
    assert not diff.scoring_changed


def test_changed_parts_show_old_and_new(published, draft):
    criterion = draft.criteria.get(key="crit-001")
    criterion.weight = Decimal("2.50")
    criterion.statement_nl = "Nieuwe stelling"
    criterion.phase = draft.phases.get(order=3)
    criterion.dimension = draft.dimensions.get(order=2)
    criterion.advice_en = "New advice"
    criterion.save()

    diff = model_version_diff(version=draft, base=published)

    (change,) = diff.changed
    assert change.criterion.key == "crit-001"
    parts = {c.field: (c.old, c.new) for c in change.changes}
    assert parts == {
        "statement_nl": ("Stelling 1", "Nieuwe stelling"),
        "weight": ("1", "2.5"),
        "phase": ("1. Ontdekken", "3. Converseren"),
        "dimension": ("Dimensie 1", "Dimensie 2"),
        "advice_en": ("", "New advice"),
    }
    assert change.changes_scoring and diff.scoring_changed
    assert diff.kept_keys == 8 and not diff.added and not diff.removed


def test_a_text_change_keeps_scores_comparable(published, draft):
    Criterion.objects.filter(version=draft, key="crit-002").update(help_text_nl="Andere uitleg")
    Criterion.objects.filter(version=draft, key="crit-003").update(advice_nl="Ander advies")

    diff = model_version_diff(version=draft, base=published)

    # The help text is not part of the diff; the advice is, and changes no score.
    assert [c.criterion.key for c in diff.changed] == ["crit-003"]
    assert not diff.scoring_changed


def test_added_and_removed_keys(published, draft):
    draft.criteria.filter(key="crit-008").delete()
    Criterion.objects.filter(version=draft, key="crit-007").update(key="crit-nieuw")

    diff = model_version_diff(version=draft, base=published)

    assert [c.key for c in diff.added] == ["crit-nieuw"]
    assert [c.key for c in diff.removed] == ["crit-007", "crit-008"]
    assert diff.kept_keys == 6
    assert diff.scoring_changed


def test_without_a_base_everything_is_new(draft):
    diff = model_version_diff(version=draft, base=None)

    assert len(diff.added) == 8 and diff.kept_keys == 0 and not diff.removed
