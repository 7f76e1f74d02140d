"""The report's addresses, beside the assessment's own under /assessments/<pk>/."""

from django.urls import path, register_converter

from reports import share_views, views


class DocumentFormatConverter:
    """A report document's format in its address: report.pdf, report.odt, report.docx."""

    regex = "pdf|odt|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentFormatConverter, "document_format")

app_name = "reports"

urlpatterns = [
    path("<int:pk>/report/", views.assessment_report, name="report"),
    path(
        "<int:pk>/report.pdf",
        views.assessment_report_document,
        {"format": "pdf"},
        name="report_pdf",
    ),
    path(
        "<int:pk>/report.<document_format:format>",
        views.assessment_report_document,
        name="report_document",
    ),
    path(
        "<int:pk>/report-documents/<int:render_pk>/status",
        views.assessment_report_document_status,
        name="report_document_status",
    ),
    path("<int:pk>/result.json", views.assessment_result_json, name="result_json"),
    path("organisation-data.zip", views.organisation_export, name="organisation_export"),
    path("<int:pk>/share/", share_views.assessment_share, name="share"),
    path(
        "<int:pk>/share/<int:link_pk>/revoke/",
        share_views.assessment_share_revoke,
        name="share_revoke",
    ),
    path(
        "<int:pk>/share/benchmark/",
        share_views.assessment_share_benchmark,
        name="share_benchmark",
    ),
]
