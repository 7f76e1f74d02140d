"""The security walk: every URL of a URLconf, filled with another organisation's objects.

`route_problems()` requests one route with every HTTP method as every kind of user and returns
what got through; `tests/security/test_url_access.py` runs it over the project's URLs and over a
URLconf with a deliberately unprotected view, to prove the walk catches one.

Each URL parameter is filled by FILLERS with a real object of the right kind that belongs to a
FOREIGN organisation (or, for objects that belong to no organisation, one our users may not
see). A parameter or route the walk cannot fill fails the test: a view the walk cannot reach is
a view it cannot prove safe.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actions.models import Action, ActionChange
from assessments.access import CURRENT_ORGANISATION_SESSION_KEY
from assessments.models import Answer, AnswerChange, Assessment, Evidence, Invitation, Membership
from assessments.services.evidence import evidence_storage
from benchmarks.models import Participation
from maturity.models import ModelVersion
from reports.models import RenderedDocument, ShareLink
from reports.sharing import share_link_create
from sso.models import SignInRule
from tests.factories import MembershipFactory, SharingMemberFactory
from trajectories.models import AgendaRender, Coach, Session, Trajectory, TrajectoryMember

SKIPPED_PREFIXES = ("admin/", "i18n/", "static/")
# Every view names the methods it takes (test_every_view_refuses_methods_it_does_not_take); any
# other method is a 405, a refusal.
METHODS = ("get", "post", "put", "patch", "delete")
# 401: the autosave tells a signed-out page's script in JSON (it would follow a login redirect).
REFUSALS = {401, 403, 404, 405}
LOGIN_PREFIX = "/accounts/login/?next="
# Our organisation's people, and users whose rights are easy to get wrong:
# - mixed: admin of our organisation (where they work now) AND viewer of the foreign one; on
#   the foreign organisation's objects they may do what its viewers may do, nothing more;
# - staff: a model editor without any membership;
# - no_organisation: logged in, member of nothing;
# - contributor: answers in one perspective of one of our drafts and may see nothing else, not
#   even of our organisation (OWN_MARKERS: what of ours they must never be shown);
# - coach: a viewer of a coach organisation who coaches a trajectory in which the foreign
#   organisation takes part and shares everything: no member of it, so none of its pages;
# - trajectory_member: the admin of a third organisation in that same trajectory.
ROLES = (
    "anonymous",
    "respondent",
    "viewer",
    "admin",
    "mixed",
    "staff",
    "no_organisation",
    "contributor",
    "coach",
    "trajectory_member",
)
ADMINS = ("admin", "mixed", "trajectory_member")
MEMBERS = ("respondent", "viewer", *ADMINS, "coach")
ANSWERERS = ("respondent", *ADMINS)
LOGGED_IN = (*MEMBERS, "staff", "no_organisation", "contributor")

# A POST body that names foreign objects wherever a view reads an id from the form.
POST_DATA_KEYS = ("organisation",)
# And asks for the most a form could give: a role change that would make someone an admin.
POST_DATA_EXTRA = {"role": "admin"}

# (url name, role, method) -> (allowed statuses, why that is not a leak). PUT, PATCH and DELETE
# are judged by the "get" entry. The content of every allowed response is still checked for the
# foreign organisation's names and titles (except for "mixed", who may see them).
ALLOWLIST: dict[tuple[str, str, str], tuple[set[int], str]] = {
    **{
        ("login", role, method): ({200}, "the login page is public; POST re-shows the form")
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        ("maturity:growth_path", role, method): ({200}, "the growth path is public text")
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        ("dashboard", role, method): ({200}, "lists the user's own organisation only")
        for role in LOGGED_IN
        if role != "staff"
        for method in ("get", "post")
    },
    **{
        ("dashboard", "staff", method): (
            {302},
            "a model editor without an organisation lands on the models' overview",
        )
        for method in ("get", "post")
    },
    ("maturity:model_overview", "staff", "get"): (
        {200},
        "model versions belong to no organisation; the organisations' drafts on old versions "
        "are named by title and organisation only, for the model editors",
    ),
    **{
        ("members", role, "get"): ({200}, "an admin sees their own organisation's members")
        for role in ADMINS
    },
    **{
        ("members", role, "post"): ({400}, "an empty invitation form is refused with its errors")
        for role in ADMINS
    },
    **{
        ("assessments:new", role, method): (
            {200},
            "starting an assessment in one's own organisation; an empty POST re-shows the form",
        )
        for role in ANSWERERS
        for method in ("get", "post")
    },
    **{
        ("model_version_preview", "staff", method): (
            {200},
            "model versions belong to no organisation; model editors preview every one",
        )
        for method in ("get", "post")
    },
    **{
        ("benchmarks:participation", role, "get"): (
            {200},
            "an admin sees their own organisation's benchmark choice",
        )
        for role in ADMINS
    },
    **{
        ("benchmarks:participation", role, "post"): (
            {302},
            "an admin sets their own organisation's benchmark choice (an empty POST: not taking "
            "part); the foreign organisation's choice is checked by foreign_changes()",
        )
        for role in ADMINS
    },
    **{
        ("actions:mail_settings", role, "get"): (
            {200},
            "a user's own e-mail settings (the weekly digest), of no organisation",
        )
        for role in LOGGED_IN
    },
    **{
        ("actions:mail_settings", role, "post"): (
            {302},
            "a user switches their own weekly digest (an empty POST: off); nobody else's",
        )
        for role in LOGGED_IN
    },
    **{("logout", role, "post"): ({302}, "logging out sends to the login page") for role in ROLES},
    **{
        ("password_reset", role, "get"): ({200}, "asking for a reset link is public")
        for role in ROLES
    },
    **{
        ("password_reset", role, "post"): ({200}, "an empty request re-shows the form")
        for role in ROLES
    },
    **{
        (name, role, method): ({200}, "a public page without data")
        for name in ("password_reset_done", "password_reset_complete")
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        ("password_reset_confirm", role, method): (
            {200},
            "an unknown link shows 'this link does not work', the same for everyone",
        )
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        (f"actions:{name}", role, "get"): ({200}, "the plan of the user's own organisation")
        for name in ("plan", "csv", "ical")
        for role in MEMBERS
    },
    **{
        ("actions:new", role, "get"): ({200}, "adding an action to one's own organisation's plan")
        for role in ANSWERERS
    },
    **{
        ("actions:new", role, "post"): ({400}, "an empty action form is refused with its errors")
        for role in ANSWERERS
    },
    **{
        ("reports:organisation_export", role, "get"): (
            {200},
            "an admin downloads their own organisation's data (checked for foreign data)",
        )
        for role in ADMINS
    },
    **{
        ("organisation_logo", role, "get"): ({200}, "an admin sees their own organisation's logo")
        for role in ADMINS
    },
    **{
        ("organisation_logo", role, "post"): (
            {400},
            "an empty logo form is refused with its errors (their own organisation's logo)",
        )
        for role in ADMINS
    },
    **{
        ("sso:rules", role, "get"): ({200}, "an admin sees their own organisation's sign-in rules")
        for role in ADMINS
    },
    **{
        ("sso:rules", role, "post"): (
            {400},
            "an empty sign-in rule form is refused with its errors",
        )
        for role in ADMINS
    },
    **{
        ("sso:require_mfa", role, "post"): (
            {302},
            "an admin sets their own organisation's second-factor requirement (the form names no"
            " organisation; the walk's body switches it off)",
        )
        for role in ADMINS
    },
    **{
        ("socialaccount_login_cancelled", role, "get"): ({200}, "a public page without data")
        for role in ROLES
    },
    **{
        ("socialaccount_login_error", role, "get"): (
            {401},
            "a public page without data: the sign-in failed",
        )
        for role in ROLES
    },
    **{
        ("trajectories:list", role, "get"): (
            {200},
            "the trajectories the user coaches or takes part in (checked for foreign data)",
        )
        for role in LOGGED_IN
    },
    **{
        ("trajectories:new", role, "get"): ({200}, "an admin starts a trajectory of their own")
        for role in ADMINS
    },
    **{
        ("trajectories:new", role, "post"): ({400}, "an empty trajectory form is refused")
        for role in ADMINS
    },
    **{
        ("account_login", role, method): ({200}, "allauth's name for the login page")
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        ("account_logout", role, "post"): ({302}, "allauth's name for logging out")
        for role in ROLES
    },
    **{
        ("mfa_authenticate", role, method): (
            {302},
            "without a password sign-in waiting for its second step: back to the login page",
        )
        for role in ROLES
        for method in ("get", "post")
    },
    **{
        (name, role, method): ({200}, "a user's own second factor; of no organisation")
        for name in ("mfa_index", "mfa_activate_totp", "mfa_generate_recovery_codes")
        for role in LOGGED_IN
        for method in ("get", "post")
    },
    **{
        (f"sso:{name}", role, "get"): (
            {200},
            "an admin sees their own organisation's members' sign-ins (checked for foreign data)",
        )
        for name in ("sign_ins", "sign_ins_csv")
        for role in ADMINS
    },
    ("organisation_switch", "mixed", "post"): (
        {302},
        "mixed is a member of the foreign organisation: switching to it is their right",
    ),
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    parameters: tuple[str, ...]
    # Why the walk cannot fill it (e.g. a re_path with unnamed groups), or "".
    unfillable: str = ""


def _parameters(pattern) -> tuple[tuple[str, ...], str]:
    """A pattern's parameter names, and why the walk cannot fill it ("" when it can)."""
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), ""
    if isinstance(pattern, RegexPattern):
        named = tuple(pattern.regex.groupindex)
        unnamed = pattern.regex.groups - len(named)
        return named, f"re_path with {unnamed} unnamed group(s)" if unnamed else ""
    return (), f"pattern of type {type(pattern).__name__}"


