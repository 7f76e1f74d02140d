"""A session's agenda as ODT and PDF, rendered by the worker (eager in tests) and stored by its
content: who may ask, what the files hold, the waiting page and its poll, edits and cleanup."""

import io
import json
import subprocess
from datetime import timedelta

import pikepdf
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from odf import dc, teletype
from odf import style as odf_style
from odf import text as odf_text
from odf.opendocument import load

from documents.renders import STALE_AFTER
from tests.factories import MembershipFactory, OrganisationFactory
from trajectories import agenda_renders, services
from trajectories.models import AgendaRender, TrajectoryMember, agenda_storage_name

pytestmark = pytest.mark.django_db

VERDER = "Gemeente Verder"
AGENDA = (
    "1. Kennismaking\n2. Open acties:\n  - Gemeente Verder: reactieschema (01-03-2027)\n"
    "3. Afspraken"
)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def session(group):
    return services.session_create(
        trajectory=group.trajectory,
        user=group.coach,
        when=group.trajectory.start_date,
        topic="Kick-off webcare",
        agenda=AGENDA,
    )


def odt_url(session) -> str:
    return reverse("trajectories:session_odt", args=[session.pk])


def pdf_url(session) -> str:
    return reverse("trajectories:session_pdf", args=[session.pk])


def status_url(session, render) -> str:
    return reverse("trajectories:session_agenda_status", args=[session.pk, render.pk])


