"""A waiting page that says the document is not being made does not also say "Preparing"."""

import re

import pytest

from tests.trajectories.test_agenda_documents import ask, odt_url, session  # noqa: F401
from trajectories import services
from trajectories.models import AgendaRender

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl-be", "De bewerkbare agenda (ODT) is nog niet klaar"),
        ("en", "The editable agenda (ODT) is not ready"),
    ],
)
def test_a_refused_agenda_is_not_said_to_be_prepared(
    client_for,
    group,
    session,  # noqa: F811
    language,
    expected,
):
    other = services.session_create(
        trajectory=group.trajectory,
        user=group.coach,
        when=group.trajectory.start_date,
        topic="Tweede",
        agenda="",
    )
    AgendaRender.objects.create(
        key="b" * 64, session=other, requested_by=group.coach, language="nl-be", format="pdf"
    )

    response = ask(client_for(group.coach), odt_url(session), language)

    assert response.status_code == 429
    assert heading(response) == expected