def walk(patterns, prefix: str = "", namespace: str = "", outer: tuple = ((), "")) -> list[Route]:
    """Every named route under the given patterns, with its full route and parameters."""
    routes: list[Route] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        parameters, unfillable = _parameters(entry.pattern)
        parameters, unfillable = outer[0] + parameters, outer[1] or unfillable
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, route, inner, (parameters, unfillable))
        elif isinstance(entry, URLPattern):
            if not entry.name:
                raise AssertionError(f"URL {route!r} has no name; name it so the walk can report")
            routes.append(Route(namespace + entry.name, route, parameters, unfillable))
    return routes


@dataclass
class Foreign:
    """Objects of another organisation (and a draft model version): what must stay out of reach."""

    organisation: object
    draft: Assessment
    submitted: Assessment
    membership: Membership
    invitation: Invitation
    draft_model_version: object
    marker_texts: tuple[str, ...]
    member_pks: tuple[int, ...]
    member_roles: tuple[tuple[int, str], ...]
    assessment_count: int
    change_count: int
    invitation_token: str
    action: Action
    # Every field of every action of the foreign organisation and its history's size.
    action_state: list
    # Our own organisation's texts outside the contributor's perspective: shown to a
    # contributor, they are a leak too.
    own_marker_texts: tuple[str, ...] = ()
    # In the walk of our own organisation: the draft the contributor answers in, walked with
    # its other perspective (target "contributed").
    contributed: Assessment | None = None
    # A trajectory the walk's people must not reach (the foreign organisation's group), one
    # session of it, and the state of every trajectory row the walk could change.
    trajectory: Trajectory | None = None
    session: Session | None = None
    trajectory_state: list = field(default_factory=list)
    # The files the evidence URLs were filled with (they must survive the walk).
    evidence_pks: set[int] = field(default_factory=set)


