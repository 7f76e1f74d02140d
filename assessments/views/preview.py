"""The model editors' preview of a version's questionnaire.

It lives with the questionnaire it shows (the maturity app knows nothing of assessments), at
`/groeipad/preview/<pk>/` beside the public growth path.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.step_forms import build_step_forms
from maturity.selectors import model_version_get, model_version_structure


@require_safe
@permission_required("maturity.view_modelversion", raise_exception=True)
def model_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire of any version as a respondent would see it, read-only."""
    version = model_version_get(pk=pk)
    if version is None:
        raise Http404
    structure = model_version_structure(version=version)
    steps = build_step_forms(structure=structure, answers={}, disabled=True)
    # The editor also sees each criterion's phase, weight and advice under its step.
    editor_steps = [(step, structure.criteria_of_dimension(step.dimension)) for step in steps]
    return render(
        request,
        "assessments/modelversion_preview.html",
        {"structure": structure, "editor_steps": editor_steps},
    )
