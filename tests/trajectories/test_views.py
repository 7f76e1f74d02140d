"""The trajectory pages: who may open what (login, 404, 403, 200) and what each page shows."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trajectories.conftest import ALL_ON, consent
from trajectories import services
from trajectories.models import Session, TrajectoryMember

pytestmark = pytest.mark.django_db

VOORBEELD, VERDER = "Gemeente Voorbeeld", "Gemeente Verder"


@pytest.fixture(autouse=True)
def english(client, settings):
    """The pages in English, so the tests can read the messages as the code writes them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def session(group):
    return services.session_create(
        trajectory=group.trajectory,
        user=group.coach,
        when=group.trajectory.start_date,
        topic="Kick-off webcare",
        agenda="1. Kennismaking",
    )


def urls(group, session) -> dict[str, str]:
    pk = group.trajectory.pk
    return {
        "detail": reverse("trajectories:detail", args=[pk]),
        "board_json": reverse("trajectories:board_json", args=[pk]),
        "members": reverse("trajectories:members", args=[pk]),
        "sharing": reverse("trajectories:sharing", args=[pk]),
        "session_new": reverse("trajectories:session_new", args=[pk]),
        "session": reverse("trajectories:session", args=[session.pk]),
    }


def test_anonymous_visitors_go_to_the_login_page(client, group, session):
    for url in [*urls(group, session).values(), reverse("trajectories:list")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsiders_get_404_on_every_trajectory_page(client_for, group, session, stranger):
    client = client_for(stranger)
    for url in urls(group, session).values():
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("trajectories:leave", args=[group.trajectory.pk])).status_code == 404


def test_an_invited_but_not_accepted_organisation_sees_nothing(client_for, group, session):
    other = OrganisationFactory(name="Gemeente Twee")
    admin = MembershipFactory(organisation=other, role="admin").user
    services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )
    client = client_for(admin)
    assert client.get(urls(group, session)["detail"]).status_code == 404
    assert "Webcare 2027" in client.get(reverse("trajectories:list")).content.decode()


def test_members_open_the_board_but_not_the_coachs_pages(client_for, group, session, people):
    client = client_for(people.viewer)
    pages = urls(group, session)
    for name in ("detail", "board_json", "sharing", "session"):
        assert client.get(pages[name]).status_code == 200, name
    for name in ("members", "session_new"):
        assert client.get(pages[name]).status_code == 403, name
    assert client.post(pages["session"], {"topic": "x"}).status_code == 403
    assert client.post(pages["sharing"], {"share_phase": "on"}).status_code == 403


def test_the_coach_opens_every_page_but_has_no_sharing_page(client_for, group, session):
    client = client_for(group.coach)
    pages = urls(group, session)
    for name in ("detail", "board_json", "members", "session_new", "session"):
        assert client.get(pages[name]).status_code == 200, name
    assert client.get(pages["sharing"]).status_code == 404


