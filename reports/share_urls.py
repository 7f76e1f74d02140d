"""A shared report's addresses, under /shared/ (namespace "shared"): the token is the permission."""

from django.urls import path

from reports import share_views
from reports.urls import DocumentFormatConverter  # noqa: F401 (registers document_format)

app_name = "shared"

urlpatterns = [
    path("<slug:token>/", share_views.shared_report, name="report"),
    path(
        "<slug:token>/report.<document_format:format>",
        share_views.shared_report_document,
        name="report_document",
    ),
]
