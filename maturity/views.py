"""Public pages of the maturity model, the model editors' preview, and the error pages."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import requires_csrf_token

from maturity.models import ModelVersion
from maturity.selectors import model_version_latest_published, model_version_structure


def growth_path(request: HttpRequest) -> HttpResponse:
    """The four phases and the dimensions explained, for anyone."""
    version = model_version_latest_published()
    structure = model_version_structure(version=version) if version else None
    return render(request, "maturity/growth_path.html", {"structure": structure})


@permission_required("maturity.view_modelversion", raise_exception=True)
def model_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire of any version as a respondent would see it, read-only."""
    from assessments.forms import build_step_forms

    version = get_object_or_404(ModelVersion, pk=pk)
    structure = model_version_structure(version=version)
    steps = build_step_forms(structure=structure, answers={}, disabled=True)
    # For the editor: each step with its criteria, to show phase, weight and advice beside them.
    editor_steps = [(step, structure.criteria_of_dimension(step.dimension)) for step in steps]
    return render(
        request,
        "maturity/modelversion_preview.html",
        {"structure": structure, "steps": steps, "editor_steps": editor_steps},
    )


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check gets the app's 403 page, not Django's unstyled one."""
    return permission_denied(request)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
