"""The demo organisation has a plan that shows every part of the feature."""

import io

import pytest
from django.core.management import call_command

from actions.comparison import assessment_plan_comparison
from actions.demo import RETIRED_CRITERION_KEY
from actions.models import Action
from assessments.models import Assessment, Membership
from maturity.selectors import model_version_structure

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


def test_every_demo_action_works_on_the_criterion_its_title_is_about(default_model):
    call_command("load_demo_data", stdout=io.StringIO())

    linked = dict(Action.objects.values_list("title", "criterion_key"))
    assert linked["Monitoringtool kiezen"] == "monitoring-tool"
    assert linked["Budget in kaart brengen"] == "organisatie-budget"
    assert linked["Reactietermijnen afspreken"] == "webcare-antwoordtermijn"
    assert linked["Doelgroepen beschrijven"] == "strategie-doelgroepen-in-beeld"
    assert linked["Eigen app laten bouwen"] == ""
    keys = set(model_version_structure(version=default_model).criteria_by_key)
    current = {key for key in linked.values() if key and key != RETIRED_CRITERION_KEY}
    assert current <= keys
