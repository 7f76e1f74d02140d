"""`make run`'s demo trajectory: a coach login, six members, two sessions."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from trajectories.models import Practice, Trajectory, TrajectoryMember

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_demo_has_the_coached_trajectory(default_model, client):
    call_command("load_demo_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_trajectory_demo", stdout=out)
    call_command("load_trajectory_demo", stdout=io.StringIO())  # runs again without a change

    trajectory = Trajectory.objects.get(name="Monitoring & webcare 2027")
    members = trajectory.members.filter(status=TrajectoryMember.Status.ACCEPTED)
    assert members.count() == 6
    assert members.filter(organisation__name="Gemeente Voorbeeld").exists()
    assert trajectory.sessions.count() == 2
    assert "coach" in out.getvalue()
    assert Practice.objects.filter(member__trajectory=trajectory).count() <= 1

    coach = User.objects.get(username="coach")
    assert coach.check_password("groeipad-demo-2026")
    client.force_login(coach)
    content = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Gemeente Voorbeeld" in content
    assert "webcare" in content.lower()
