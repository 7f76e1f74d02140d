from django.urls import path

from trajectories.views import board, members, overview, practices, sessions

app_name = "trajectories"

urlpatterns = [
    path("", overview.trajectory_list, name="list"),
    path("new/", overview.trajectory_new, name="new"),
    path("<int:pk>/", board.trajectory_detail, name="detail"),
    path("<int:pk>/board.json", board.trajectory_board_json, name="board_json"),
    path("<int:pk>/members/", members.trajectory_members_page, name="members"),
    path("<int:pk>/respond/", members.trajectory_respond, name="respond"),
    path("<int:pk>/sharing/", members.trajectory_sharing, name="sharing"),
    path("<int:pk>/leave/", members.trajectory_leave, name="leave"),
    path("<int:pk>/sessions/new/", sessions.session_new, name="session_new"),
    path("<int:pk>/practices/", practices.practices, name="practices"),
    path("<int:pk>/practices/new/", practices.practice_new, name="practice_new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path(
        "sessions/<int:pk>/agenda.pdf",
        sessions.session_agenda_document,
        {"format": "pdf"},
        name="session_pdf",
    ),
    path(
        "sessions/<int:pk>/agenda.odt",
        sessions.session_agenda_document,
        {"format": "odt"},
        name="session_odt",
    ),
    path(
        "sessions/<int:pk>/agenda/<int:render_pk>/status",
        sessions.session_agenda_status,
        name="session_agenda_status",
    ),
]