def ask(client, url: str, language: str = "nl-be"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


def styles_of(document, element) -> list[tuple[str, str]]:
    """(style name, text) of every element of this kind, styles resolved to their display name."""
    names = {
        s.getAttribute("name"): s.getAttribute("displayname") or s.getAttribute("name")
        for s in document.getElementsByType(odf_style.Style)
    }
    return [
        (
            names.get(e.getAttribute("stylename"), e.getAttribute("stylename")),
            teletype.extractText(e),
        )
        for e in document.getElementsByType(element)
    ]


# --- Who may ask ------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client, session):
    render = AgendaRender.objects.create(
        key="a" * 64, session=session, requested_by=MembershipFactory().user, language="en"
    )
    for url in (odt_url(session), pdf_url(session), status_url(session, render)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsiders_and_other_trajectories_get_404(client_for, group, session, stranger):
    other_coach = MembershipFactory(
        organisation=OrganisationFactory(name="Ander bureau"), role="admin"
    ).user
    services.trajectory_create(
        user=other_coach,
        organisation=other_coach.memberships.get().organisation,
        name="Een ander traject",
        model_version=group.trajectory.model_version,
        start_date=group.trajectory.start_date,
        end_date=group.trajectory.end_date,
    )
    render = AgendaRender.objects.create(
        key="a" * 64, session=session, requested_by=group.coach, language="en"
    )
    for user in (stranger, other_coach):
        client = client_for(user)
        for url in (odt_url(session), pdf_url(session), status_url(session, render)):
            assert client.get(url).status_code == 404, url
    assert AgendaRender.objects.count() == 1  # the outsiders asked nothing of the worker


def test_a_member_that_left_gets_404(client_for, group, session):
    admin = group.admins[VERDER]
    TrajectoryMember.objects.filter(pk=group.members[VERDER].pk).update(status="left")
    assert client_for(admin).get(odt_url(session)).status_code == 404


def test_the_status_of_a_render_of_another_session_or_trajectory_is_404(client_for, group, session):
    other = services.session_create(
        trajectory=group.trajectory,
        user=group.coach,
        when=group.trajectory.start_date,
        topic="Tweede",
        agenda="",
    )
    render = AgendaRender.objects.create(
        key="a" * 64, session=other, requested_by=group.coach, language="en"
    )
    foreign_coach = MembershipFactory(
        organisation=OrganisationFactory(name="Ander bureau"), role="admin"
    ).user
    foreign = services.trajectory_create(
        user=foreign_coach,
        organisation=foreign_coach.memberships.get().organisation,
        name="Een ander traject",
        model_version=group.trajectory.model_version,
        start_date=group.trajectory.start_date,
        end_date=group.trajectory.end_date,
    )
    foreign_session = services.session_create(
        trajectory=foreign, user=foreign_coach, when=foreign.start_date, topic="Vreemd", agenda=""
    )
    foreign_render = AgendaRender.objects.create(
        key="f" * 64, session=foreign_session, requested_by=foreign_coach, language="en"
    )
    client = client_for(group.coach)
    assert client.get(status_url(session, render)).status_code == 404
    assert client.get(status_url(session, foreign_render)).status_code == 404
    assert client.get(status_url(foreign_session, render)).status_code == 404
    assert client.get(status_url(other, render)).status_code == 200


def test_coach_and_members_get_both_formats(client_for, group, session):
    for user in (group.coach, group.admins[VERDER]):
        client = client_for(user)
        odt = ask(client, odt_url(session))
        pdf = ask(client, pdf_url(session))
        assert odt.status_code == 200
        assert odt["Content-Type"] == "application/vnd.oasis.opendocument.text"
        assert odt["Content-Disposition"].startswith('attachment; filename="agenda-')
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_session_page_links_both_formats(client_for, group, session):
    page = ask(client_for(group.admins[VERDER]), reverse("trajectories:session", args=[session.pk]))
    content = page.content.decode()
    assert f'href="{odt_url(session)}"' in content and f'href="{pdf_url(session)}"' in content
    assert "Agenda (ODT)" in content


# --- What the files hold ----------------------------------------------------------------------


def test_the_odt_opens_with_headings_the_agenda_and_the_trajectory_in_the_header(
    client_for, group, session
):
    content = ask(client_for(group.coach), odt_url(session)).content
    document = load(io.BytesIO(content))

    headings = styles_of(document, odf_text.H)
    assert headings == [("Heading 1", "Kick-off webcare"), ("Heading 2", "Agenda")]
    levels = [h.getAttribute("outlinelevel") for h in document.getElementsByType(odf_text.H)]
    assert levels == ["1", "2"]
    body = teletype.extractText(document.text)
    assert "1. Kennismaking" in body and "3. Afspraken" in body
    items = [teletype.extractText(i) for i in document.getElementsByType(odf_text.ListItem)]
    assert items == ["Gemeente Verder: reactieschema (01-03-2027)"]
    header = teletype.extractText(document.getElementsByType(odf_style.Header)[0])
    assert header == "Webcare 2027"
    assert teletype.extractText(document.meta.getElementsByType(dc.Title)[0]) == (
        "Kick-off webcare · Webcare 2027"
    )
    assert teletype.extractText(document.meta.getElementsByType(dc.Language)[0]) == "nl-BE"


def test_the_odt_speaks_the_language_of_the_request(client_for, group, session):
    english = load(io.BytesIO(ask(client_for(group.coach), odt_url(session), "en").content))
    dutch = load(io.BytesIO(ask(client_for(group.coach), odt_url(session), "nl-be").content))

    assert teletype.extractText(english.meta.getElementsByType(dc.Language)[0]) == "en-GB"
    assert ("Heading 2", "Agenda") in styles_of(english, odf_text.H)
    assert "Agenda of the session of" in teletype.extractText(
        english.meta.getElementsByType(dc.Subject)[0]
    )
    assert "Agenda van de sessie van" in teletype.extractText(
        dutch.meta.getElementsByType(dc.Subject)[0]
    )
    assert AgendaRender.objects.filter(format="odt").count() == 2  # one per language


def test_the_pdf_is_tagged_with_language_title_and_agenda(client_for, group, session):
    content = ask(client_for(group.admins[VERDER]), pdf_url(session)).content
    pdf = pikepdf.open(io.BytesIO(content))

    assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "nl-be"
    assert str(pdf.docinfo.Title) == "Kick-off webcare · Webcare 2027"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Kick-off webcare" in text and "1. Kennismaking" in text


def test_an_empty_agenda_says_so(client_for, group, session):
    services.session_update(
        session=session, user=group.coach, when=session.date, topic=session.topic, agenda=""
    )
    document = load(io.BytesIO(ask(client_for(group.coach), odt_url(session), "en").content))
    assert "No agenda yet." in teletype.extractText(document.text)


# --- Rendered once per content ------------------------------------------------------------------


def test_repeated_asks_serve_the_stored_file_without_rendering_again(
    client_for, group, session, django_assert_max_num_queries
):
    client = client_for(group.coach)
    first = ask(client, odt_url(session))
    render = AgendaRender.objects.get()
    finished = render.finished_at

    with django_assert_max_num_queries(8):
        again = ask(client, odt_url(session))

    assert again.status_code == 200 and again.content == first.content
    render.refresh_from_db()
    assert AgendaRender.objects.count() == 1 and render.finished_at == finished


def test_an_edit_of_the_agenda_makes_a_new_render_and_removes_the_old(client_for, group, session):
    client = client_for(group.coach)
    ask(client, odt_url(session))
    old = AgendaRender.objects.get()
    services.session_update(
        session=session,
        user=group.coach,
        when=session.date,
        topic=session.topic,
        agenda=AGENDA + "\n4. Nieuw punt",
    )

    response = ask(client, odt_url(session))

    assert "4. Nieuw punt" in teletype.extractText(load(io.BytesIO(response.content)).text)
    new = AgendaRender.objects.get()  # the old one is superseded: row and file gone
    assert new.key != old.key
    assert not default_storage.exists(old.storage_name)
    assert default_storage.exists(new.storage_name)


@pytest.mark.parametrize("field", ["date", "topic"])
def test_the_key_changes_with_date_and_topic(group, session, field):
    trajectory = group.trajectory
    before = agenda_renders.agenda_render_key(
        session=session, trajectory=trajectory, language="en", fmt="odt"
    )
    if field == "date":
        session.date += timedelta(days=1)
    else:
        session.topic = "Anders"
    after = agenda_renders.agenda_render_key(
        session=session, trajectory=trajectory, language="en", fmt="odt"
    )
    assert before != after


# --- The waiting page and its poll --------------------------------------------------------------


def waiting_render(group, session, *, fmt="odt", language="nl-be") -> AgendaRender:
    trajectory = group.trajectory
    key = agenda_renders.agenda_render_key(
        session=session, trajectory=trajectory, language=language, fmt=fmt
    )
    return AgendaRender.objects.create(
        key=key, session=session, requested_by=group.coach, language=language, format=fmt
    )


def test_the_waiting_page_polls_the_render_s_status(
    client_for, group, session, django_assert_max_num_queries
):
    waiting = waiting_render(group, session)
    client = client_for(group.admins[VERDER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"

    with django_assert_max_num_queries(12):
        page = client.get(odt_url(session))
    answer = client.get(odt_url(session), **JSON).json()

    assert page.status_code == 202 and "no-store" in page["Cache-Control"]
    content = page.content.decode()
    assert f'data-poll-url="{status_url(session, waiting)}"' in content
    assert 'role="progressbar"' in content and "pdf_progress.js" in content
    assert f'href="{odt_url(session)}"' in content  # the refresh link, without JavaScript
    assert "Even geduld: de bewerkbare agenda (ODT) wordt klaargemaakt" in content
    assert answer["status_url"] == status_url(session, waiting)
    assert AgendaRender.objects.count() == 1  # the waiting render, not a second one


def test_the_poll_costs_one_query_of_its_own_and_tells_how_far(
    client_for, group, session, django_assert_num_queries
):
    waiting = waiting_render(group, session)
    client = client_for(group.coach)
    client.get(status_url(session, waiting))  # the first request saves the session

    answers = {}
    for status in ("queued", "rendering", "done", "failed"):
        AgendaRender.objects.filter(pk=waiting.pk).update(status=status)
        # The session, the user, the user's memberships (the middleware's), then the render
        # with its access check in one query.
        with django_assert_num_queries(4):
            response = client.get(status_url(session, waiting))
        assert "no-store" in response["Cache-Control"]
        answers[status] = response.json()

    assert answers["queued"] == {"status": "queued", "message": None, "document_url": None}
    assert answers["rendering"]["status"] == "rendering"
    assert answers["done"]["document_url"] == f"{odt_url(session)}?render={waiting.pk}"
    assert answers["failed"]["status"] == "failed" and answers["failed"]["message"]


def test_a_render_that_lost_its_task_is_asked_again(client_for, group, session):
    waiting = waiting_render(group, session)
    AgendaRender.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - STALE_AFTER - timedelta(seconds=1)
    )
    client = client_for(group.coach)

    answer = client.get(status_url(session, waiting)).json()
    assert answer == {"status": "stale", "message": None, "document_url": odt_url(session)}
    assert ask(client, odt_url(session)).status_code == 200  # enqueued anew, rendered (eager)


def test_one_agenda_at_a_time_per_user(client_for, group, session):
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
    response = ask(client_for(group.coach), odt_url(session))
    assert response.status_code == 429 and response["Retry-After"] == "10"


def test_the_download_by_render_id_serves_only_this_session_s_file(client_for, group, session):
    client = client_for(group.coach)
    ask(client, odt_url(session))
    render = AgendaRender.objects.get()
    other = services.session_create(
        trajectory=group.trajectory, user=group.coach, when=session.date, topic="Twee", agenda=""
    )
    assert ask(client, f"{odt_url(session)}?render={render.pk}").status_code == 200
    # Another session's address with this render's id renders that session, not this file.
    response = ask(client, f"{odt_url(other)}?render={render.pk}")
    assert "Kennismaking" not in teletype.extractText(load(io.BytesIO(response.content)).text)


# --- Cleanup ------------------------------------------------------------------------------------


def test_the_cleanup_removes_old_renders_and_unclaimed_files(client_for, group, session):
    ask(client_for(group.coach), odt_url(session))
    current = AgendaRender.objects.get()
    old = AgendaRender.objects.create(
        key="c" * 64,
        session=session,
        requested_by=group.coach,
        language="en",
        format="odt",
        status="done",
        requested_at=timezone.now() - timedelta(days=settings.REPORT_DOCUMENT_KEEP_DAYS + 1),
    )
    default_storage.save(old.storage_name, ContentFile(b"old"))
    default_storage.save(agenda_storage_name("d" * 64, "odt"), ContentFile(b"left over"))

    assert agenda_renders.AGENDA_RENDERS.cleanup() == 2
    assert agenda_renders.AGENDA_RENDERS.cleanup() == 0  # idempotent
    assert list(AgendaRender.objects.all()) == [current]
    assert default_storage.exists(current.storage_name)
    assert not default_storage.exists(old.storage_name)


def test_the_cleanup_runs_daily_on_beat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "trajectories.tasks.session_agendas_cleanup" in tasks


def test_the_worker_renders_nothing_for_a_requester_who_lost_access(group, session):
    render = waiting_render(group, session)
    group.coach.memberships.all().delete()
    assert agenda_renders.agenda_render_build(render_id=render.pk) == "no access"
    assert AgendaRender.objects.get().status == "failed"
    assert agenda_renders.agenda_render_build(render_id=render.pk + 99) == "gone"


def test_the_poll_json_is_valid(client_for, group, session):
    waiting = waiting_render(group, session)
    body = client_for(group.coach).get(status_url(session, waiting)).content
    assert json.loads(body)["status"] == "queued"
