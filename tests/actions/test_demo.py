"""The demo organisation has a plan that shows every part of the feature."""

import io

import pytest
from django.core.management import call_command

from actions.comparison import assessment_plan_comparison
from actions.models import Action
from assessments.models import Assessment, Membership

pytestmark = pytest.mark.django_db


def test_the_demo_plan_has_every_status_and_shows_what_changed(default_model):
    call_command("load_demo_data", stdout=io.StringIO())

    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    second = Assessment.objects.get(title="Meting 2026")
    viewer = Membership.objects.get(user__username="directie")
    comparison = assessment_plan_comparison(assessment=second, membership=viewer)
    assert [row.outcome for row in comparison.finished].count("improved") == 3
    assert comparison.still_open
    assert [a.title for a in comparison.not_comparable] == ["Website toegankelijk maken"]
