"""The sector's "werkpunten": the criteria with the lowest median fulfilment, by statement.

What was scored counts: with perspectives, the stored consensus.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.models import ConsensusAnswer
from benchmarks.sector import _gaps
from benchmarks.selectors import participants
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    user = UserFactory(username="koepel")
    user.user_permissions.add(Permission.objects.get(codename="view_sector"))
    return user


@pytest.fixture
def six(sector):
    """Six organisations at level 0 (their answers mostly low)."""
    return [sector.organisation(level=0) for _ in range(6)]


def settle(organisations, values: dict[str, str] | None = None) -> None:
    """Store each organisation's consensus as on submit: `values` by key, "fully" elsewhere.

    What was scored is the consensus, so it decides, whatever the perspectives answered.
    """
    chosen = values or {}
    for organisation in organisations:
        assessment = organisation.assessments.get()
        ConsensusAnswer.objects.bulk_create(
            ConsensusAnswer(assessment=assessment, criterion=c, value=chosen.get(c.key, "4"))
            for c in assessment.model_version.criteria.all()
        )


def werkpunten() -> list[tuple[str, int]]:
    return _gaps(participants(model_slug="benchmodel"))


def test_the_lowest_median_comes_first_and_a_median_of_100_is_no_gap(six):
    settle(six[:2], {"crit-001": "1", "crit-002": "2", "crit-003": "0"})
    settle(six[2:4], {"crit-001": "1", "crit-002": "2"})
    settle(six[4:], {"crit-001": "1"})
    # crit-001: all 1 → 25 %; crit-002: 2, 2, 2, 2, 4, 4 → 50 %; crit-003: 0, 0, 4, 4, 4, 4 →
    # 100 %, no werkpunt

    assert werkpunten() == [("crit-001", 25), ("crit-002", 50)]


def test_dont_know_and_not_applicable_carry_no_fulfilment(six):
    settle(six[:1], {"crit-001": "dk", "crit-002": "0"})
    settle(six[1:2], {"crit-001": "2", "crit-002": "0"})
    settle(six[2:], {"crit-001": "2", "crit-002": "na"})
    # crit-001: five answers on the scale, median 50 %; crit-002: two, too few to say anything

    assert werkpunten() == [("crit-001", 50)]


def test_the_stored_consensus_counts_not_the_perspectives_answers(six):
    assert werkpunten()  # the answers alone, at level 0, leave werkpunten

    settle(six)  # every team settled "fully"

    assert werkpunten() == []


def test_the_sector_view_and_its_csv_name_werkpunten_by_statement(client_for, analyst, six):
    settle(six, {"crit-001": "1"})
    criterion = six[0].assessments.get().model_version.criteria.get(key="crit-001")
    client = client_for(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    page = client.get(reverse("benchmarks:sector"))
    exported = client.get(reverse("benchmarks:sector_csv"))

    content = page.content.decode()
    section = content[content.index('id="gaps"') :]
    assert criterion.statement_nl in section
    assert "crit-001" not in section
    assert "25\u00a0%" in section
    rows = list(csv.reader(io.StringIO(exported.content.decode()[1:]), delimiter=";"))
    werkpunt = [row for row in rows if row[0] == "laagste vervulling"]
    assert werkpunt == [
        [
            "laagste vervulling",
            "",
            "",
            "",
            "",
            criterion.statement_nl,
            "mediane vervulling (procent)",
            "25",
        ]
    ]
