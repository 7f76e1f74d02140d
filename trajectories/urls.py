from django.urls import path

from trajectories import views

app_name = "trajectories"

urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("new/", views.trajectory_new, name="new"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/board.json", views.trajectory_board_json, name="board_json"),
    path("<int:pk>/members/", views.trajectory_members_page, name="members"),
    path("<int:pk>/respond/", views.trajectory_respond, name="respond"),
    path("<int:pk>/sharing/", views.trajectory_sharing, name="sharing"),
    path("<int:pk>/leave/", views.trajectory_leave, name="leave"),
    path("<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("<int:pk>/practices/", views.practices, name="practices"),
    path("<int:pk>/practices/new/", views.practice_new, name="practice_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "sessions/<int:pk>/agenda.pdf",
        views.session_agenda_document,
        {"format": "pdf"},
        name="session_pdf",
    ),
    path(
        "sessions/<int:pk>/agenda.odt",
        views.session_agenda_document,
        {"format": "odt"},
        name="session_odt",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:render_pk>/status",
        views.session_agenda_status,
        name="session_agenda_status",
    ),
]
