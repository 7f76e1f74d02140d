from django.urls import include, path

from assessments.views import (
    answer_csv,
    autosave,
    members,
    organisation,
    preview,
    questionnaire,
    reports,
)

assessment_patterns = (
    [
        path("new/", organisation.assessment_new, name="new"),
        path("<int:pk>/", questionnaire.assessment_detail, name="detail"),
        path("<int:pk>/step/<int:number>/", questionnaire.assessment_step, name="step"),
        # One answer, addressed by assessment and criterion key: what the page autosaves.
        path(
            "<int:pk>/answers/<slug:criterion_key>/",
            autosave.answer_autosave,
            name="answer_save",
        ),
        path("<int:pk>/review/", questionnaire.assessment_review, name="review"),
        path("<int:pk>/reopen/", reports.assessment_reopen_view, name="reopen"),
        path("<int:pk>/answers.csv", answer_csv.answers_csv, name="answers_csv"),
        path("<int:pk>/import/", answer_csv.answers_import, name="import"),
        path("<int:pk>/report/", reports.assessment_report, name="report"),
        path("<int:pk>/report.pdf", reports.assessment_report_pdf, name="report_pdf"),
        path("<int:pk>/result.json", reports.assessment_result_json, name="result_json"),
        path("<int:pk>/changes/", reports.assessment_changes, name="changes"),
    ],
    "assessments",
)

urlpatterns = [
    path("", organisation.dashboard, name="dashboard"),
    path("organisation/switch/", organisation.organisation_switch, name="organisation_switch"),
    path("members/", members.members, name="members"),
    path("members/<int:membership_pk>/remove/", members.member_remove, name="member_remove"),
    path("members/<int:membership_pk>/role/", members.member_role, name="member_role"),
    path(
        "members/invitations/<int:invitation_pk>/revoke/",
        members.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "members/invitations/<int:invitation_pk>/resend/",
        members.invitation_resend_view,
        name="invitation_resend",
    ),
    # Tokens are URL-safe base64 (a slug); anything else, e.g. a NUL that PostgreSQL cannot
    # compare, is a 404 before the database is asked.
    path("invitations/<slug:token>/", members.invitation_accept_view, name="invitation_accept"),
    path("assessments/", include(assessment_patterns)),
    # The model editors' preview shows the questionnaire, so it is this app's view; its path
    # sits beside the public growth path.
    path(
        "groeipad/preview/<int:pk>/",
        preview.model_version_preview,
        name="model_version_preview",
    ),
]
