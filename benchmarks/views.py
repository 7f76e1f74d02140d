"""The benchmark pages: an organisation's choice to take part, and the sector view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessments.access import organisation_view
from assessments.models import ADMIN_ROLES, Membership
from assessments.spreadsheet import csv_response
from benchmarks import caching
from benchmarks.disclosure import MIN_GROUP, POPULATION_BAND_LABELS, population_band
from benchmarks.export import sector_csv
from benchmarks.forms import ParticipationForm
from benchmarks.sector import SectorView, sector_view
from benchmarks.selectors import participation_get
from benchmarks.services import participation_set

SECTOR_PERMISSION = "benchmarks.view_sector"


@require_http_methods(["GET", "POST"])
@organisation_view(roles=ADMIN_ROLES)
def participation(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The organisation's profile as benchmarks see it, and the admin's choice to take part."""
    current = participation_get(membership=membership)
    # An unticked box posts nothing: an empty POST is still a choice (to stop taking part).
    data = request.POST if request.method == "POST" else None
    form = ParticipationForm(data, initial={"opted_in": current.opted_in})
    if request.method == "POST" and form.is_valid():
        opted_in = form.cleaned_data["opted_in"]
        participation_set(
            user=request.user, organisation=membership.organisation, opted_in=opted_in
        )
        if opted_in:
            messages.success(request, _("Your organisation now takes part in benchmarks."))
        else:
            messages.success(
                request,
                _("Your organisation no longer takes part: its results left every benchmark."),
            )
        return redirect("benchmarks:participation")
    organisation = membership.organisation
    return render(
        request,
        "benchmarks/participation.html",
        {
            "organisation": organisation,
            "band": POPULATION_BAND_LABELS.get(population_band(organisation.population)),
            "participation": current,
            "form": form,
            "min_group": MIN_GROUP,
        },
    )


def _sector_or_404(request: HttpRequest) -> SectorView:
    view = sector_view(user=request.user, model_slug=request.GET.get("model") or None)
    if view is None:
        raise Http404
    return view


@require_safe
@login_required
@permission_required(SECTOR_PERMISSION, raise_exception=True)
def sector(request: HttpRequest) -> HttpResponse:
    """The anonymised sector benchmark, for sector analysts (granted by staff)."""
    view = _sector_or_404(request)
    version = view.structure.version
    context = {"view": view, "min_group": MIN_GROUP, "bands": POPULATION_BAND_LABELS}
    tables = caching.sector_tables(
        model_slug=view.model_slug,
        version_id=version.pk,
        published_at=version.published_at,
        benchmark=view.signature,
        language=get_language(),
        render=lambda: render_to_string("benchmarks/includes/_sector_tables.html", context),
    )
    return render(request, "benchmarks/sector.html", context | {"tables": tables})


@require_safe
@login_required
@permission_required(SECTOR_PERMISSION, raise_exception=True)
def sector_export(request: HttpRequest) -> HttpResponse:
    """The sector view's aggregates as CSV (no organisation, no single value)."""
    view = _sector_or_404(request)
    return csv_response(sector_csv(view=view), f"benchmark-{view.model_slug}.csv")
