"""The demo data holds one validated assessment and answers with a confidence."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.timezone import localdate

from assessments.assurance import answer_assurance
from assessments.models import Answer, AnswerChange, Assessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_validated_assessment_and_unsure_answers(default_model):
    call_command("load_demo_data", stdout=StringIO())

    validated = Assessment.objects.get(title="Nulmeting 2025")
    assurance = answer_assurance(assessment=validated)
    assert validated.validation_required and assurance.validated
    assert assurance.validators == ("Bea Beheer",)
    assert assurance.validated_on == localdate(validated.submitted_at)
    steps = set(
        AnswerChange.objects.filter(assessment=validated, source="validation").values_list(
            "validation", flat=True
        )
    )
    assert steps == {"question", "reply", "validated"}
    assert Answer.objects.filter(confidence="unsure", assessment__title="Meting 2026").exists()
