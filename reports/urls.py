"""The report's addresses, beside the assessment's own under /assessments/<pk>/."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/report/", views.assessment_report, name="report"),
    path("<int:pk>/report.pdf", views.assessment_report_pdf, name="report_pdf"),
    path(
        "<int:pk>/report.pdf/<int:render_pk>/status",
        views.assessment_report_pdf_status,
        name="report_pdf_status",
    ),
    path("<int:pk>/result.json", views.assessment_result_json, name="result_json"),
    path("organisation-data.zip", views.organisation_export, name="organisation_export"),
]
