from django.urls import include, path

from assessments.views import (
    answer_csv,
    autosave,
    consensus,
    evidence,
    history,
    lifecycle,
    logo,
    members,
    organisation,
    perspectives,
    preview,
    questionnaire,
    review,
    validation,
)

# One perspective's questionnaire. The assessment's own addresses serve its first perspective
# (with one perspective, the assessment as before); /perspectives/<id>/… serve any of them.
ANSWER_SET_PAGES = [
    ("", questionnaire.assessment_detail, "detail"),
    ("step/<int:number>/", questionnaire.assessment_step, "step"),
    # "Next" on a step with carried-over answers still to confirm, without the page's script.
    ("step/<int:number>/carried/", questionnaire.assessment_step_carried, "step_carried"),
    # One answer, addressed by assessment, perspective and criterion key: what the page autosaves.
    ("answers/<slug:criterion_key>/", autosave.answer_autosave, "answer_save"),
    ("answers.csv", answer_csv.answers_csv, "answers_csv"),
    ("import/", answer_csv.answers_import, "import"),
    # The evidence of one answer: its page (and links), files, removal, download.
    ("evidence/<slug:criterion_key>/", evidence.evidence_list, "evidence"),
    ("evidence/<slug:criterion_key>/upload/", evidence.evidence_upload, "evidence_upload"),
    (
        "evidence/<slug:criterion_key>/<int:evidence_pk>/remove/",
        evidence.evidence_remove,
        "evidence_remove",
    ),
    ("evidence/<slug:criterion_key>/<int:evidence_pk>/", evidence.evidence_file, "evidence_file"),
]
PERSPECTIVE = "<int:pk>/perspectives/<int:perspective_pk>/"

assessment_patterns = (
    [
        path("new/", organisation.assessment_new, name="new"),
        *(path(f"<int:pk>/{route}", view, name=name) for route, view, name in ANSWER_SET_PAGES),
        *(
            path(f"{PERSPECTIVE}{route}", view, name=f"perspective_{name}")
            for route, view, name in ANSWER_SET_PAGES
        ),
        path("<int:pk>/perspectives/", perspectives.perspective_list, name="perspectives"),
        path(f"{PERSPECTIVE}edit/", perspectives.perspective_edit, name="perspective_edit"),
        path(
            f"{PERSPECTIVE}delete/", perspectives.perspective_delete_view, name="perspective_delete"
        ),
        path(f"{PERSPECTIVE}invite/", perspectives.perspective_invite, name="perspective_invite"),
        path("<int:pk>/compare/", consensus.perspective_compare, name="compare"),
        path(
            "<int:pk>/consensus/<slug:criterion_key>/",
            consensus.consensus_edit,
            name="consensus_edit",
        ),
        path("<int:pk>/review/", review.assessment_review, name="review"),
        path("<int:pk>/manage/", lifecycle.assessment_manage, name="manage"),
        path("<int:pk>/delete/", lifecycle.assessment_delete_view, name="delete"),
        path("<int:pk>/version/", lifecycle.assessment_version, name="version"),
        path("<int:pk>/reopen/", history.assessment_reopen_view, name="reopen"),
        path("<int:pk>/changes/", history.assessment_changes, name="changes"),
        path("<int:pk>/validation/", validation.assessment_validation, name="validation"),
        path(
            "<int:pk>/validation/setting/",
            validation.assessment_validation_setting,
            name="validation_setting",
        ),
        path(
            "<int:pk>/validation/<int:answer_pk>/",
            validation.answer_validation_step,
            name="validation_step",
        ),
    ],
    "assessments",
)

urlpatterns = [
    path("", organisation.dashboard, name="dashboard"),
    path("organisation/switch/", organisation.organisation_switch, name="organisation_switch"),
    path("members/", members.members, name="members"),
    path("organisation/logo/", logo.organisation_logo, name="organisation_logo"),
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
