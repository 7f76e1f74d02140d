"""The trajectory pages: overview, group board, members, what we share, sessions."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.models import ADMIN_ROLES, ANSWERING_ROLES
from documents.renders import RenderBusyError, RenderQueueFullError
from documents.waiting import (
    FAILED_MESSAGE,
    TRY_LATER_MESSAGE,
    document_file_response,
    document_poll_response,
    document_wait_response,
    render_pk_asked,
)
from maturity.caching import digest_key, get_or_render
from maturity.queue import QueueUnavailableError, enqueue
from maturity.selectors import model_version_latest_published
from trajectories import agenda_renders, services
from trajectories.forms import (
    CoachForm,
    ConsentForm,
    InviteForm,
    PracticeForm,
    RespondForm,
    SessionForm,
    TrajectoryForm,
)
from trajectories.models import TrajectoryMember, agenda_storage_name
from trajectories.selectors import (
    BoardKey,
    TrajectoryAccess,
    agenda_proposal,
    board_build,
    board_key,
    coach_candidates,
    peer_match_text,
    practice_list,
    session_get,
    sharing_overview,
    trajectory_access,
    trajectory_invited_access,
    trajectory_members,
    trajectory_overview,
    trajectory_sessions,
)
from trajectories.tasks import session_agenda_render


def trajectory_view(*, coach_only: bool = False) -> Callable:
    """A page of one trajectory (URL ``pk``), called as ``view(request, access)``: 404 for
    anyone who neither coaches it nor belongs to an organisation taking part; 403 for a member
    on a coach's page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
            access = trajectory_access(user=request.user, pk=pk)
            if access is None:
                raise Http404
            if coach_only and not access.is_coach:
                raise PermissionDenied
            try:
                return view(request, access, *args, **kwargs)
            except services.NotAllowedError:
                raise PermissionDenied from None

        return wrapper

    return decorator


