"""Password reset by e-mail: Django's own views, throttled, with one answer for every address."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from maturity import caching
from maturity.client_address import client_address


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; too many requests for one address or from one client send nothing.

    Whether a mail is sent or not, and whether the address has an account or not, the answer is
    the same page: the form tells nobody which addresses exist.
    """

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        allowed = caching.password_reset_allowed(
            email=form.cleaned_data["email"], client_address=client_address(self.request)
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