Filler = Callable[[Foreign, str], object]


def _foreign_sign_in_rule(foreign: Foreign) -> int:
    rule, _created = SignInRule.objects.get_or_create(
        organisation=foreign.membership.organisation,
        provider_id="test",
        claim="org_code",
        value="FOREIGN",
        role=Membership.Role.VIEWER,
    )
    return rule.pk


def _first_answer(assessment: Assessment) -> int | None:
    return (
        Answer.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _foreign_share_link(foreign: Foreign) -> int:
    """A share link of the foreign organisation's submitted report (made by its admin)."""
    found = ShareLink.objects.filter(assessment=foreign.submitted).first()
    if found is not None:
        return found.pk
    admin = foreign.submitted.organisation.memberships.filter(role=Membership.Role.ADMIN).first()
    link, _token = share_link_create(assessment=foreign.submitted, membership=admin)
    return link.pk


EVIDENCE_URL_NAMES = ("evidence", "evidence_upload", "evidence_file", "evidence_remove")
WALK_FILE_PREFIX = "geheim-"


def _walk_evidence(foreign: Foreign, target: str) -> int:
    """The foreign file of an evidence URL, remembered: foreign_changes() checks it is kept."""
    evidence = evidence_file_of(foreign.submitted)
    foreign.evidence_pks.add(evidence.pk)
    return evidence.pk


def evidence_file_of(assessment: Assessment) -> Evidence:
    """A stored file on the first criterion's answer in the assessment's newest perspective
    (made once; an empty answer is made for it if there is none)."""
    perspective = assessment.perspectives.order_by("pk").last()
    criterion = assessment.model_version.criteria.order_by("pk").first()
    answer = Answer.objects.filter(perspective=perspective, criterion=criterion).first()
    if answer is None:
        answer = Answer.objects.create(
            assessment=assessment, perspective=perspective, criterion=criterion, revision=0
        )
    evidence = Evidence.objects.filter(answer=answer, kind=Evidence.Kind.FILE).first()
    if evidence is not None and evidence_storage().exists(evidence.stored_name):
        return evidence
    name = evidence_storage().save(f"{assessment.organisation_id}/walk.pdf", ContentFile(b"%PDF"))
    return Evidence.objects.create(
        answer=answer,
        organisation_id=assessment.organisation_id,
        kind=Evidence.Kind.FILE,
        stored_name=name,
        filename=f"{WALK_FILE_PREFIX}{assessment.pk}.pdf",
        size=4,
        content_type="application/pdf",
    )


def _assessment(foreign: Foreign, target: str) -> int:
    return getattr(foreign, target).pk


def _pdf_render(assessment: Assessment) -> int:
    """A finished report PDF render of this assessment (its status is what the URL tells)."""
    requester = Membership.objects.filter(organisation_id=assessment.organisation_id).first()
    render, _created = RenderedDocument.objects.get_or_create(
        key=f"{assessment.pk:064d}",
        defaults={
            "assessment": assessment,
            "organisation_id": assessment.organisation_id,
            "requested_by_id": requester.user_id,
            "language": "en",
            "status": RenderedDocument.Status.DONE,
        },
    )
    return render.pk


def _agenda_render(session: Session) -> int:
    """A finished agenda render of this (foreign) session, asked for by one of its coaches."""
    coach = session.trajectory.coaches.first()
    render, _created = AgendaRender.objects.get_or_create(
        key=f"{session.pk:064d}",
        defaults={
            "session": session,
            "requested_by_id": coach.user_id,
            "language": "en",
            "status": AgendaRender.Status.DONE,
        },
    )
    return render.pk


# (url name, parameter) -> the foreign value; a name ending in ":" covers a whole namespace.
# `target` is "draft" or "submitted": which foreign assessment a route with one is walked with.
FILLERS: dict[tuple[str, str], Filler] = {
    ("assessments:", "pk"): _assessment,
    ("reports:", "pk"): _assessment,
    # The editable report of the foreign assessment (report.pdf is walked as reports:report_pdf).
    ("reports:report_document", "format"): lambda foreign, target: "odt",
    ("shared:report_document", "format"): lambda foreign, target: "docx",
    ("assessments:step", "number"): lambda foreign, target: 1,
    ("assessments:perspective_step", "number"): lambda foreign, target: 1,
    ("assessments:step_carried", "number"): lambda foreign, target: 1,
    ("assessments:perspective_step_carried", "number"): lambda foreign, target: 1,
    # The foreign assessment's own perspective: with its own assessment, still a 404.
    ("assessments:", "perspective_pk"): lambda foreign, target: (
        getattr(foreign, target).perspectives.order_by("pk").first().pk
    ),
    ("reports:report_document_status", "render_pk"): lambda foreign, target: _pdf_render(
        getattr(foreign, target)
    ),
    ("actions:", "pk"): lambda foreign, target: foreign.action.pk,
    # A criterion of the foreign assessment's own model version: the autosave must still be a 404.
    ("assessments:answer_save", "criterion_key"): lambda foreign, target: (
        getattr(foreign, target).model_version.criteria.order_by("pk").first().key
    ),
    ("assessments:perspective_answer_save", "criterion_key"): lambda foreign, target: (
        getattr(foreign, target).model_version.criteria.order_by("pk").first().key
    ),
    ("assessments:consensus_edit", "criterion_key"): lambda foreign, target: (
        getattr(foreign, target).model_version.criteria.order_by("pk").first().key
    ),
    # The evidence of one answer: a criterion of the foreign assessment's model version, and a
    # file of the foreign organisation (on its submitted assessment: its draft has no answers).
    **{
        (f"assessments:{prefix}{name}", "criterion_key"): lambda foreign, target: (
            getattr(foreign, target).model_version.criteria.order_by("pk").first().key
        )
        for prefix in ("", "perspective_")
        for name in EVIDENCE_URL_NAMES
    },
    **{
        (f"assessments:{prefix}{name}", "evidence_pk"): _walk_evidence
        for prefix in ("", "perspective_")
        for name in ("evidence_file", "evidence_remove")
    },
    ("model_version_preview", "pk"): lambda foreign, target: foreign.draft_model_version.pk,
    # A foreign answer: the target's if it has one, else one of the foreign submitted assessment.
    ("assessments:validation_step", "answer_pk"): lambda foreign, target: (
        _first_answer(getattr(foreign, target)) or _first_answer(foreign.submitted)
    ),
    ("member_remove", "membership_pk"): lambda foreign, target: foreign.membership.pk,
    ("member_role", "membership_pk"): lambda foreign, target: foreign.membership.pk,
    # A reset link of a foreign member: a made-up token must not work for anyone.
    ("password_reset_confirm", "uidb64"): lambda foreign, target: urlsafe_base64_encode(
        force_bytes(foreign.membership.user_id)
    ),
    ("password_reset_confirm", "token"): lambda foreign, target: "abc-" + secrets.token_hex(16),
    # Identity providers belong to no organisation; one that is not configured is a 404.
    **{
        (name, "provider_id"): lambda foreign, target: "not-configured"
        for name in ("openid_connect_login", "openid_connect_callback")
    },
    ("sso:rule_delete", "pk"): lambda foreign, target: _foreign_sign_in_rule(foreign),
    ("invitation_revoke", "invitation_pk"): lambda foreign, target: foreign.invitation.pk,
    ("invitation_resend", "invitation_pk"): lambda foreign, target: foreign.invitation.pk,
    # Knowing a token IS the permission to use it, so a foreign one proves nothing; an unknown
    # token must be a 404 for everyone.
    ("invitation_accept", "token"): lambda foreign, target: secrets.token_urlsafe(32),
    # A foreign report's share link, revoked through our own or the foreign assessment: 404/403.
    ("reports:share_revoke", "link_pk"): lambda foreign, target: _foreign_share_link(foreign),
    # A shared report's token is the permission itself: a guessed one is a 404 for everyone.
    ("shared:", "token"): lambda foreign, target: secrets.token_urlsafe(32),
    ("trajectories:", "pk"): lambda foreign, target: foreign.trajectory.pk,
    ("trajectories:session", "pk"): lambda foreign, target: foreign.session.pk,
    ("trajectories:session_pdf", "pk"): lambda foreign, target: foreign.session.pk,
    ("trajectories:session_odt", "pk"): lambda foreign, target: foreign.session.pk,
    ("trajectories:session_agenda_status", "pk"): lambda foreign, target: foreign.session.pk,
    ("trajectories:session_agenda_status", "render_pk"): lambda foreign, target: _agenda_render(
        foreign.session
    ),
}


def filler_for(route: Route, parameter: str, fillers: dict) -> Filler | None:
    namespace = route.name.rpartition(":")[0] + ":" if ":" in route.name else None
    return fillers.get((route.name, parameter)) or fillers.get((namespace, parameter))


def uses_target(route: Route, fillers: dict = FILLERS) -> bool:
    """Whether the route is walked once per foreign assessment (draft and submitted)."""
    return any(filler_for(route, p, fillers) is _assessment for p in route.parameters)


def fill(route: Route, foreign: Foreign, target: str, fillers: dict = FILLERS) -> str:
    """The route's URL with each parameter a foreign object; fails the test when it cannot."""
    if route.unfillable:
        pytest.fail(f"URL {route.name} ({route.route}): the walk cannot fill a {route.unfillable}")
    values, unknown = {}, []
    for parameter in route.parameters:
        filler = filler_for(route, parameter, fillers)
        if filler is None:
            unknown.append(parameter)
        else:
            values[parameter] = filler(foreign, target)
    if unknown:
        pytest.fail(
            f"URL {route.name} ({route.route}) has parameter(s) {unknown} the security walk does "
            "not know: teach FILLERS in tests/security/url_walk.py which foreign object to put "
            "there."
        )
    return reverse(route.name, kwargs=values)


def clients_for(people, extra_users: dict) -> dict[str, Client]:
    """A client per role (and `foreign_viewer`); `mixed` works in our organisation, as admin."""
    users = {"respondent": people.respondent, "viewer": people.viewer, "admin": people.admin}
    users.update(extra_users)
    clients = {"anonymous": Client()}
    for role in (*ROLES[1:], "foreign_viewer"):
        clients[role] = Client()
        clients[role].force_login(users[role])
    session = clients["mixed"].session
    session[CURRENT_ORGANISATION_SESSION_KEY] = people.organisation.pk
    session.save()
    return clients


def send(client: Client, method: str, url: str, foreign: Foreign):
    data = {**dict.fromkeys(POST_DATA_KEYS, foreign.organisation.pk), **POST_DATA_EXTRA}
    if method in ("get", "post"):
        return getattr(client, method)(url, data if method == "post" else None)
    return getattr(client, method)(url, data, content_type="application/json")


def judge(route, role, method, response, foreign, reference) -> str | None:
    """None when the response is a refusal or an allowed page without foreign data.

    `reference` is the status a plain viewer of the foreign organisation gets for the same
    request: the most the `mixed` user may get there.
    """
    status = response.status_code
    if status == 302 and response["Location"].startswith(LOGIN_PREFIX) and role == "anonymous":
        return None
    if status in REFUSALS:
        return None
    key = method if method in ("get", "post") else "get"
    allowed, _reason = ALLOWLIST.get((route.name, role, key), (set(), ""))
    # What a viewer of the foreign organisation gets, `mixed` may get too: reads (views without
    # a method decorator answer any method like GET). Writes are caught by foreign_changes().
    if role == "mixed" and status == reference and status in {200, 302}:
        return None
    if status not in allowed:
        where = response.get("Location", "")
        return f"{method.upper()} {route.name} as {role}: {status} {where}".rstrip()
    content = response.content.decode(errors="replace")
    leaked = [text for text in foreign.marker_texts if text in content]
    if role == "contributor":
        leaked += [text for text in foreign.own_marker_texts if text in content]
    if leaked and role != "mixed":
        return f"{method.upper()} {route.name} as {role}: shows {leaked}"
    return None


def route_problems(
    *, route: Route, target: str, foreign: Foreign, clients: dict, fillers: dict = FILLERS
) -> list[str]:
    """Everything that got through on one route, for every role and method."""
    url = fill(route, foreign, target, fillers)
    problems = []
    for method in METHODS:
        reference = send(clients["foreign_viewer"], method, url, foreign).status_code
        for role in ROLES:
            response = send(clients[role], method, url, foreign)
            problem = judge(route, role, method, response, foreign, reference)
            if problem:
                problems.append(f"{url}: {problem}")
    problems += foreign_changes(foreign)
    return problems


def foreign_changes(foreign: Foreign) -> list[str]:
    """What the walk's requests changed in the foreign organisation's data (nothing, we hope)."""
    foreign.draft.refresh_from_db()
    foreign.submitted.refresh_from_db()
    foreign.invitation.refresh_from_db()
    organisation = foreign.organisation
    checks = {
        "draft no longer a draft": not foreign.draft.is_draft,
        "submitted assessment reopened": foreign.submitted.is_draft,
        "invitation accepted": foreign.invitation.accepted_at is not None,
        "invitation revoked": foreign.invitation.revoked_at is not None,
        "invitation resent": foreign.invitation.token != foreign.invitation_token,
        "members changed": set(
            Membership.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
        != set(foreign.member_pks),
        "member roles changed": set(
            Membership.objects.filter(organisation=organisation).values_list("pk", "role")
        )
        != set(foreign.member_roles),
        "assessment created": Assessment.objects.filter(organisation=organisation).count()
        != foreign.assessment_count,
        "answers changed": AnswerChange.objects.filter(
            assessment__organisation=organisation
        ).count()
        != foreign.change_count
        or Answer.objects.filter(assessment=foreign.draft).exists(),
        # The foreign organisation takes part in benchmarks (see the fixture): nobody else may
        # change that.
        "benchmark participation changed": not Participation.objects.filter(
            organisation=organisation, opted_in=True
        ).exists(),
    }
    checks["actions changed"] = action_state(organisation) != foreign.action_state
    checks["trajectories changed"] = trajectory_state() != foreign.trajectory_state
    # Only the files the walk itself put there (evidence_file_of), all still there.
    evidence = Evidence.objects.filter(organisation=organisation)
    checks["evidence changed"] = evidence.exclude(
        filename__startswith=WALK_FILE_PREFIX
    ).exists() or evidence.filter(pk__in=foreign.evidence_pks).count() != len(foreign.evidence_pks)
    return [f"foreign data changed: {what}" for what, changed in checks.items() if changed]


def trajectory_state() -> list:
    """Every trajectory row: members (status, consent), coaches, sessions."""
    return [
        *Trajectory.objects.order_by("pk").values(),
        *TrajectoryMember.objects.order_by("pk").values(),
        *Coach.objects.order_by("pk").values(),
        *Session.objects.order_by("pk").values(),
    ]


def action_state(organisation) -> list:
    """Every field of every action of an organisation, and how many history rows they have."""
    actions = Action.objects.filter(organisation=organisation).order_by("pk")
    changes = ActionChange.objects.filter(action__organisation=organisation).count()
    return [*actions.values(), changes]


def organisation_state(organisation) -> dict:
    """What the walk finds unchanged after every request (a `Foreign`'s fields of that name):
    the organisation's members and their roles, its assessments, answer changes and actions."""
    return {
        "member_pks": tuple(organisation.memberships.values_list("pk", flat=True)),
        "member_roles": tuple(organisation.memberships.values_list("pk", "role")),
        "assessment_count": Assessment.objects.filter(organisation=organisation).count(),
        "change_count": AnswerChange.objects.filter(assessment__organisation=organisation).count(),
        "action_state": action_state(organisation),
    }


# --- The mixed-ids pass -----------------------------------------------------------------------
#
# The walk above fills every id of a URL from the same object, so a view that looks up a child
# (a perspective, a criterion) without checking it belongs to the parent in the URL passes it:
# the foreign parent alone is refused. The mixed pass puts a parent we may open beside another
# parent's child, and the other way round, on every URL with two or more ids.

# Parameters that name no object: filled alike in every combination (by FILLERS).
NOT_IDS = {
    (f"assessments:{name}", "number")
    for name in ("step", "perspective_step", "step_carried", "perspective_step_carried")
} | {("reports:report_document", "format"), ("shared:report_document", "format")}
# URLs with two ids that are not a parent and its child, and why the mixed pass leaves them.
MIX_EXEMPT = {
    "password_reset_confirm": "a user id and a reset token, no organisation's objects: the walk "
    "above proves that a made-up token works for no one",
}
# (url name or namespace, parameter) -> the kind of parent the other ids of the URL belong to:
# an assessment, or a session of a group trajectory. The mixed pass takes its parents of that
# kind (tests/security/test_url_access.py `sources` and `session_sources`).
PARENTS = {
    ("assessments:", "pk"): "assessment",
    ("reports:", "pk"): "assessment",
    ("trajectories:session_agenda_status", "pk"): "session",
}
# (url name or namespace, parameter) -> the child of that kind that belongs to a parent (an
# assessment, or a session for the trajectories' URLs). The perspective is the newest one: in
# the draft a contributor answers in, theirs.
CHILDREN: dict[tuple[str, str], Callable[[Assessment | Session], object]] = {
    ("assessments:", "perspective_pk"): lambda assessment: (
        assessment.perspectives.order_by("pk").last().pk
    ),
    ("assessments:", "criterion_key"): lambda assessment: (
        assessment.model_version.criteria.order_by("pk").first().key
    ),
    # The sources of the mixed pass are answered (tests/security/test_url_access.py `sources`).
    ("assessments:", "answer_pk"): _first_answer,
    ("reports:", "render_pk"): _pdf_render,
    ("assessments:", "evidence_pk"): lambda assessment: evidence_file_of(assessment).pk,
    ("reports:share_revoke", "link_pk"): lambda assessment: _share_link_of(assessment),
    # Of a session: a finished render of its agenda.
    ("trajectories:session_agenda_status", "render_pk"): _agenda_render,
}


def _share_link_of(assessment: Assessment) -> int:
    """A share link of the assessment, made in the database (the sources are drafts: a link
    whose assessment was reopened since)."""
    found = ShareLink.objects.filter(assessment=assessment).first()
    if found is None:
        found = ShareLink.objects.create(
            assessment=assessment,
            organisation_id=assessment.organisation_id,
            token_hash=secrets.token_hex(32),
            expires_at=timezone.now() + timedelta(days=30),
        )
    return found.pk


MIXED_METHODS = ("get", "post")  # PUT, PATCH, DELETE: 405 before any lookup (see the tests)


def _lookup(table, route: Route, parameter: str):
    namespace = route.name.rpartition(":")[0] + ":" if ":" in route.name else None
    if isinstance(table, dict):
        return table.get((route.name, parameter)) or table.get((namespace, parameter))
    return (route.name, parameter) in table or (namespace, parameter) in table


def id_parameters(route: Route) -> tuple[str, ...]:
    """The route's parameters that name an object."""
    return tuple(p for p in route.parameters if not _lookup(NOT_IDS, route, p))


def parent_kind(route: Route) -> str | None:
    """The kind of the route's parent ("assessment" or "session"), None without one."""
    return next(
        (_lookup(PARENTS, route, p) for p in route.parameters if _lookup(PARENTS, route, p)), None
    )


def has_mixed_ids(route: Route) -> bool:
    """Whether the mixed pass walks the route: two or more ids, not exempt."""
    return len(id_parameters(route)) >= 2 and route.name not in MIX_EXEMPT


def mixed_urls(
    route: Route, sources: dict[str, Assessment | Session], pairs, filled: Foreign
) -> list:
    """(what is mixed, URL) for each pair of (parent source, child source) and each child id:
    that one child from the other source, every other id from the parent. A child both
    sources share (a criterion key of the same model version) is no mix and is left out."""
    ids = id_parameters(route)
    parents = [p for p in ids if _lookup(PARENTS, route, p)]
    children = [p for p in ids if p not in parents]
    unknown = [p for p in children if _lookup(CHILDREN, route, p) is None]
    if len(parents) != 1 or unknown:
        pytest.fail(
            f"URL {route.name} ({route.route}) has ids the mixed pass does not know (parents "
            f"{parents}, unknown children {unknown}): teach PARENTS or CHILDREN in "
            "tests/security/url_walk.py, or say in MIX_EXEMPT why the URL needs no mixing."
        )
    others = {
        p: FILLERS[(route.name, p)](filled, "draft") for p in route.parameters if p not in ids
    }
    urls = []
    for parent_name, child_name in pairs:
        parent, other = sources[parent_name], sources[child_name]
        own = {p: _lookup(CHILDREN, route, p)(parent) for p in children}
        for child in children:
            value = _lookup(CHILDREN, route, child)(other)
            if value == own[child]:
                continue
            kwargs = {**others, **own, parents[0]: parent.pk, child: value}
            urls.append(
                (
                    f"{parent_name}'s {parents[0]} with {child_name}'s {child}",
                    reverse(route.name, kwargs=kwargs),
                )
            )
    return urls


def unmixed_url(route: Route, parent: Assessment | Session, filled: Foreign) -> str:
    """The route's URL with every id from one parent: what the mixed URLs are varied from."""
    ids = id_parameters(route)
    kwargs = {
        p: FILLERS[(route.name, p)](filled, "draft") for p in route.parameters if p not in ids
    }
    for p in ids:
        kwargs[p] = parent.pk if _lookup(PARENTS, route, p) else _lookup(CHILDREN, route, p)(parent)
    return reverse(route.name, kwargs=kwargs)


def mixed_problems(
    *, route: Route, urls: list, clients: dict, foreign: Foreign, roles: tuple = ROLES
) -> list[str]:
    """Every mixed URL that any of `roles` got anything but a refusal for."""
    problems = []
    for what, url in urls:
        for method in MIXED_METHODS:
            for role in roles:
                response = send(clients[role], method, url, foreign)
                status = response.status_code
                if status in REFUSALS:
                    continue
                if role == "anonymous" and response.get("Location", "").startswith(LOGIN_PREFIX):
                    continue
                where = response.get("Location", "")
                problems.append(f"{url} ({what}): {method.upper()} as {role}: {status} {where}")
    return problems


def trajectory_with(*, coach_organisation, name, members, session_topic, coach=None):
    """A trajectory of the coach organisation whose members accepted and share everything."""
    coach = (
        coach
        or MembershipFactory(organisation=coach_organisation, role=Membership.Role.VIEWER).user
    )
    version = ModelVersion.objects.filter(status=ModelVersion.Status.PUBLISHED).first()
    today = timezone.localdate()
    trajectory = Trajectory.objects.create(
        name=name,
        coach_organisation=coach_organisation,
        model_version=version,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=300),
    )
    Coach.objects.create(trajectory=trajectory, user=coach)
    for organisation in members:
        SharingMemberFactory(trajectory=trajectory, organisation=organisation)
    session = Session.objects.create(trajectory=trajectory, date=today, topic=session_topic)
    return trajectory, session