@require_safe
@login_required
def trajectory_list(request: HttpRequest) -> HttpResponse:
    """The trajectories the user coaches or takes part in, and invitations to answer."""
    overview = trajectory_overview(user=request.user)
    current = request.memberships.current
    return render(
        request,
        "trajectories/trajectory_list.html",
        {
            "overview": overview,
            "respond_form": RespondForm(),
            "can_create": current is not None and current.role in ADMIN_ROLES,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def trajectory_new(request: HttpRequest) -> HttpResponse:
    """An admin starts a trajectory led by their organisation, and becomes its coach."""
    membership = request.memberships.current
    if membership is None:
        raise Http404
    if membership.role not in ADMIN_ROLES:
        raise PermissionDenied
    version = model_version_latest_published()
    form = TrajectoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and version is not None:
        try:
            trajectory = services.trajectory_create(
                user=request.user,
                organisation=membership.organisation,
                model_version=version,
                **form.cleaned_data,
            )
        except services.NotAllowedError:
            raise PermissionDenied from None
        messages.success(request, _("The trajectory has been created. Invite the members now."))
        return redirect("trajectories:members", pk=trajectory.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "trajectories/trajectory_form.html",
        {"form": form, "organisation": membership.organisation},
        status=status,
    )


@dataclass(frozen=True)
class BoardSections:
    """The board page's sections (members to open actions, the chart's data) as HTML, and
    whether they hold a chart (the page then loads Chart.js)."""

    html: str
    has_chart: bool


def _board_sections(access: TrajectoryAccess, key: BoardKey) -> BoardSections:
    """The board's sections, rendered once per board key (which holds every member's consent
    and data revision, the reader's kind and language): a cached request reads the key and
    this HTML, neither the board's figures nor their rendering (docs/performance.md)."""

    def render_sections() -> BoardSections:
        board = board_build(access=access, key=key)
        chart_data = board.chart_data()
        html = render_to_string(
            "trajectories/includes/_board.html",
            {
                "board": board,
                "peer_texts": [peer_match_text(match) for match in board.peer_matches],
                "chart_data": chart_data,
            },
        )
        return BoardSections(html=html, has_chart=bool(chart_data["datasets"]))

    # render_to_string's SafeString is pickled as one: it comes back from the cache safe.
    return get_or_render(digest_key("trajectory-board-html", key.digest), render_sections)


@require_safe
@trajectory_view()
def trajectory_detail(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The group board: what every member consents to show, side by side."""
    context = {
        "access": access,
        "trajectory": access.trajectory,
        "sections": _board_sections(access, board_key(access=access)),
        "sessions": trajectory_sessions(access=access),
    }
    return render(request, "trajectories/trajectory_detail.html", context)


@require_safe
@trajectory_view()
def trajectory_board_json(request: HttpRequest, access: TrajectoryAccess) -> JsonResponse:
    """The group board as JSON: the same consented items as the page, nothing more."""
    board = board_build(access=access)

    def standing(value):
        if value is None:
            return None
        return {"phase": value.phase_order, "index": float(value.index)}

    members = [
        {
            "name": m.name,
            "start": standing(m.start),
            "now": standing(m.now),
            "profile": (
                None
                if m.profile is None
                else [
                    {"key": c.key, "phase": c.phase_order, "index": float(c.index)}
                    for c in m.profile
                ]
            ),
            "actions": (
                None
                if m.actions is None
                else [
                    {"title": a.title, "status": a.status, "due_date": a.due_date.isoformat()}
                    for a in m.actions
                ]
            ),
            "actions_total": None if m.actions is None else m.actions_total,
            "priorities": None if m.priorities is None else [key for key, _n in m.priorities],
        }
        for m in board.members
    ]
    data = {
        "trajectory": {"name": board.trajectory.name},
        "members": members,
        "common_gaps": [
            {"criterion_key": g.criterion_key, "count": g.count} for g in board.common_gaps
        ],
        "peer_matches": [
            {"member": p.member_name, "dimension": p.dimension_name, "peer": p.peer_name}
            for p in board.peer_matches
        ],
    }
    if board.not_submitted is not None:
        data["not_submitted"] = board.not_submitted
    return JsonResponse(data)


@require_http_methods(["GET", "POST"])
@trajectory_view(coach_only=True)
def trajectory_members_page(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The coach invites organisations and sees who accepted; adds fellow coaches."""
    invite_form = InviteForm(request.POST if "organisation" in request.POST else None)
    coach_form = CoachForm(
        request.POST if "user" in request.POST else None,
        candidates=coach_candidates(access=access),
    )
    status = 200
    if request.method == "POST":
        form = invite_form if "organisation" in request.POST else coach_form
        if form.is_valid():
            try:
                if form is invite_form:
                    member = services.member_invite(
                        trajectory=access.trajectory,
                        user=request.user,
                        organisation_name=form.cleaned_data["organisation"],
                    )
                    messages.success(
                        request,
                        _("%(organisation)s has been invited. Its admins can now accept.")
                        % {"organisation": member.organisation.name},
                    )
                else:
                    services.coach_add(
                        trajectory=access.trajectory,
                        user=request.user,
                        coach_user_id=int(form.cleaned_data["user"]),
                    )
                    messages.success(request, _("The coach has been added."))
                return redirect("trajectories:members", pk=access.trajectory.pk)
            except services.TrajectoryInputError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
        status = 400
    return render(
        request,
        "trajectories/member_list.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "members": trajectory_members(access=access),
            "coaches": list(access.trajectory.coaches.select_related("user")),
            "invite_form": invite_form,
            "coach_form": coach_form,
        },
        status=status,
    )


@require_POST
@login_required
def trajectory_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin of an invited organisation accepts or declines the invitation."""
    access = trajectory_invited_access(user=request.user, pk=pk)
    if access is None:
        raise Http404
    form = RespondForm(request.POST)
    invited = {
        str(m.pk): m
        for m in access.own_members
        if m.is_admin and m.status == TrajectoryMember.Status.INVITED
    }
    member = invited.get(request.POST.get("member", ""))
    if not form.is_valid() or member is None:
        messages.error(
            request, _("You can only answer an open invitation of an organisation you administer.")
        )
        return redirect("trajectories:list")
    accept = form.cleaned_data["answer"] == "accept"
    try:
        services.member_respond(member_pk=member.pk, user=request.user, accept=accept)
    except services.NotAllowedError:
        raise PermissionDenied from None
    except services.TrajectoryInputError as error:
        messages.error(request, str(error.message))
        return redirect("trajectories:list")
    if accept:
        messages.success(
            request,
            _("%(organisation)s takes part. Choose now what you share with the group.")
            % {"organisation": member.organisation.name},
        )
        return redirect("trajectories:sharing", pk=pk)
    messages.success(request, _("The invitation has been declined."))
    return redirect("trajectories:list")


@require_http_methods(["GET", "POST"])
@trajectory_view()
def trajectory_sharing(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """ "Wat deel ik": what our organisation shares with the group, and the choice per item."""
    member = access.member
    if member is None:  # a coach who is no member: nothing of theirs is shared
        raise Http404
    structure_dimensions = board_build(access=access).dimensions
    initial = {
        "share_phase": member.share_phase,
        "share_profile": member.share_profile,
        "share_actions": member.share_actions,
        "share_priorities": member.share_priorities,
        "priorities": member.priorities,
    }
    status = 200
    if request.method == "POST":
        if not member.is_admin:
            raise PermissionDenied
        form = ConsentForm(request.POST, dimensions=structure_dimensions)
        if form.is_valid():
            try:
                services.consent_set(
                    member_pk=member.pk,
                    user=request.user,
                    consent=services.ConsentInput(
                        **{k: form.cleaned_data[k] for k in initial if k != "priorities"},
                        priorities=tuple(form.cleaned_data["priorities"]),
                    ),
                )
            except services.TrajectoryInputError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Saved. The group sees this from now on."))
                return redirect("trajectories:sharing", pk=access.trajectory.pk)
        status = 400
    else:
        form = ConsentForm(initial=initial, dimensions=structure_dimensions)
    member.trajectory = access.trajectory
    return render(
        request,
        "trajectories/sharing.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "member": member,
            "shared": sharing_overview(member=member),
            "form": form,
        },
        status=status,
    )


@require_POST
@trajectory_view()
def trajectory_leave(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """Our organisation leaves the trajectory, or the coach stops coaching it."""
    if request.POST.get("as") == "coach" and access.is_coach:
        services.coach_leave(trajectory=access.trajectory, user=request.user)
        messages.success(request, _("You no longer coach this trajectory."))
        return redirect("trajectories:list")
    member = access.member
    if member is None or not member.is_admin:
        raise PermissionDenied
    services.member_leave(member_pk=member.pk, user=request.user)
    messages.success(
        request,
        _("%(organisation)s has left the trajectory and shares nothing any more.")
        % {"organisation": member.organisation.name},
    )
    return redirect("trajectories:list")


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
    asked = render_pk_asked(request.GET.get("render"))
    if asked is not None and not wants_json:
        stored_name = agenda_renders.agenda_render_stored_name(
            session=session, render_pk=asked, fmt=format
        )
        if stored_name is not None:
            with contextlib.suppress(FileNotFoundError):  # removed just now: ask as usual
                return _agenda_file(session, stored_name, format)
    language = get_language()
    key = agenda_renders.agenda_render_key(
        session=session, trajectory=access.trajectory, language=language, fmt=format
    )
    # Rendered already for this content: the file at once, nothing asked of a worker.
    if not wants_json and agenda_renders.AGENDA_RENDERS.stored(key=key, fmt=format):
        with contextlib.suppress(FileNotFoundError):
            return _agenda_file(session, agenda_storage_name(key, format), format)
    noun = _agenda_noun(format)
    wait = {
        "request": request,
        "session": session,
        "access": access,
        "fmt": format,
        "wants_json": wants_json,
    }
    try:
        asked_render = agenda_renders.AGENDA_RENDERS.enqueue_asked(
            agenda_renders.agenda_render_request(
                session=session, user=request.user, key=key, language=language, fmt=format
            ),
            enqueue=partial(enqueue, session_agenda_render),
        )
    except RenderBusyError:
        return _agenda_wait(**wait, status="refused", message=str(AGENDA_BUSY_MESSAGE), code=429)
    except (RenderQueueFullError, QueueUnavailableError):
        message = TRY_LATER_MESSAGE % {"document": noun}
        return _agenda_wait(**wait, status="refused", message=message, code=503)
    status = agenda_renders.AGENDA_RENDERS.state(key=key, fmt=format)
    if status == "ready" and not wants_json:
        return _agenda_file(session, agenda_storage_name(key, format), format)
    message = FAILED_MESSAGE % {"document": noun} if status == "failed" else None
    return _agenda_wait(
        **wait,
        status=status,
        message=message,
        code=200 if status == "ready" else 202,
        asked_render=asked_render,
    )


def _agenda_wait(
    *,
    request: HttpRequest,
    session,
    access: TrajectoryAccess,
    fmt: str,
    wants_json: bool,
    status: str,
    message: str | None,
    code: int,
    asked_render=None,
) -> HttpResponse:
    status_url = (
        reverse("trajectories:session_agenda_status", args=[session.pk, asked_render.pk])
        if asked_render is not None
        else None
    )
    return document_wait_response(
        request,
        template="trajectories/session_agenda_progress.html",
        context={
            "session": session,
            "trajectory": access.trajectory,
            "document": _agenda_noun(fmt),
            "document_lower": AGENDA_NOUNS[fmt],
        },
        status=status,
        message=message,
        http_status=code,
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


def _answering_membership(request: HttpRequest, access: TrajectoryAccess):
    """The user's membership that may write for their member organisation, or None."""
    member = access.member
    if member is None:
        return None
    return next(
        (
            m
            for m in request.memberships.all
            if m.organisation_id == member.organisation_id and m.role in ANSWERING_ROLES
        ),
        None,
    )


@require_http_methods(["GET", "POST"])
@trajectory_view()
def practices(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """The group's good practices, by criterion; the member's people withdraw their own here."""
    if request.method == "POST":
        try:
            practice_pk = int(request.POST.get("practice", ""))
        except ValueError:
            raise Http404 from None
        try:
            services.practice_withdraw(
                trajectory=access.trajectory, practice_pk=practice_pk, user=request.user
            )
        except services.NotAllowedError:
            raise Http404 from None
        messages.success(request, _("The practice has been withdrawn."))
        return redirect("trajectories:practices", pk=access.trajectory.pk)
    criterion = request.GET.get("criterion", "")[:80]
    own_organisation = access.member.organisation_id if access.member else None
    return render(
        request,
        "trajectories/practice_list.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "groups": practice_list(access=access, criterion_key=criterion),
            "criterion": criterion,
            "own_organisation": own_organisation,
            "can_share": _answering_membership(request, access) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@trajectory_view()
def practice_new(request: HttpRequest, access: TrajectoryAccess) -> HttpResponse:
    """Share an action that worked: a finished action whose criterion improved."""
    membership = _answering_membership(request, access)
    if membership is None:
        raise PermissionDenied
    candidates = services.improved_actions(member=access.member, membership=membership)
    form = PracticeForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_share(
                member_pk=access.member.pk,
                user=request.user,
                data=services.PracticeInput(
                    action_pk=form.cleaned_data["action"],
                    title=form.cleaned_data["title"],
                    what_we_did=form.cleaned_data["what_we_did"],
                    what_it_took=form.cleaned_data["what_it_took"],
                ),
            )
        except services.TrajectoryInputError as error:
            form.add_error("action", str(error.message))
        else:
            messages.success(request, _("Shared with the group."))
            return redirect("trajectories:practices", pk=access.trajectory.pk)
    return render(
        request,
        "trajectories/practice_form.html",
        {
            "access": access,
            "trajectory": access.trajectory,
            "form": form,
            "has_candidates": bool(candidates),
        },
        status=400 if request.method == "POST" else 200,
    )
