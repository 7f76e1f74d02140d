"""Staff and organisation admins who signed in without a second factor enrol one first."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from sso.mfa import ENROLMENT_SESSION_KEY, has_authenticator_app

# What such a session may still open: the enrolment itself, signing out, the language.
ALLOWED_URL_NAMES = ("mfa_activate_totp", "mfa_view_recovery_codes", "logout", "set_language")


class SecondFactorEnrolmentMiddleware:
    """While the session owes its enrolment, every other page leads to the enrolment."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
    def _allowed(request: HttpRequest) -> bool:
        allowed = {reverse(name) for name in ALLOWED_URL_NAMES}
        return request.path in allowed or request.path.startswith("/static/")
