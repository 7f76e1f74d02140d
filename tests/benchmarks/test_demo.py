"""The demo data: Gemeente Voorbeeld sees a comparison, the sector view has content."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Assessment, Membership
from benchmarks.models import Participation
from benchmarks.sector import sector_view
from benchmarks.selectors import assessment_comparison

pytestmark = pytest.mark.django_db


def test_demo_gives_a_comparison_and_a_sector_view(default_model):
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_data", stdout=devnull)
        call_command("load_demo_data", stdout=devnull)  # twice: nothing is made twice
    assert Participation.objects.filter(opted_in=True).count() >= 12
    membership = Membership.objects.select_related("organisation").get(user__username="directie")
    latest = (
        Assessment.objects.filter(organisation=membership.organisation, status="submitted")
        .select_related("model_version")
        .latest("submitted_at")
    )
    comparison = assessment_comparison(membership=membership, assessment=latest)
    assert comparison.group.level == "size" and comparison.index.n == 7
    assert comparison.refused == {"region": "too_small"}
    view = sector_view(user=get_user_model().objects.get(username="koepel"))
    assert view.groups and view.years and view.gaps
