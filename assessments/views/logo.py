"""The organisation's logo: its admins upload, replace or remove it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.access import organisation_view
from assessments.forms import LogoForm
from assessments.logo import (
    organisation_logo_data_uri,
    organisation_logo_remove,
    organisation_logo_set,
)
from assessments.models import ADMIN_ROLES, Membership


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ADMIN_ROLES)
def organisation_logo(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Upload (POST with a file), remove (POST ``remove``) or look at the organisation's logo."""
    organisation = membership.organisation
    form = LogoForm()
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            organisation_logo_remove(organisation=organisation)
            messages.success(request, _("The logo is removed."))
            return redirect("organisation_logo")
        form = LogoForm(request.POST, request.FILES)
        if form.is_valid():
            organisation_logo_set(organisation=organisation, content=form.cleaned_data["logo"])
            messages.success(request, _("The logo is saved."))
            return redirect("organisation_logo")
        status = 400
    response = render(
        request,
        "assessments/organisation_logo_form.html",
        {
            "form": form,
            "organisation": organisation,
            "logo": organisation_logo_data_uri(organisation),
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response
