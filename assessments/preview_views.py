"""The model editors' preview of a version's questionnaire.

It lives with the questionnaire it shows (the maturity app knows nothing of assessments); the
project URLs mount it under the maturity namespace as `maturity:preview`.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments.forms import build_step_forms
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure


@permission_required("maturity.view_modelversion", raise_exception=True)
def model_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire of any version as a respondent would see it, read-only."""
    version = get_object_or_404(ModelVersion, pk=pk)
    structure = model_version_structure(version=version)
    steps = build_step_forms(structure=structure, answers={}, disabled=True)
    return render(
        request, "assessments/modelversion_preview.html", {"structure": structure, "steps": steps}
    )
