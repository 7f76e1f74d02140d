"""The sector's most frequent gaps count what was scored: with perspectives, the consensus."""

import pytest

from assessments.models import Answer, ConsensusAnswer, Perspective
from benchmarks.sector import sector_gaps
from benchmarks.selectors import participants

pytestmark = pytest.mark.django_db


def test_gaps_read_the_stored_consensus_of_an_assessment_with_perspectives(sector):
    organisations = [sector.organisation(level=0) for _ in range(6)]
    settled = organisations[0].assessments.get()
    # The team settled every question at "fully" although a second perspective said "not at
    # all": the consensus (stored on submit) is what was scored, so this organisation has no gap.
    second = Perspective.objects.create(assessment=settled, name="Directie")
    criteria = list(settled.model_version.criteria.all())
    # As it was when submitted (the model layer refuses new answers of a submitted assessment).
    Answer._base_manager.bulk_create(
        Answer(assessment=settled, perspective=second, criterion=c, value="0") for c in criteria
    )
    ConsensusAnswer.objects.bulk_create(
        ConsensusAnswer(assessment=settled, criterion=c, value="4") for c in criteria
    )

    gaps = dict(sector_gaps(participants(model_slug="benchmodel")))

    assert gaps and max(gaps.values()) == round(100 * 5 / 6)
