import pytest

pytestmark = pytest.mark.django_db


def test_default_model_fixture_loads(default_model):
    assert default_model.criteria.count() >= 32


def test_submitted_fixture_has_result(submitted):
    assert submitted.result["phase"]["order"] >= 1
