"""The demo data has evidence on several answers, stored and carried into the re-assessment."""

import io

import pytest
from django.core.management import call_command

from assessments.demo_evidence import DEMO_EVIDENCE
from assessments.evidence_models import Evidence
from assessments.models import Assessment
from assessments.services.evidence import evidence_storage

pytestmark = pytest.mark.django_db


def test_the_demo_has_evidence_on_several_answers_and_carries_it(default_model):
    call_command("load_demo_data", stdout=io.StringIO())

    measured = Assessment.objects.get(title="Meting 2026")
    evidence = Evidence.objects.filter(answer__assessment=measured)
    assert evidence.count() == len(DEMO_EVIDENCE)
    assert evidence.values("answer").distinct().count() >= 4
    assert {e.kind for e in evidence} == {"file", "link"}
    for item in evidence.filter(kind="file"):
        assert evidence_storage().exists(item.stored_name)
    carried = Evidence.objects.filter(carried_from__answer__assessment=measured)
    assert carried.count() == len(DEMO_EVIDENCE)
    assert {e.answer.assessment for e in carried} != {measured}
