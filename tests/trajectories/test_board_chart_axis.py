"""The group board's bar chart says what its axis measures, in the reader's language."""

import pytest
from django.urls import reverse

from tests.trajectories.conftest import ALL_ON, consent

pytestmark = pytest.mark.django_db

VOORBEELD, VERDER = "Gemeente Voorbeeld", "Gemeente Verder"


def board(client, group) -> str:
    page = client.get(reverse("trajectories:detail", args=[group.trajectory.pk]))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Maturity index per dimension (0–4)"),
        ("nl-be", "Maturiteitsindex per dimensie (0–4)"),
    ],
)
def test_the_profile_chart_has_an_axis_title(client_for, group, settings, language, title):
    for name in (VOORBEELD, VERDER):
        consent(group, name, ALL_ON)
    client = client_for(group.coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    content = board(client, group)

    assert 'id="profile-chart"' in content
    assert f'data-y-title="{title}"' in content


def test_the_board_script_reads_the_axis_title():
    from django.conf import settings

    script = (settings.BASE_DIR / "static/js/trajectory_board.js").read_text()
    assert "canvas.dataset.yTitle" in script