def test_the_coach_gets_404_on_the_members_own_pages(client_for, group):
    client = client_for(group.coach)
    assessment = Assessment.objects.filter(organisation=group.organisations[VERDER]).first()
    assert client.get(reverse("reports:report", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:review", args=[assessment.pk])).status_code == 404


def test_a_member_of_another_trajectory_gets_404(client_for, group, session, default_model):
    other_coach_organisation = OrganisationFactory(name="Ander bureau")
    other_coach = MembershipFactory(organisation=other_coach_organisation, role="admin").user
    other = services.trajectory_create(
        user=other_coach,
        organisation=other_coach_organisation,
        name="Andere groep",
        model_version=default_model,
        start_date=group.trajectory.start_date,
        end_date=group.trajectory.end_date,
    )
    client = client_for(other_coach)
    assert client.get(reverse("trajectories:detail", args=[other.pk])).status_code == 200
    for url in urls(group, session).values():
        assert client.get(url).status_code == 404, url


def test_withdrawn_consent_disappears_from_the_next_page_and_json(client_for, group, people):
    consent(group, VERDER, ALL_ON)
    client = client_for(people.viewer)
    pages = urls(group, Session(pk=1))
    assert "3.3" in client.get(pages["detail"]).content.decode()
    verder = next(
        m for m in client.get(pages["board_json"]).json()["members"] if m["name"] == VERDER
    )
    assert verder["now"] == {"phase": 3, "index": 3.3}

    consent(group, VERDER, services.ConsentInput(False, False, False, False, ()))

    assert "3.3" not in client.get(pages["detail"]).content.decode()
    verder = next(
        m for m in client.get(pages["board_json"]).json()["members"] if m["name"] == VERDER
    )
    assert verder == {
        "name": VERDER,
        "start": None,
        "now": None,
        "profile": None,
        "actions": None,
        "actions_total": None,
        "priorities": None,
    }


def test_shared_action_notes_never_reach_the_page(client_for, group):
    consent(group, VOORBEELD, ALL_ON)
    content = client_for(group.coach).get(urls(group, Session(pk=1))["detail"]).content.decode()
    assert "Reactieschema opstellen" in content
    assert "Geheime notitie" not in content


def test_the_sharing_page_saves_consent_and_lists_what_is_shared(client_for, group, people):
    client = client_for(people.admin)
    url = urls(group, Session(pk=1))["sharing"]
    response = client.post(url, {"share_actions": "on", "priorities": ["webcare"]})
    assert response.status_code == 302
    member = TrajectoryMember.objects.get(pk=group.members[VOORBEELD].pk)
    assert (member.share_actions, member.share_phase) == (True, False)
    content = client.get(url).content.decode()
    assert "Reactieschema opstellen" in content


def test_the_invite_form_explains_bad_input(client_for, group):
    client = client_for(group.coach)
    url = urls(group, Session(pk=1))["members"]
    response = client.post(url, {"organisation": "Gemeente Nergens"})
    assert response.status_code == 400
    assert str(services.ORGANISATION_NOT_FOUND) in response.content.decode()
    response = client.post(url, {"organisation": VERDER})
    assert str(services.ALREADY_TAKING_PART) in response.content.decode()


def test_answering_for_another_organisation_says_so(client_for, group):
    other = OrganisationFactory(name="Gemeente Twee")
    MembershipFactory(organisation=other, role="admin")
    invited = services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )
    mine = OrganisationFactory(name="Gemeente Drie")
    admin = MembershipFactory(organisation=mine, role="admin").user
    services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=mine.name
    )
    client = client_for(admin)

    response = client.post(
        reverse("trajectories:respond", args=[group.trajectory.pk]),
        {"member": invited.pk, "answer": "accept"},
        follow=True,
    )

    assert "You can only answer an open invitation" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == TrajectoryMember.Status.INVITED


def test_a_session_date_outside_the_trajectory_is_a_form_error(client_for, group):
    client = client_for(group.coach)
    response = client.post(
        urls(group, Session(pk=1))["session_new"],
        {"date": "1999-01-01", "topic": "Te vroeg", "agenda": ""},
    )
    assert response.status_code == 400
    assert "Choose a date between" in response.content.decode()


def test_the_proposed_agenda_names_common_gaps_and_open_actions(client_for, group):
    consent(group, VOORBEELD, ALL_ON)
    response = client_for(group.coach).get(urls(group, Session(pk=1))["session_new"])
    content = response.content.decode()
    assert "Reactieschema opstellen" in content
    assert "Agreements for the next session" in content


def test_the_board_page_reads_in_constant_queries(client_for, group, django_assert_max_num_queries):
    for name in (VOORBEELD, VERDER):
        consent(group, name, ALL_ON)
    client = client_for(group.coach)
    url = urls(group, Session(pk=1))["detail"]
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_board_speaks_dutch(client_for, group, settings):
    client = client_for(group.coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
    content = client.get(urls(group, Session(pk=1))["detail"]).content.decode()
    assert "Gemeenschappelijke werkpunten" in content
    assert "Nog niet ingediend" in content


def test_the_agenda_pdf_shows_the_session_to_members_only(client_for, group, session, stranger):
    import subprocess

    url = reverse("trajectories:session_pdf", args=[session.pk])
    assert client_for(stranger).get(url).status_code == 404
    response = client_for(group.admins[VERDER]).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Kick-off webcare" in text and "1. Kennismaking" in text


def test_the_cached_board_sections_stay_escaped(client_for, group):
    group.organisations["Gemeente Verder"].name = "Gemeente <b>Verder</b>"
    group.organisations["Gemeente Verder"].save()
    consent(group, "Gemeente Verder", ALL_ON)
    client = client_for(group.coach)
    url = urls(group, Session(pk=1))["detail"]

    for _computed_then_cached in range(2):
        page = client.get(url).content.decode()
        assert "Gemeente &lt;b&gt;Verder&lt;/b&gt;" in page and "<b>Verder" not in page
