"""A shared report's addresses, under /shared/ (namespace "shared"): the token is the permission."""

from django.urls import path

from reports import share_views

app_name = "shared"

urlpatterns = [
    path("<slug:token>/", share_views.shared_report, name="report"),
    path("<slug:token>/report.pdf", share_views.shared_report_pdf, name="report_pdf"),
]
