"""The group's sessions: planning one, its page, and its agenda as PDF or ODT from the worker."""

import contextlib
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from documents.waiting import (
    document_ask,
    document_file_response,
    document_poll_response,
    document_wait_response,
    render_pk_asked,
)
from maturity.queue import QueueUnavailableError, enqueue
from trajectories import agenda_renders, services
from trajectories.board import agenda_proposal, board_build
from trajectories.forms import (
    SessionForm,
)
from trajectories.models import agenda_storage_name
from trajectories.selectors import TrajectoryAccess, session_get
from trajectories.tasks import session_agenda_render
from trajectories.views.access import trajectory_view


def _session_save(request, form, save) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        session = save(
            when=form.cleaned_data["date"],
            topic=form.cleaned_data["topic"],
            agenda=form.cleaned_data["agenda"],
        )
    except services.TrajectoryInputError as error:
        form.add_error(error.field, str(error.message))
        return None
    messages.success(request, _("The session has been saved."))
    return redirect("trajectories:session", pk=session.pk)


@require_http_methods(["GET", "POST"])
@trajectory_view(coach_only=True)
def session_new(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The coach plans a session; the agenda is proposed from the board."""
    if request.method == "POST":
        form = SessionForm(request.POST)
        done = _session_save(
            request,
            form,
            lambda **data: services.session_create(
                trajectory=access.trajectory, user=request.user, **data
            ),
        )
        if done:
            return done
        status = 400
    else:
        form = SessionForm(initial={"agenda": agenda_proposal(board=board_build(access=access))})
        status = 200
    return render(
        request,
        "trajectories/session_form.html",
        {"form": form, "trajectory": access.trajectory, "access": access},
        status=status,
    )


# What the waiting page calls each format of the agenda, inside its sentences.
AGENDA_NOUNS = {
    "pdf": gettext_lazy("the agenda (PDF)"),
    "odt": gettext_lazy("the editable agenda (ODT)"),
}
AGENDA_BUSY_MESSAGE = gettext_lazy(
    "Another agenda of yours is being prepared. Ask for this one when that one is ready."
)


def _agenda_noun(fmt: str) -> str:
    return capfirst(str(AGENDA_NOUNS[fmt]))


def _agenda_file(session, stored_name: str, fmt: str) -> HttpResponse:
    response = document_file_response(stored_name, fmt, f"agenda-{session.date:%Y-%m-%d}")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def session_agenda_document(request: HttpRequest, pk: int, format: str) -> HttpResponse:
    """The session's agenda as PDF or ODT once a worker stored it; until then a page that waits.

    For everyone who may read the session (else 404), checked on every request, also the one
    that gets the file. ``Accept: application/json`` answers the render's status instead;
    ``?render=<id>`` (where the waiting page goes when ready) serves that render's file.
    """
    found = session_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    session, access = found
    wants_json = "application/json" in request.headers.get("Accept", "")
    asked_pk = render_pk_asked(request.GET.get("render"))
    if asked_pk is not None and not wants_json:
        stored_name = agenda_renders.agenda_render_stored_name(
            session=session, render_pk=asked_pk, fmt=format
        )
        if stored_name is not None:
            with contextlib.suppress(FileNotFoundError):  # removed just now: ask as usual
                return _agenda_file(session, stored_name, format)
    language = get_language()
    key = agenda_renders.agenda_render_key(
        session=session, trajectory=access.trajectory, language=language, fmt=format
    )
    asked = document_ask(
        agenda_renders.AGENDA_RENDERS,
        key=key,
        fmt=format,
        ask=lambda: agenda_renders.AGENDA_RENDERS.enqueue_asked(
            agenda_renders.agenda_render_request(
                session=session, user=request.user, key=key, language=language, fmt=format
            ),
            enqueue=partial(enqueue, session_agenda_render),
        ),
        noun=_agenda_noun(format),
        busy_message=str(AGENDA_BUSY_MESSAGE),
        try_later_errors=(QueueUnavailableError,),
    )
    if asked.ready and not wants_json:
        return _agenda_file(session, agenda_storage_name(key, format), format)
    status_url = (
        reverse("trajectories:session_agenda_status", args=[session.pk, asked.render.pk])
        if asked.render is not None
        else None
    )
    return document_wait_response(
        request,
        template="trajectories/session_agenda_progress.html",
        context={
            "session": session,
            "trajectory": access.trajectory,
            "document": _agenda_noun(format),
            "document_lower": AGENDA_NOUNS[format],
        },
        asked=asked,
        wants_json=wants_json,
        status_url=status_url,
    )


@require_safe
@login_required
def session_agenda_status(request: HttpRequest, pk: int, render_pk: int) -> JsonResponse:
    """How far one asked-for agenda is, for the waiting page's script: one query besides the
    session's; 404 unless the user coaches or takes part in the session's trajectory."""
    found = agenda_renders.agenda_render_status(
        user=request.user, session_pk=pk, render_pk=render_pk
    )
    if found is None:
        raise Http404
    status, fmt = found
    return document_poll_response(
        status=status,
        render_pk=render_pk,
        document_url=reverse(f"trajectories:session_{fmt}", args=[pk]),
        document=_agenda_noun(fmt),
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's agenda; its coaches edit it here."""
    found = session_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    session, access = found
    form = None
    status = 200
    if access.is_coach:
        if request.method == "POST":
            form = SessionForm(request.POST)
            done = _session_save(
                request,
                form,
                lambda **data: services.session_update(session=session, user=request.user, **data),
            )
            if done:
                return done
            status = 400
        else:
            form = SessionForm(
                initial={"date": session.date, "topic": session.topic, "agenda": session.agenda}
            )
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "trajectories/session_detail.html",
        {"session": session, "trajectory": access.trajectory, "access": access, "form": form},
        status=status,
    )
