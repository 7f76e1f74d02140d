from django.urls import include, path

from assessments import views

assessment_patterns = (
    [
        path("new/", views.assessment_new, name="new"),
        path("<int:pk>/", views.assessment_detail, name="detail"),
        path("<int:pk>/step/<int:number>/", views.assessment_step, name="step"),
        path("<int:pk>/review/", views.assessment_review, name="review"),
        path("<int:pk>/reopen/", views.assessment_reopen_view, name="reopen"),
        path("<int:pk>/answers.csv", views.answers_csv, name="answers_csv"),
        path("<int:pk>/import/", views.answers_import, name="import"),
        path("<int:pk>/report/", views.assessment_report, name="report"),
        path("<int:pk>/result.json", views.assessment_result_json, name="result_json"),
        path("<int:pk>/changes/", views.assessment_changes, name="changes"),
    ],
    "assessments",
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    # Tokens are URL-safe base64 (a slug); anything else, e.g. a NUL that PostgreSQL cannot
    # compare, is a 404 before the database is asked.
    path("invitations/<slug:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("assessments/", include(assessment_patterns)),
]
