"""Staff and organisation admins who signed in without a second factor enrol one first."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from sso.mfa import ENROLMENT_SESSION_KEY, enrolment_recheck, has_authenticator_app
from sso.oidc import end_session_origin

# What such a session may still open: the enrolment itself, signing out, the language.
ALLOWED_URL_NAMES = ("mfa_activate_totp", "mfa_view_recovery_codes", "logout", "set_language")
# Requests an open page sends by itself, which read no memberships and are held to a few
# queries by design (the PDF poll: one; the autosave of one answer: three on PostgreSQL): they
# skip the recheck (not the enrolment), which the page itself and the next page do. An autosave
# writes what a respondent may write, so a new admin is asked at the next page, not here.
NO_RECHECK_VIEW_NAMES = frozenset(
    {
        "reports:report_document_status",
        "assessments:answer_save",
        "assessments:perspective_answer_save",
    }
)


class SecondFactorEnrolmentMiddleware:
    """While the session owes its enrolment, every other page leads to the enrolment.

    It owes it from its sign-in (sso.mfa.enrolment_mark), or from the first request after its
    user came under the rule (sso.mfa.enrolment_recheck): made an admin or staff, or a member of
    an organisation that requires a second factor.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not self._poll(request):
            enrolment_recheck(request=request)
        if (
            request.user.is_authenticated
            and request.session.get(ENROLMENT_SESSION_KEY)
            and not self._allowed(request)
        ):
            if has_authenticator_app(user=request.user):
                del request.session[ENROLMENT_SESSION_KEY]
            else:
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _poll(request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in NO_RECHECK_VIEW_NAMES
        except Resolver404:
            return False

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        allowed = {reverse(name) for name in ALLOWED_URL_NAMES}
        return request.path in allowed or request.path.startswith("/static/")


class IdentityProviderLogoutMiddleware:
    """Pages of a session signed in at an identity provider let the logout form go there.

    The logout form posts here and is redirected to the provider's end_session_endpoint;
    browsers check a form's redirects against the page's CSP ``form-action``, which is 'self'.
    Only such sessions get the provider's origin added, and only to ``form-action``.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = end_session_origin(request=request) if hasattr(request, "session") else None
        response = self.get_response(request)
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response
