"""Password reset by e-mail: Django's own views, throttled, with one answer for every address."""

import uuid

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.template import loader

from maturity import caching
from maturity.client_address import client_address
from maturity.input_rules import SingleLineFieldsMixin
from maturity.mail import mail_queue


class QueuedPasswordResetForm(SingleLineFieldsMixin, PasswordResetForm):
    """Django's reset form, whose mail goes through the outbox and a worker (maturity/mail.py)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Queue the reset mail instead of talking to the mail server during the request."""
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        # Each request is its own message; the key holds no address and no token.
        mail_queue(
            key=f"password-reset:{uuid.uuid4().hex}", to=to_email, subject=subject, body=body
        )


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; too many requests for one address or from one client send nothing.

    Whether a mail is sent or not, and whether the address has an account or not, the answer is
    the same page: the form tells nobody which addresses exist.
    """

    form_class = QueuedPasswordResetForm
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
