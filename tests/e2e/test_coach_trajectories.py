"""A coach with 30 trajectories (issue 35's scale) on a desktop and on a phone: the running ones
first, the soonest to end on top, each with its members and next session; the ended ones folded
away; nothing scrolls sideways; axe 0. And the admin of a member in all of them."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Organisation
from tests.e2e.conftest import assert_accessible, login
from trajectories.models import Coach, Session, Trajectory, TrajectoryMember

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

WIDTHS = (1280, 375)
TRAJECTORIES = 30
ENDED = 5
TEXT = {
    "nl-be": {"ended": "5 afgelopen trajecten", "members": "1 lid ·", "next": "volgende sessie"},
    "en": {"ended": "5 ended trajectories", "members": "1 member ·", "next": "next session"},
}


def thirty_trajectories() -> None:
    """The demo coach's trajectory and 29 more with Gemeente Voorbeeld in each; 5 have ended.
    Each grown one ends a week after the one before, in a name order that is not that order."""
    demo = Trajectory.objects.get()
    coach = demo.coaches.get().user
    voorbeeld = Organisation.objects.get(name="Gemeente Voorbeeld")
    today = timezone.localdate()
    for number in range(TRAJECTORIES - 1):
        ended = number < ENDED
        trajectory = Trajectory.objects.create(
            name=f"Regio {(number * 7) % 29:02d} — webcare",
            coach_organisation=demo.coach_organisation,
            model_version=demo.model_version,
            start_date=today - timedelta(days=400),
            end_date=today + timedelta(days=(-10 if ended else 10) * (number + 1)),
        )
        Coach.objects.create(trajectory=trajectory, user=coach)
        TrajectoryMember.objects.create(
            trajectory=trajectory, organisation=voorbeeld, status=TrajectoryMember.Status.ACCEPTED
        )
        if not ended:
            Session.objects.create(
                trajectory=trajectory, date=trajectory.end_date, topic="Slotsessie"
            )


def check(page, width: int, context: str) -> None:
    """Nothing scrolls sideways, and axe finds nothing on the whole page."""
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, context
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(height, 800), 16000)})
    assert_accessible(page, f"{context} at {width} px")
    page.set_viewport_size({"width": width, "height": 800})


@pytest.mark.parametrize("width", WIDTHS)
def test_a_coach_reads_30_trajectories(page, live_server, demo_data, language, width):
    call_command("load_trajectory_demo", stdout=io.StringIO())
    thirty_trajectories()
    text = TEXT[language]
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "coach", demo_data)
    page.goto(f"{live_server.url}/trajectories/")

    coached = page.locator("section[aria-labelledby=coached-title]")
    running = coached.locator(":scope > ul > li")
    assert running.count() == TRAJECTORIES - ENDED
    # The soonest to end on top (the grown ones end ten days apart, their names in another order).
    ends = Trajectory.objects.filter(end_date__gte=timezone.localdate()).order_by(
        "end_date", "name"
    )
    names = [running.nth(n).get_by_role("link").inner_text() for n in range(3)]
    assert names == [t.name for t in ends[:3]]
    assert text["members"] in running.first.inner_text()
    assert text["next"] in running.first.inner_text()
    # The ended ones are folded away until asked for.
    ended = coached.locator("details")
    assert not ended.locator("li").first.is_visible()
    check(page, width, "a coach's 30 trajectories")
    ended.locator("summary").click()
    assert text["ended"] in ended.locator("summary").inner_text()
    assert ended.locator("li").count() == ENDED and ended.locator("li").first.is_visible()
    check(page, width, "a coach's 30 trajectories with the ended ones")


def test_a_member_in_30_trajectories_reaches_what_it_shares_on_a_phone(
    page, live_server, demo_data, language
):
    call_command("load_trajectory_demo", stdout=io.StringIO())
    thirty_trajectories()
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "beheer", demo_data)
    page.goto(f"{live_server.url}/trajectories/")
    taking_part = page.locator("section[aria-labelledby=taking-part-title] > ul > li")
    assert taking_part.count() == TRAJECTORIES - ENDED
    check(page, 375, "a member's 30 trajectories")
    with page.expect_navigation():
        taking_part.first.locator("a[href$='/sharing/']").click()
    check(page, 375, "what we share, in one of 30 trajectories")
